"""Pieces every vendor mapping uses."""

from __future__ import annotations

from ..exprs import Case, Const, Expr, First, Is, Ref, when
from ..model import Output

CLOSED = ("won", "lost")


def owners(rep_id: Expr, name: Expr | None = None) -> Output:
    """The owner named on each row, as a rep (with a name where the export has one)."""
    columns: dict[str, Expr] = {"rep_id": rep_id}
    if name is not None:
        columns["name"] = name
    return Output("reps", columns, derived=True)


def closed_only(date: Expr) -> Case:
    """A close date kept only once the deal is closed: HubSpot and Salesforce use the same field
    for the expected date of an open deal, which is a forecast, not a close."""
    return when(Is(Ref("status"), *CLOSED), date)


def amount_of_open_as_zero(amount: Expr) -> First:
    """CRMs let early deals go without an amount. An open deal without one counts as 0; a won or
    lost deal without one is still refused, since revenue and win rates would be wrong."""
    return amount_of_open_as(amount, "0")


def amount_of_open_as(amount: Expr, value: str) -> First:
    """An open deal's amount where the file has none (a mapping file's ``[defaults] amount``)."""
    return First(amount, when(Is(Ref("status"), "open"), Const(value)))
