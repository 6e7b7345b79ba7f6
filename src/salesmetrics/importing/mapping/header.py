"""Matching a file's column names to a table's columns.

Names match case-insensitively after trimming spaces. Optional columns may be left out; a column the
table does not have, a required column left out, or a name given twice is a problem on line 1.
"""

from __future__ import annotations

import difflib

from ...errors import Problem, UnknownFile
from ...schema import Table


def match_columns(
    table: Table, names: list[str], file: str
) -> tuple[dict[str, int], list[Problem]]:
    """Position of each table column in the file, and the header's problems."""
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    known = list(table.column_names)
    # Excel saves a sheet as CSV with a nameless column for each cell right of the table it ever
    # formatted ("amount;;"): those at the end are passed over; one between named columns is not.
    while names and not names[-1].strip():
        names = names[:-1]
    for index, written in enumerate(names):
        name = written.strip().lower()
        if not name:
            problems.append(Problem(file, 1, f"#{index + 1}", written,
                                    f"column {index + 1} has no name"))
        elif name in positions:
            first = positions[name] + 1
            problems.append(Problem(
                file, 1, written, None,
                f"column appears twice in the header (columns {first} and {index + 1})",
            ))
        elif name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
            problems.append(Problem(
                file, 1, written, None,
                f"unknown column for table {table.name}; {hint}(columns: {', '.join(known)})",
            ))
        else:
            positions[name] = index
    required = [c.name for c in table.columns if c.required]
    found = [name for name in required if name in positions]
    # Mostly columns of its own and short of a required one: an export of another system named for
    # the table (a German deals.csv of Nr, Betrag, Status: its Status alone matched, and eleven
    # column problems with "did you mean 'stage'?" for Betrag stood where --inspect is the way).
    # A name close to one of the table's counts as its own, mistyped: a canonical file with five
    # typos (dela_id, craeted_at, ...) is told "did you mean", not sent to --inspect (the review).
    typed = len(positions) + sum(1 for n in names if n.strip().lower() not in positions
                                 and difflib.get_close_matches(n.strip().lower(), known, n=1, cutoff=0.75))
    foreign = len(names) - typed > typed and len(found) < len(required)
    if (not found or foreign) and len(positions) < len(names):
        # Named for the table, but none of its key columns and some of another's: someone else's
        # file (Maven's products.csv: product, series, sales_price), not a canonical one with typos.
        missing = [name for name in required if name not in positions]
        if found:
            message = f"it lacks most of its columns, among them the required {', '.join(missing)}"
            reason = f"lacks most of its columns, the required among them ({', '.join(missing)})"
        else:
            message = f"it has none of {', '.join(required)}"
            reason = f"has none of its required columns ({', '.join(required)})"
        return positions, [UnknownFile(
            file, 1, None, None,
            f"the header is not that of {table.name} ({message}; the columns of {table.name} are: "
            f"{', '.join(known)})",
            reason=f"named for {table.name}, but its header ({', '.join(names)}) {reason}")]
    for column in table.columns:
        if column.required and column.name not in positions:
            problems.append(Problem(file, 1, column.name, None,
                                    "required column is missing from the header"))
    return positions, problems
