"""Rules that look at several values of one record, per table.

Each rule is a :class:`RowCheck` over a table's import rows (typed columns by their names, text as
``_raw_<name>``). Rules compare typed values only when both are present: an empty or malformed
value is reported on its own already.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RowCheck:
    """A problem one import row can have on its own, as SQL over the row: where it holds, the
    column it names, the value shown and the message."""

    where: str
    column: str
    value: str
    message: str


RowsRule = Callable[[], list[RowCheck]]


def rows_name(table: str) -> str:
    """The view holding a table's import rows (validate.build_rows): rules that compare a row with
    the other rows of the same import read it by this name."""
    return f"_import_rows_{table}"


def _deals() -> list[RowCheck]:
    needs_closed_at = "'a ' || status || ' deal needs closed_at (when it was ' || status || ')'"
    return [
        RowCheck("status IN ('won', 'lost') AND _raw_closed_at IS NULL", "'closed_at'", "''",
                 needs_closed_at),
        RowCheck("status = 'open' AND _raw_closed_at IS NOT NULL", "'closed_at'", "_raw_closed_at",
                 "'open deal has closed_at; clear it or set the status'"),
        RowCheck("closed_at < created_at", "'closed_at'", "_raw_closed_at",
                 "'closed_at is before created_at (' || _raw_created_at || ')'"),
        # A refund or credit note is not a deal: summed with the deals it would lower revenue,
        # average deal size and attainment without anyone seeing why.
        RowCheck("amount < 0", "'amount'", "_raw_amount",
                 "'negative amount; a deal is what a customer agrees to pay (refunds and credit "
                 "notes are not deals: leave them out of the export)'"),
    ]


def _quotas() -> list[RowCheck]:
    return [
        RowCheck("period_end < period_start", "'period_end'", "_raw_period_end",
                 "'period_end is before period_start (' || _raw_period_start || ')'"),
    ]


def _programs() -> list[RowCheck]:
    # A program is asked for by its name (`salesmetrics program effect NAME`), so two programs may not
    # share one, in any case: not within this import, nor with a stored program this import leaves
    # under its name (one it renames frees the name).
    same = "lower(o.name) = lower(r.name) AND o.program_id <> r.program_id"
    imported = rows_name("programs")
    in_import = f"EXISTS (SELECT 1 FROM {imported} o WHERE {same})"
    stored = (f"EXISTS (SELECT 1 FROM programs o WHERE {same} AND o.program_id NOT IN "
              f"(SELECT program_id FROM {imported} WHERE program_id IS NOT NULL))")
    return [
        RowCheck("end_on < start_on", "'end_on'", "_raw_end_on",
                 "'end_on is before start_on (' || _raw_start_on || ')'"),
        RowCheck(f"r.name IS NOT NULL AND {in_import}", "'name'", "_raw_name",
                 "'another program in this import has this name; names must differ (in any case)'"),
        RowCheck(f"r.name IS NOT NULL AND NOT {in_import} AND {stored}", "'name'", "_raw_name",
                 "'a program of this name is already in the workspace (another program_id); "
                 "names must differ (in any case)'"),
    ]



def _fx_rates() -> list[RowCheck]:
    # A rate of 0 would count a EUR 500,000 deal as nothing in the base currency.
    return [RowCheck("rate_to_base = 0", "'rate_to_base'", "_raw_rate_to_base",
                     "'must be more than 0 (one unit of the currency is worth something)'")]


RULES: dict[str, RowsRule] = {"deals": _deals, "quotas": _quotas, "fx_rates": _fx_rates,
                           "programs": _programs}
