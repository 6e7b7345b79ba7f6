"""HubSpot exports.

Where it comes from: HubSpot's default deal properties (knowledge.hubspot.com, "HubSpot's default
deal properties"; developers.hubspot.com CRM deals, owners and engagements APIs). API exports carry
the internal names (``dealname``, ``closedate``, ...), the CRM's "Export" the labels ("Deal Name",
"Close Date", "Deal owner", ...); both are accepted. Facts the mapping relies on:

* ``closedate`` is the expected close date while a deal is open and the actual one once closed:
  an open deal's is its ``expected_close_on`` (the day, in the workspace's time zone), a closed
  deal's its ``closed_at``.
* ``hs_forecast_category`` ("Forecast category": ``OMIT``, ``PIPELINE``, ``BEST_CASE``, ``COMMIT``,
  ``CLOSED``; labels "Not forecasted", "Pipeline", "Best case", "Commit") is kept for open deals;
  ``hs_deal_stage_probability`` ("Deal probability") is a share from 0 to 1.
* Whether a deal is won or lost is in ``hs_is_closed_won`` and ``hs_is_closed``. Exports without
  them fall back on the default pipeline's stages ``closedwon`` / ``closedlost`` ("Closed Won",
  "Closed Lost"); any other stage is open. Custom pipelines with their own closed stages need the
  two flags in the export.
* The UI export names the owner ("Deal owner": "Jane Doe"); the API gives ``hubspot_owner_id``.
  The name then serves as the rep's id: import one kind of export consistently.
* Call durations (``hs_call_duration``) are in milliseconds.
"""

from __future__ import annotations

from ..exprs import Col, Const, Day, First, Join, Map
from ..model import Mapping
from .common import (
    amount_of_open_as_zero,
    closed_only,
    deal_status,
    forecast_category,
    open_only,
    owners,
    stage_advice,
)

_WON = Col("hs_is_closed_won", "Is Closed Won")
_CLOSED = Col("hs_is_closed", "Is Deal Closed?", "Is Closed")
_STAGE = Col("dealstage", "Deal Stage")
_OWNER_ID = Col("hubspot_owner_id", "Deal owner ID", "Owner ID")
_OWNER_NAME = Col("Deal owner", "Deal Owner", "hubspot_owner_name")

# The default pipeline's closed stages: their ids, and their labels in English and German, and as
# the screens in French, Spanish, Italian, Dutch and Portuguese are commonly translated (a label
# not listed that reads closed is refused by name, with the ways out: common.stage_advice).
STATUS = deal_status(_WON, _CLOSED, _STAGE, {
    "closedwon": "won", "closed won": "won", "closedlost": "lost", "closed lost": "lost",
    "abgeschlossen und gewonnen": "won", "abgeschlossen und verloren": "lost",
    "fermé gagné": "won", "fermé perdu": "lost", "conclu gagné": "won", "conclu perdu": "lost",
    "fermée gagnée": "won", "fermée perdue": "lost", "cerrado ganado": "won", "cerrado perdido": "lost",
    "cerrada ganada": "won", "cerrada perdida": "lost", "chiuso vinto": "won", "chiuso perso": "lost",
    "chiusa vinta": "won", "chiusa persa": "lost",
    "gesloten gewonnen": "won", "gesloten verloren": "lost", "fechado ganho": "won",
    "fechado perdido": "lost"})

DEALS = Mapping(
    "HubSpot deals", "deals",
    {
        "deal_id": Col("hs_object_id", "Record ID", "Deal ID", "dealId", "id"),
        "rep_id": First(_OWNER_ID, _OWNER_NAME),
        "account": Col("Associated Company", "associated_company"),
        "created_at": Col("createdate", "Create Date", "Created Date"),
        "closed_at": closed_only(Col("closedate", "Close Date")),
        "status": STATUS,
        "amount": amount_of_open_as_zero(Col("amount", "Amount")),
        "currency": Col("deal_currency_code", "Currency", "Deal currency code"),
        "source": Col("hs_analytics_source", "Original Source Type", "Original Traffic Source"),
        "stage": _STAGE,
        "pipeline": Col("pipeline", "Pipeline"),
        "lost_reason": Col("closed_lost_reason", "Closed Lost Reason"),
        "expected_close_on": open_only(Day(Col("closedate", "Close Date"))),
        "forecast_category": forecast_category(
            Col("hs_forecast_category", "hs_manual_forecast_category", "Forecast category")),
        "probability": Col("hs_deal_stage_probability", "Deal probability", "Deal Stage Probability"),
    },
    also=(owners(First(_OWNER_ID, _OWNER_NAME), _OWNER_NAME),),
    identify=(Col("dealname", "Deal Name"),),
    stage_changed_at=Col("hs_v2_date_entered_current_stage", "Date entered current stage"),
    track_stages=True,
    flags=(_WON, _CLOSED),
    vendor="hubspot",
    advice=stage_advice(_WON, _CLOSED),
)

OWNERS = Mapping(
    "HubSpot owners", "reps",
    {
        "rep_id": Col("id", "ownerId", "Owner ID", "hubspot_owner_id"),
        "name": Join(Col("firstName", "First Name"), Col("lastName", "Last Name")),
        "team": Col("primaryTeamName", "Team", "Primary team"),
    },
    identify=(Col("firstName", "First Name"), Col("lastName", "Last Name")),
    vendor="hubspot",
)

_ACTIVITY = {
    "activity_id": Col("hs_object_id", "Record ID", "id"),
    "rep_id": First(_OWNER_ID, Col("Activity assigned to", "Call owner", "Meeting owner", "Email owner")),
    "occurred_at": Col("hs_timestamp", "Activity date", "Activity Date"),
    "deal_id": Col("associated_deal_id", "Associated Deal IDs", "Associated Deal"),
}
_NAMED = Col("Activity assigned to", "Call owner", "Meeting owner", "Email owner")
_ACTIVITY_OWNERS = (owners(First(_OWNER_ID, _NAMED), _NAMED),)

CALLS = Mapping(
    "HubSpot calls", "activities",
    {
        **_ACTIVITY,
        "type": Const("call"),
        "duration_seconds": Col("hs_call_duration", unit="ms"),
        "direction": Map(Col("hs_call_direction", "Call direction"), {"inbound": "inbound",
                                                                       "outbound": "outbound"}),
        "outcome": Col("hs_call_disposition", "Call outcome"),
    },
    also=_ACTIVITY_OWNERS,
    identify=(Col("hs_call_duration", "hs_call_direction", "hs_call_disposition", "Call outcome"),),
    vendor="hubspot",
)

MEETINGS = Mapping(
    "HubSpot meetings", "activities",
    {
        **_ACTIVITY,
        "type": Const("meeting"),
        "occurred_at": First(Col("hs_meeting_start_time", "Meeting start time"),
                             Col("hs_timestamp", "Activity date")),
        "outcome": Col("hs_meeting_outcome", "Meeting outcome"),
    },
    also=_ACTIVITY_OWNERS,
    identify=(Col("hs_meeting_start_time", "Meeting start time", "hs_meeting_outcome"),),
    vendor="hubspot",
)

EMAILS = Mapping(
    "HubSpot emails", "activities",
    {
        **_ACTIVITY,
        "type": Const("email"),
        "direction": Map(Col("hs_email_direction", "Email direction"),
                         {"email": "outbound", "incoming_email": "inbound", "forwarded_email": "outbound"}),
    },
    also=_ACTIVITY_OWNERS,
    identify=(Col("hs_email_direction", "Email direction"),),
    vendor="hubspot",
)

MAPPINGS = (DEALS, OWNERS, CALLS, MEETINGS, EMAILS)
