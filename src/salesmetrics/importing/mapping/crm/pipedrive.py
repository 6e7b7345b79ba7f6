"""Pipedrive exports.

Where it comes from: Pipedrive's API reference (developers.pipedrive.com: Deals, Activities,
Users) for API exports, and the column labels of the spreadsheet export in the Pipedrive web app
("Deal - Title", "Deal - Value", "Activity - Due date", ...). Facts the mapping relies on:

* API times (``add_time``, ``won_time``, ``stage_change_time``, ...) are UTC written without a zone
  (``2026-03-04 10:15:00``); the web app's export writes the user's local time. Hence two kinds of
  file per record, told apart by their column names.
* ``status`` is ``open``, ``won``, ``lost`` or ``deleted``; deleted deals are skipped and counted.
  The web export writes the status in the user's language (Won, Gewonnen, ...).
* A deal's close time is ``won_time`` or ``lost_time``; ``close_time`` is the same for either.
  A won deal keeps the stage it was won in.
* ``stage_change_time`` is when the deal entered its current stage.
* ``expected_close_date`` ("Expected close date") is a day; ``probability`` ("Probability") a
  percentage, 0 to 100, empty where the deal's own is not set. Pipedrive has no forecast
  categories.
* Activities: ``done`` (0/1) says whether it happened; planned ones are skipped and counted.
  ``due_date`` and ``due_time`` say when, ``duration`` is ``HH:MM`` (or ``HH:MM:SS``).
"""

from __future__ import annotations

from ....schema import ACTIVITY_TYPE_WORDS
from ..exprs import FALSY, TRUTHY, Case, Col, First, Is, Join, Map, Ref
from ..model import Mapping, Skip
from .common import owners

# In English and German, and French, Spanish, Italian, Dutch and Portuguese: the web export writes the
# status in the user's language. Any other is refused by name, with the ways out (ADVICE).
STATUS = {"open": "open", "won": "won", "lost": "lost",
          "offen": "open", "gewonnen": "won", "verloren": "lost",
          "ouvert": "open", "gagné": "won", "perdu": "lost", "ouverte": "open", "gagnée": "won",
          "perdue": "lost",
          "abierto": "open", "ganado": "won", "perdido": "lost",
          "aperto": "open", "vinto": "won", "perso": "lost", "aperta": "open", "vinta": "won",
          "persa": "lost",
          "aberto": "open", "ganho": "won"}
DELETED = ("deleted", "gelöscht", "supprimé", "supprimée", "eliminado", "eliminato", "eliminata",
           "verwijderd", "excluído")
ADVICE = {"status": "; a status in a language the import does not read? export with Pipedrive set to "
                    "English, or write a mapping that names each status"}
# A yes or no as Excel saves it in the machine's language (exprs.FALSY, exprs.TRUTHY), or Pipedrive's
# own words in English and German.
NOT_DONE = (*FALSY, "to do", "not done", "offen", "zu erledigen", "nicht erledigt")
DONE = (*TRUTHY, "done", "erledigt")
# The standard types in English and German, and the plain words of French, Spanish, Italian, Dutch
# and Portuguese ("Appel" was a type of its own beside "call" in a breakdown by type): the words
# every import reads (schema.ACTIVITY_TYPE_WORDS), and Pipedrive's own.
ACTIVITY_TYPES = {**ACTIVITY_TYPE_WORDS,
                  "call": "call", "email": "email", "meeting": "meeting", "task": "task"}


def _closed_at(won: Col, lost: Col, closed: Col) -> Case:
    return Case((
        (Is(Ref("status"), "won"), First(won, closed)),
        (Is(Ref("status"), "lost"), First(lost, closed)),
    ))


def _deals(name: str, label: str, *, api: bool) -> Mapping:
    def c(api_name: str, ui_label: str) -> Col:
        return Col(api_name) if api else Col(f"{label} - {ui_label}")

    status, owner = c("status", "Status"), First(c("user_id", "Owner"), c("owner_name", "Owner"))
    owner_name = c("owner_name", "Owner")
    return Mapping(
        name, "deals",
        {
            "deal_id": c("id", "ID"),
            "rep_id": owner,
            "account": c("org_name", "Organization"),
            "created_at": c("add_time", "Deal created"),
            "closed_at": _closed_at(c("won_time", "Won time"), c("lost_time", "Lost time"),
                                    c("close_time", "Deal closed on")),
            "status": Map(status, STATUS),
            "amount": c("value", "Value"),
            "currency": c("currency", "Currency"),
            "source": c("channel", "Source channel"),
            "stage": c("stage_id", "Stage"),
            "pipeline": c("pipeline_id", "Pipeline"),
            "lost_reason": c("lost_reason", "Lost reason"),
            "expected_close_on": c("expected_close_date", "Expected close date"),
            "probability": Col(*c("probability", "Probability").names, unit="percent"),
        },
        also=(owners(owner, owner_name),),
        identify=(c("title", "Title"), status),
        skip=(Skip(Is(status, *DELETED), "deleted deals", gone=True),),
        stage_changed_at=c("stage_change_time", "Last stage change"),
        track_stages=True,
        naive_utc=api,
        vendor="pipedrive",
        advice=ADVICE,
    )


def _activities(name: str, *, api: bool) -> Mapping:
    def c(api_name: str, ui_label: str) -> Col:
        return Col(api_name) if api else Col(f"Activity - {ui_label}")

    owner = First(c("user_id", "Assigned to user"), c("owner_name", "Assigned to user"))
    done = c("done", "Done")
    return Mapping(
        name, "activities",
        {
            "activity_id": c("id", "ID"),
            "rep_id": owner,
            "type": Map(c("type", "Type"), ACTIVITY_TYPES),
            "occurred_at": First(c("marked_as_done_time", "Marked as done time"),
                                 Join(c("due_date", "Due date"), c("due_time", "Due time"))),
            "deal_id": c("deal_id", "Deal ID"),
            "duration_seconds": Col(*c("duration", "Duration").names, unit="hms"),
        },
        also=(owners(owner, c("owner_name", "Assigned to user")),),
        identify=(c("type", "Type"), c("due_date", "Due date")),
        skip=(Skip(Is(done, *NOT_DONE), "activities not done yet (planned)", of=done,
                   known=(*NOT_DONE, *DONE)),),
        naive_utc=api,
        vendor="pipedrive",
    )


USERS = Mapping(
    "Pipedrive users", "reps",
    {"rep_id": Col("id", "User - ID"), "name": Col("name", "User - Name")},
    identify=(Col("active_flag", "User - Active"), Col("email", "User - Email")),
    vendor="pipedrive",
)

MAPPINGS = (
    _deals("Pipedrive deals (API)", "Deal", api=True),
    _deals("Pipedrive deals export", "Deal", api=False),
    _activities("Pipedrive activities (API)", api=True),
    _activities("Pipedrive activities export", api=False),
    USERS,
)
