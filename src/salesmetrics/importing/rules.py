"""Rules that look at several values of one record, per table.

Each rule is SQL over a table's import rows (typed columns by their names, text as
``_raw_<name>``) yielding ``(_file, _line, column, value, message)``. Rules compare typed values
only when both are present: an empty or malformed value is reported on its own already.
"""

from __future__ import annotations

from collections.abc import Callable

RowsRule = Callable[[str], list[str]]


def _deals(rows: str) -> list[str]:
    needs_closed_at = "'a ' || status || ' deal needs closed_at (when it was ' || status || ')'"
    return [
        f"SELECT _file, _line, 'closed_at', '', {needs_closed_at} "
        f"FROM {rows} WHERE status IN ('won', 'lost') AND _raw_closed_at IS NULL",
        "SELECT _file, _line, 'closed_at', _raw_closed_at, "
        "'open deal has closed_at; clear it or set the status' "
        f"FROM {rows} WHERE status = 'open' AND _raw_closed_at IS NOT NULL",
        "SELECT _file, _line, 'closed_at', _raw_closed_at, "
        "'closed_at is before created_at (' || _raw_created_at || ')' "
        f"FROM {rows} WHERE closed_at < created_at",
    ]


def _quotas(rows: str) -> list[str]:
    return [
        "SELECT _file, _line, 'period_end', _raw_period_end, "
        "'period_end is before period_start (' || _raw_period_start || ')' "
        f"FROM {rows} WHERE period_end < period_start",
    ]


RULES: dict[str, RowsRule] = {"deals": _deals, "quotas": _quotas}
