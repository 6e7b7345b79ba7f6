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
    if not any(name in positions for name in required) and len(positions) < len(names):
        # Named for the table, but none of its key columns and some of another's: someone else's
        # file (Maven's products.csv: product, series, sales_price), not a canonical one with typos.
        return positions, [UnknownFile(
            file, 1, None, None,
            f"the header is not that of {table.name} (it has none of {', '.join(required)}; "
            f"the columns of {table.name} are: {', '.join(known)})",
            reason=f"named for {table.name}, but its header ({', '.join(names)}) has none of its "
                   f"required columns ({', '.join(required)})")]
    for column in table.columns:
        if column.required and column.name not in positions:
            problems.append(Problem(file, 1, column.name, None,
                                    "required column is missing from the header"))
    return positions, problems
