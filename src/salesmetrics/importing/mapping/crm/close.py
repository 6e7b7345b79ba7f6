"""Close (close.com) exports.

Where it comes from: the field names of Close's REST API objects (developer.close.com: Opportunity,
User, Call, Email and Meeting activities), which are also the column names of the CSV that Close's
"Export" gives for opportunities and activities. Facts the mapping relies on:

* ``value`` is in cents (``50000`` with ``value_formatted`` ``$500``), in ``value_currency``;
  ``value_period`` is ``one_time``, ``monthly`` or ``annual``. Recurring opportunities count at
  their yearly value, as Close's own ``annualized_value`` does.
* ``status_type`` is ``active``, ``won`` or ``lost``; ``status_label`` is the user's name for the
  status, which serves as the stage.
* ``date_won`` is the (expected, then actual) win date: an active opportunity's is its expected
  close date. Close has no loss date in older exports: a lost opportunity's ``date_lost`` where
  exported, else ``date_updated``, its last change.
* ``confidence`` is the win probability in percent, 0 to 100. Close has no forecast categories.
* Calls have ``direction`` (inbound/outbound), ``duration`` in seconds and ``disposition``
  (answered, no-answer, vm-answer, ...). Emails in ``status`` draft/scheduled/outbox were never sent;
  meetings ``upcoming`` or canceled did not happen: both are skipped and counted.
"""

from __future__ import annotations

from ..exprs import Case, Col, Const, First, Is, Join, Map, Ref, Times
from ..model import Mapping, Skip
from .common import amount_of_open_as_zero, open_only, owners

STATUS = {"active": "open", "won": "won", "lost": "lost"}
_VALUE = Col("value", unit="cents")

OPPORTUNITIES = Mapping(
    "Close opportunities", "deals",
    {
        "deal_id": Col("id", "opportunity_id"),
        "rep_id": First(Col("user_id"), Col("user_name")),
        "account": Col("lead_name"),
        "created_at": Col("date_created"),
        "closed_at": Case((
            (Is(Ref("status"), "won"), Col("date_won")),
            (Is(Ref("status"), "lost"), First(Col("date_lost"), Col("date_updated"))),
        )),
        "status": Map(Col("status_type"), STATUS),
        # An active opportunity without a value counts as 0, as HubSpot's and Salesforce's do.
        "amount": amount_of_open_as_zero(Case((
            (Is(Col("value_period"), "monthly"), Times(_VALUE, 12)),
        ), otherwise=_VALUE)),
        "currency": Col("value_currency"),
        "stage": Col("status_label"),
        "pipeline": Col("pipeline_name"),
        "expected_close_on": open_only(Col("date_won")),
        "probability": Col("confidence", unit="percent"),
    },
    also=(owners(First(Col("user_id"), Col("user_name")), Col("user_name")),),
    identify=(Col("status_type"),),
    track_stages=True,
    vendor="close",
)

USERS = Mapping(
    "Close users", "reps",
    {"rep_id": Col("id", "user_id"), "name": Join(Col("first_name"), Col("last_name"))},
    identify=(Col("first_name"), Col("last_name"), Col("email")),
    vendor="close",
)

_ACTIVITY = {
    "activity_id": Col("id"),
    "rep_id": First(Col("user_id"), Col("user_name")),
    "deal_id": Col("opportunity_id"),
}
_ACTIVITY_OWNERS = (owners(First(Col("user_id"), Col("user_name")), Col("user_name")),)

CALLS = Mapping(
    "Close calls", "activities",
    {
        **_ACTIVITY,
        "type": Const("call"),
        "occurred_at": First(Col("activity_at"), Col("date_created")),
        "duration_seconds": Col("duration"),
        "direction": Col("direction"),
        "outcome": Col("disposition"),
    },
    also=_ACTIVITY_OWNERS,
    identify=(Col("duration"), Col("direction")),
    vendor="close",
)

EMAILS = Mapping(
    "Close emails", "activities",
    {
        **_ACTIVITY,
        "type": Const("email"),
        "occurred_at": First(Col("date_sent"), Col("activity_at"), Col("date_created")),
        "direction": Col("direction"),
    },
    also=_ACTIVITY_OWNERS,
    identify=(Col("subject"), Col("direction")),
    skip=(Skip(Is(Col("status"), "draft", "scheduled", "outbox", "error"), "emails never sent"),),
    vendor="close",
)

MEETINGS = Mapping(
    "Close meetings", "activities",
    {
        **_ACTIVITY,
        "type": Const("meeting"),
        "occurred_at": First(Col("starts_at"), Col("activity_at"), Col("date_created")),
        "duration_seconds": Col("duration"),
    },
    also=_ACTIVITY_OWNERS,
    identify=(Col("starts_at"),),
    skip=(Skip(Is(Col("status"), "upcoming", "canceled", "declined-by-lead", "declined-by-org"),
               "meetings that did not take place"),),
    vendor="close",
)

MAPPINGS = (OPPORTUNITIES, USERS, CALLS, EMAILS, MEETINGS)
