"""Pieces every vendor mapping uses."""

from __future__ import annotations

from ....stage_words import CLOSED_WORDS
from ..exprs import FALSY, All, Case, Col, Const, Expr, First, Is, Map, Matches, Present, Ref, Truthy, when
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


# The vendors' forecast categories (API values and labels, compared without case) as canonical
# ones. Salesforce's "Most Likely" sits between commit and best case: it counts as best case, so a
# call on commit never includes what the rep did not commit. "Closed" is a closed deal's category,
# which has none once closed (only open deals are forecast).
FORECAST_CATEGORIES = {
    "commit": "commit", "forecast": "commit",
    "best_case": "best_case", "best case": "best_case", "bestcase": "best_case",
    "most likely": "best_case", "mostlikely": "best_case", "most_likely": "best_case",
    "pipeline": "pipeline",
    "omit": "omitted", "omitted": "omitted", "not forecasted": "omitted", "not_forecasted": "omitted",
}


def open_only(value: Expr) -> Case:
    """A value that belongs to open deals only: the expected close date (HubSpot's and Salesforce's
    close date is the actual one once closed) and the forecast category."""
    return when(Is(Ref("status"), "open"), value)


def forecast_category(value: Expr) -> Case:
    return open_only(Map(value, FORECAST_CATEGORIES))


# A stage "Geschlossen und gewonnen" or "Fermée gagnée" in an export without the won and closed
# flags read as open: the revenue left out, the pipeline swollen, without a word (a tester with
# localized exports). Its words: stage_words.py.


def stage_advice(won: Col, closed: Col) -> dict[str, str]:
    """What a refused stage adds (``Mapping.advice``): "must be one of open, won, lost (value
    'Gewonnen (Enterprise)')" did not say the two ways out."""
    # The flags under their English names (the import reads no other), filled for every deal: the
    # stage decides a row whose flags are empty too.
    return {"status": f"; a closed stage of your own? export the columns {won.names[1]!r} and "
                      f"{closed.names[1]!r} (so named) filled for every deal, or write a mapping that "
                      "names each stage's status (`salesmetrics import --inspect FILE` proposes one)"}


def deal_status(won: Col, closed: Col, stage: Col, stages: dict[str, str]) -> Case:
    """A deal's status from its won and closed flags where exported, else from its stage (``stages``:
    the closed ones, lower case, to won or lost). A stage that reads closed but is none of them, or
    a deal the file says is closed without saying won or lost, keeps its stage as its status: the
    import refuses it, naming the value, where it was read as open."""
    # Closed without won or lost: refused; said open: open, whatever its stage's words.
    unknown = Case(((Truthy(closed), stage), (Is(closed, *FALSY), Const("open")),
                    (Matches(stage, CLOSED_WORDS), stage)), otherwise=Const("open"))
    return Case((
        (Truthy(won), Const("won")),
        (All(Present(won), Truthy(closed)), Const("lost")),
        (All(Present(won), Present(closed)), Const("open")),
    ), otherwise=Map(stage, stages, other=unknown))
