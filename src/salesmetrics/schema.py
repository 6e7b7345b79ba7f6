"""The canonical records: what each table holds, which columns are required, and its DDL.

Every importer ends in these tables, and every KPI reads only these. Timestamps are stored as naive local
times in the workspace's time zone (converted on import), so periods and date buckets are plain
comparisons on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["id", "text", "date", "timestamp", "money", "decimal", "int", "bool", "share"]

SQL_TYPES: dict[Kind, str] = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "money": "DECIMAL(18, 2)",
    "decimal": "DECIMAL(18, 6)",
    "int": "BIGINT",
    "bool": "BOOLEAN",
    # A probability: a share from 0 to 1, written so (0.6) or as a percentage (60%).
    "share": "DECIMAL(18, 6)",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] | None = None  # allowed values (lower-case) for an enum-like text column
    min_value: float | None = None
    max_value: float | None = None
    references: str | None = None  # "table.column" that must hold this value (when not empty)
    # The reference holds only once the referenced table has records (in the workspace or the
    # import): deals name accounts freely until accounts are imported, then they must exist.
    references_once_filled: bool = False
    # Words read as another value (lower-case), where the KPIs read that value: an export's
    # "Termin" is a meeting, as the German pages say "Termin" for one.
    synonyms: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # identity of a record: a newer row with the same key replaces the old one
    description: str = ""
    one_of: tuple[str, ...] = field(default=())  # at least one of these must be filled

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def ddl(self) -> str:
        cols = ",\n  ".join(f"{c.name} {SQL_TYPES[c.kind]}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"


DEAL_STATUSES = ("open", "won", "lost")
# The activity types the KPIs read (meeting and demo for conversions, calls and emails in the mix)
# and the task, in the words of the languages CRMs export in: German ("Termin" went in as a type of
# its own, and meeting-to-win read nothing), French, Spanish, Italian, Dutch and Portuguese.
ACTIVITY_TYPE_WORDS = {
    "anruf": "call", "telefonat": "call", "e-mail": "email", "termin": "meeting",
    "besprechung": "meeting", "vorführung": "demo", "produktvorführung": "demo", "aufgabe": "task",
    "appel": "call", "réunion": "meeting", "rendez-vous": "meeting", "démonstration": "demo",
    "tâche": "task", "courriel": "email",
    "llamada": "call", "reunión": "meeting", "demostración": "demo", "tarea": "task", "correo": "email",
    "correo electrónico": "email", "chiamata": "call", "riunione": "meeting", "dimostrazione": "demo",
    "telefoongesprek": "call", "vergadering": "meeting", "taak": "task",
    "chamada": "call", "ligação": "call", "reunião": "meeting", "demonstração": "demo", "tarefa": "task"}
# How sure the rep is that an open deal closes when expected, as the CRMs' forecast tools call it.
FORECAST_CATEGORIES = ("commit", "best_case", "pipeline", "omitted")
# The values of a deal whose changes are kept at every import (deal_changes).
TRACKED_DEAL_COLUMNS = ("amount", "expected_close_on", "forecast_category", "probability", "stage")
_TRACKED_KINDS: tuple[tuple[str, Kind], ...] = (
    ("amount", "money"), ("expected_close_on", "date"), ("forecast_category", "text"),
    ("probability", "share"), ("stage", "text"),
)
# What an enablement program is (programs.kind): the article's training, playbook, onboarding and content.
PROGRAM_KINDS = ("training", "onboarding", "playbook", "content", "tool")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "reps",
            (
                Column("rep_id", "id", required=True),
                Column("name", "text"),
                Column("team", "text"),
                Column("hired_on", "date"),
            ),
            key=("rep_id",),
            description="Sales reps, the team they belong to and their hire date.",
        ),
        Table(
            "products",
            (
                Column("product_id", "id", required=True),
                Column("name", "text"),
                Column("unit_price", "money"),
                Column("currency", "text"),
            ),
            key=("product_id",),
            description="Products and services with their list price.",
        ),
        Table(
            "deals",
            (
                Column("deal_id", "id", required=True),
                Column("rep_id", "id", required=True, references="reps.rep_id"),
                Column("account", "text", references="accounts.account_id",
                       references_once_filled=True),
                Column("created_at", "timestamp", required=True),
                Column("closed_at", "timestamp"),  # required once won or lost
                Column("status", "text", required=True, choices=DEAL_STATUSES),
                Column("amount", "money", required=True),
                Column("currency", "text"),
                Column("source", "text"),
                Column("stage", "text"),
                Column("pipeline", "text"),
                Column("lost_reason", "text"),
                Column("expected_close_on", "date"),  # an open deal's expected close date
                Column("forecast_category", "text", choices=FORECAST_CATEGORIES),
                Column("probability", "share"),
            ),
            key=("deal_id",),
            description="Opportunities: open, won or lost, with their amount; open ones with when they "
                        "are expected to close, their forecast category and win probability.",
        ),
        Table(
            "deal_items",
            (
                Column("deal_id", "id", required=True, references="deals.deal_id"),
                Column("product_id", "id", required=True, references="products.product_id"),
                Column("quantity", "decimal", required=True, min_value=0),
                Column("unit_price", "money", required=True),
            ),
            key=("deal_id", "product_id"),
            description="What a deal sold: product, quantity and unit price (in the deal's currency).",
        ),
        Table(
            "activities",
            (
                Column("activity_id", "id", required=True),
                Column("rep_id", "id", required=True, references="reps.rep_id"),
                Column("type", "text", required=True, synonyms=tuple(ACTIVITY_TYPE_WORDS.items())),
                Column("occurred_at", "timestamp", required=True),
                Column("deal_id", "id", references="deals.deal_id"),
                Column("duration_seconds", "int", min_value=0),
                Column("direction", "text"),  # inbound or outbound, as the CRM says
                Column("outcome", "text"),    # the call's disposition: connected, voicemail, ...
            ),
            key=("activity_id",),
            description="Calls, emails, social touches, meetings and demos.",
        ),
        Table(
            "quotas",
            (
                Column("rep_id", "id", references="reps.rep_id"),
                Column("team", "text"),
                Column("period_start", "date", required=True),
                Column("period_end", "date", required=True),  # inclusive, as people write it
                Column("amount", "money", required=True, min_value=0),
                Column("currency", "text"),
            ),
            key=("rep_id", "team", "period_start", "period_end"),
            one_of=("rep_id", "team"),
            description="Sales targets per rep or per team for a date range (end date inclusive).",
        ),
        Table(
            "nps_responses",
            (
                Column("response_id", "id", required=True),
                Column("account", "text"),
                Column("score", "int", required=True, min_value=0, max_value=10),
                Column("responded_at", "timestamp", required=True),
                Column("rep_id", "id", references="reps.rep_id"),
            ),
            key=("response_id",),
            description="Answers to the NPS question, 0-10.",
        ),
        Table(
            "stage_history",
            (
                Column("deal_id", "id", required=True, references="deals.deal_id"),
                Column("stage", "text", required=True),
                Column("entered_at", "timestamp", required=True),
            ),
            key=("deal_id", "stage", "entered_at"),
            description="When each deal entered each pipeline stage.",
        ),
        Table(
            "accounts",
            (
                Column("account_id", "id", required=True),  # what deals.account names
                Column("name", "text"),
                Column("segment", "text"),
                Column("industry", "text"),
                Column("region", "text"),
                Column("employees", "int", min_value=0),
                Column("country", "text"),
            ),
            key=("account_id",),
            description="The companies deals are with: segment, industry, region, size and country.",
        ),
        Table(
            "deal_changes",
            (
                Column("deal_id", "id", required=True, references="deals.deal_id"),
                Column("changed_at", "timestamp", required=True),
                *(part for name, kind in _TRACKED_KINDS
                  for part in (Column(f"old_{name}", kind), Column(f"new_{name}", kind))),
            ),
            key=("deal_id", "changed_at"),
            description="The history of each deal's amount, expected close date, forecast category, "
                        "probability and stage: old and new values, at the time of the import that "
                        "saw the change (old values empty: the deal's first import).",
        ),
        Table(
            "fx_rates",
            (
                Column("date", "date", required=True),
                Column("currency", "text", required=True),
                Column("rate_to_base", "decimal", required=True, min_value=0),
            ),
            key=("date", "currency"),
            description="Exchange rates: one unit of `currency` is `rate_to_base` in the base currency.",
        ),
        Table(
            "programs",
            (
                Column("program_id", "id", required=True),
                Column("name", "text", required=True),  # unique, in any case: how people name it
                Column("kind", "text", choices=PROGRAM_KINDS),
                Column("start_on", "date", required=True),
                Column("end_on", "date"),  # the day it ended; the "after" window starts on it
                Column("cost", "money", min_value=0),
                Column("currency", "text"),
            ),
            key=("program_id",),
            description="Enablement programs (trainings, playbooks, onboarding, content, tools) and "
                        "when they ran, with what they cost.",
        ),
        Table(
            "program_participants",
            (
                Column("program_id", "id", required=True, references="programs.program_id"),
                Column("rep_id", "id", required=True, references="reps.rep_id"),
            ),
            key=("program_id", "rep_id"),
            description="Which reps took part in which program.",
        ),
    )
}

# Tables are written in this order so references resolve within one import.
IMPORT_ORDER = (
    "reps", "products", "accounts", "deals", "deal_items", "activities", "quotas", "nps_responses",
    "stage_history", "deal_changes", "fx_rates", "programs", "program_participants",
)
