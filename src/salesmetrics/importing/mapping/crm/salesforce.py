"""Salesforce exports.

Where it comes from: the Salesforce Object Reference and Field Reference (developer.salesforce.com:
Opportunity, OpportunityHistory, User, Task, Event). Data Loader and API exports carry the API
names (``StageName``, ``IsWon``), report exports the field labels ("Stage", "Won", "Opportunity
Owner"); both are accepted. Facts the mapping relies on:

* ``CloseDate`` is the expected date while an opportunity is open (its ``expected_close_on``), the
  actual one once closed (``IsClosed``); ``IsWon`` tells won from lost. Without the flags the
  standard closed stages decide, in the languages of Salesforce's screens; another stage that reads
  closed is refused (common.deal_status).
* ``ForecastCategoryName`` ("Forecast Category": Omitted, Pipeline, Best Case, Commit, Closed) is
  kept for open opportunities; ``Probability`` ("Probability (%)") is a percentage, 0 to 100.
* ``LastStageChangeDate`` (where exported) is when the current stage was entered.
* Reports name the owner ("Opportunity Owner"); the API gives ``OwnerId``. The name then serves as
  the rep's id.
* An activity's ``WhatId`` points at any record; only opportunity ids (key prefix ``006``) are deals.
  Open tasks (``IsClosed`` false; where it is empty or not exported, a Status of Not Started, In
  Progress, Waiting on someone else or Deferred) have not happened yet and are skipped; a task's
  ``ActivityDate`` is its due date, so ``CompletedDateTime`` wins where exported.
* ``OpportunityHistory`` rows are the stage history itself: ``OpportunityId``, ``StageName``,
  ``CreatedDate`` (when the stage was entered).
"""

from __future__ import annotations

from ..exprs import FALSY, TRUTHY, All, Col, Const, First, Is, Map, Not, Present, StartsWith, when
from ..model import Mapping, Skip
from .common import (
    amount_of_open_as_zero,
    closed_only,
    deal_status,
    forecast_category,
    open_only,
    owners,
    stage_advice,
)

_WON = Col("IsWon", "Won")
_CLOSED = Col("IsClosed", "Closed")
_STAGE = Col("StageName", "Stage")
_OWNER_ID = Col("OwnerId", "Owner ID", "Opportunity Owner ID")
_OWNER_NAME = Col("Owner.Name", "Opportunity Owner", "Owner Name")

# The standard closed stages, as Salesforce's screens name them in English, German, French, Spanish,
# Italian, Dutch and Portuguese (a report export writes the label of the user's language).
STATUS = deal_status(_WON, _CLOSED, _STAGE, {
    "closed won": "won", "closed lost": "lost",
    "geschlossen und gewonnen": "won", "geschlossen und verloren": "lost",
    "fermée gagnée": "won", "fermée perdue": "lost", "fermée/gagnée": "won", "fermée/perdue": "lost",
    "cerrada ganada": "won", "cerrada perdida": "lost", "chiusa vinta": "won", "chiusa persa": "lost",
    "gesloten gewonnen": "won", "gesloten verloren": "lost", "fechado/ganho": "won",
    "fechado/perdido": "lost", "fechada ganha": "won", "fechada perdida": "lost"})

OPPORTUNITIES = Mapping(
    "Salesforce opportunities", "deals",
    {
        "deal_id": Col("Id", "Opportunity ID", "OpportunityId"),
        "rep_id": First(_OWNER_ID, _OWNER_NAME),
        "account": Col("Account.Name", "Account Name"),
        "created_at": Col("CreatedDate", "Created Date"),
        "closed_at": closed_only(Col("CloseDate", "Close Date")),
        "status": STATUS,
        "amount": amount_of_open_as_zero(Col("Amount")),
        # A report from an org of several currencies writes each money field's own beside it.
        "currency": Col("CurrencyIsoCode", "Opportunity Currency", "Currency ISO Code", "Amount Currency",
                        "Currency"),
        "source": Col("LeadSource", "Lead Source"),
        "stage": _STAGE,
        "pipeline": Col("RecordType.Name", "Opportunity Record Type"),
        "lost_reason": Col("Loss_Reason__c", "Loss Reason"),
        "expected_close_on": open_only(Col("CloseDate", "Close Date")),
        "forecast_category": forecast_category(
            Col("ForecastCategoryName", "Forecast Category", "ForecastCategory")),
        "probability": Col("Probability", "Probability (%)", unit="percent"),
    },
    also=(owners(First(_OWNER_ID, _OWNER_NAME), _OWNER_NAME),),
    identify=(Col("StageName", "Stage"), Col("CloseDate", "Close Date")),
    stage_changed_at=Col("LastStageChangeDate", "Last Stage Change Date"),
    track_stages=True,
    flags=(_WON, _CLOSED),
    vendor="salesforce",
    advice=stage_advice(_WON, _CLOSED),
)

HISTORY = Mapping(
    "Salesforce opportunity history", "stage_history",
    {
        "deal_id": Col("OpportunityId", "Opportunity ID"),
        "stage": Col("StageName", "Stage", "To Stage"),
        "entered_at": Col("CreatedDate", "Created Date", "Last Modified"),
    },
    identify=(Col("OpportunityId", "Opportunity ID"), Col("StageName", "Stage", "To Stage")),
    vendor="salesforce",
)

USERS = Mapping(
    "Salesforce users", "reps",
    {
        "rep_id": Col("Id", "User ID"),
        "name": Col("Name", "Full Name"),
        "team": Col("UserRole.Name", "Role"),
    },
    # A Data Loader export of User may leave out the login (Username): IsActive tells it too.
    identify=(Col("Username", "User Name", "IsActive", "Active"),),
    vendor="salesforce",
)

_TASK_STATUS = Col("Status", "Task Status")
# The standard task statuses, open and done, as the screens name them in English, German, French,
# Spanish, Italian, Dutch and Portuguese. Without IsClosed, a status of neither list is refused: a
# French "En attente de quelqu'un d'autre" was counted as an activity done.
_OPEN_TASK = ("not started", "in progress", "waiting on someone else", "deferred",
              "nicht begonnen", "in bearbeitung", "wartet auf jemand anderen", "zurückgestellt",
              "non commencé", "non commencée", "en cours", "en attente de quelqu'un d'autre",
              "en attente de quelqu’un d’autre", "différé", "différée", "reporté", "reportée",
              "no iniciada", "no iniciado", "en curso", "en espera de otra persona", "aplazada", "aplazado",
              "non iniziato", "non iniziata", "in corso", "in attesa di qualcun altro", "rinviato",
              "rinviata",
              "niet gestart", "bezig", "wacht op iemand anders", "uitgesteld",
              "não iniciado", "não iniciada", "em andamento", "aguardando outra pessoa", "adiado", "adiada")
_DONE_TASK = ("completed", "abgeschlossen", "erledigt", "terminé", "terminée", "complété", "complétée",
              "completada", "completado", "completato", "completata", "voltooid", "concluído", "concluída")
_ACTIVITY_OWNER = First(Col("OwnerId", "Assigned ID", "Owner ID"), Col("Owner.Name", "Assigned"))
_WHAT = Col("WhatId", "Related To ID")

TASKS = Mapping(
    "Salesforce tasks", "activities",
    {
        "activity_id": Col("Id", "Activity ID", "Task ID"),
        "rep_id": _ACTIVITY_OWNER,
        "type": First(
            Map(Col("TaskSubtype", "Task Subtype"), {"call": "call", "email": "email",
                                                     "listemail": "email", "linkedin": "social",
                                                     "task": "task", "cadence": "task"}),
            when(Present(Col("CallType", "Call Type")), Const("call")),
            Const("task"),
        ),
        "occurred_at": First(Col("CompletedDateTime", "Completed Date/Time"),
                             Col("ActivityDate", "Due Date", "Date"), Col("CreatedDate", "Created Date")),
        "deal_id": when(StartsWith(_WHAT, "006"), _WHAT),
        "duration_seconds": Col("CallDurationInSeconds", "Call Duration"),
        "direction": Map(Col("CallType", "Call Type"), {"inbound": "inbound", "outbound": "outbound",
                                                        "internal": "internal"}),
        "outcome": Col("CallDisposition", "Call Result"),
    },
    also=(owners(_ACTIVITY_OWNER, Col("Owner.Name", "Assigned")),),
    identify=(Col("ActivityDate", "Due Date", "Date"), Col("Subject")),
    # Any other IsClosed than a yes or a no is refused: "FALSCH" (German Excel) or "Nein" read as a
    # done task, as anything but false and 0 did.
    # A task report often has no IsClosed, only the Status: its standard open ones (English and
    # German) were counted as activities done.
    # Where IsClosed is empty, or not exported, the Status decides (an empty IsClosed beside a Status
    # is no unknown value then).
    skip=(Skip(Is(_CLOSED, *FALSY), "open tasks (not done yet)", of=_CLOSED, known=(*FALSY, *TRUTHY),
               unless=_TASK_STATUS),
          Skip(All(Not(Present(_CLOSED)), Is(_TASK_STATUS, *_OPEN_TASK)), "tasks not started, in progress, "
               "waiting or deferred (Status)", of=_TASK_STATUS, known=(*_OPEN_TASK, *_DONE_TASK),
               where_empty=_CLOSED, said=(*_OPEN_TASK[:4], _DONE_TASK[0]),
               hint="; a status of your own? export the column 'Closed' (IsClosed) filled for every task, "
               "which then decides (the standard statuses are read in seven languages)")),
    vendor="salesforce",
)

EVENTS = Mapping(
    "Salesforce events", "activities",
    {
        "activity_id": Col("Id", "Activity ID", "Event ID"),
        "rep_id": _ACTIVITY_OWNER,
        "type": Const("meeting"),
        "occurred_at": First(Col("StartDateTime", "Start", "Start Date Time"),
                             Col("ActivityDateTime"), Col("ActivityDate", "Date")),
        "deal_id": when(StartsWith(_WHAT, "006"), _WHAT),
    },
    also=(owners(_ACTIVITY_OWNER, Col("Owner.Name", "Assigned")),),
    identify=(Col("StartDateTime", "Start", "Start Date Time", "DurationInMinutes"),),
    vendor="salesforce",
)

MAPPINGS = (OPPORTUNITIES, HISTORY, USERS, TASKS, EVENTS)
