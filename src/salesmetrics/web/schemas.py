"""The shapes of the API's answers, for the OpenAPI schema (``/openapi.json``, ``/docs``).

Routes write their bodies with :func:`salesmetrics.decimal_json.dumps` (money as exact decimal
numbers), so these models describe the JSON rather than produce it; the API fuzz test
(tests/test_api_fuzz.py) checks every answer against them. Fields always present are required;
fields that come with an option (``as_of``, ``compare``) or a dimension (``rep``, ``team``, ...)
are allowed beside them. Money, rates and days are JSON numbers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Number = float | None


class Open(BaseModel):
    """A JSON object that may carry more fields than those named."""

    model_config = ConfigDict(extra="allow")


class PeriodOut(Open):
    label: str
    start: str
    end: str
    # Only on the period before (or a year before) of a period ending today: its records end at
    # this moment of its last day, as far into it as today's records go (README, "As of a day").
    cut_at: str | None = None


class KPIOut(Open):
    id: str
    title: str
    description: str
    unit: str
    aggregation: str
    higher_is_better: bool
    formula: str
    dimensions: list[str]


class ReportRow(Open):
    kpi: str
    value: Number
    unit: str
    n: int
    flags: list[str]
    ci_low: Number
    ci_high: Number
    target: Number
    target_status: str | None
    pace: Number


class Skip(Open):
    kpi: str
    reason: str
    # not_applicable (the grouping or filters), no_rate (money no exchange rate converts), or
    # no_line_items (by product, and no deal has line items)
    cause: Literal["not_applicable", "no_rate", "no_line_items"] = "not_applicable"


class Uncompared(Open):
    """A figure that stands, compared with nothing: the period before or a year before (``cause``,
    ``period``) has money no exchange rate converts (``reason``)."""

    kpi: str
    reason: str
    cause: Literal["previous_no_rate", "year_ago_no_rate"] = "previous_no_rate"
    period: str | None = None


class Unrated(Open):
    """A KPI answered by rep or team for every group but ``groups``, whose money no exchange rate
    converts (``reason``): their rows have no value and flag no_rate."""

    kpi: str
    reason: str
    cause: Literal["no_rate"] = "no_rate"
    groups: list[str]


class ReportOut(Open):
    period: PeriodOut
    by: list[str]
    filters: dict[str, list[str]]
    currency: str | None
    rows: list[ReportRow]
    skipped: list[Skip]
    unrated: list[Unrated] = []  # by rep or team: answered but for the groups named
    products_apart: ProductsApart | None = None  # by product: line items short of the revenue won
    uncompared: list[Uncompared] = []  # with a comparison (compare=true)
    # With as_of: the day asked, and the stretch measured (the period cut at its end).
    as_of: str | None = None
    measured_period: PeriodOut | None = None
    previous_period: PeriodOut | None = None  # with compare=true: the stretch compared with
    no_rows: list[str] = []  # grouped: the KPIs asked that no group has a row of
    closed_ahead: ClosedAheadOut | None = None


class ClosedAheadOut(BaseModel):
    """A running period's deals closed (won or lost) on a day still to come: not counted yet, as
    the period is read to today."""

    deals: int
    won: int
    last_closed_on: str


class HeadlineOut(Open):
    kpi: str
    unit: str
    value: Number
    previous: Number
    change: Number
    n: int
    flags: list[str]


class ProductsApart(BaseModel):
    """Where line items (quantity x price) do not add up to the revenue won: both sums."""

    line_items: Number
    revenue: Number


class SummaryOut(Open):
    period: PeriodOut
    previous_period: PeriodOut
    year_ago_period: PeriodOut
    currency: str | None
    headlines: list[HeadlineOut]
    top_reps: list[dict[str, Any]]
    products: list[dict[str, Any]]
    products_apart: ProductsApart | None = None
    uncompared: list[Uncompared] = []
    filters: dict[str, list[str]] = {}
    skipped: list[Skip] = []
    closed_ahead: ClosedAheadOut | None = None


class DashboardOut(Open):
    period: PeriodOut
    previous_period: PeriodOut
    year_ago_period: PeriodOut
    grain: str
    filters: dict[str, list[str]]
    currency: str | None
    tiles: list[HeadlineOut]
    skipped: list[Skip]
    closed_ahead: ClosedAheadOut | None = None
    uncompared: list[Uncompared] = []
    trend: list[dict[str, Any]]
    products: list[dict[str, Any]]
    products_apart: ProductsApart | None = None
    reps: list[dict[str, Any]]
    activity_mix: list[dict[str, Any]]
    nps_mix: dict[str, int]
    cycle: list[dict[str, Any]]
    data_version: int
    # The period before's trend, stretch beside stretch (a week's days beside the same days before).
    previous_trend: list[dict[str, Any]] = []
    attention: list[dict[str, Any]] = []  # "Needs attention": targets missed, below quota, drops
    company_targets: dict[str, Any] = {}
    explanations: dict[str, dict[str, str]] = {}  # per KPI, en and de
    programs: list[dict[str, Any]] = []


class UnratedOut(Open):
    """A deal listed with its amount empty: no exchange rate converts its currency."""

    deal_id: str
    currency: str
    amount: Number  # in its own currency


class RecordsOut(Open):
    kpi: str
    kind: str
    period: PeriodOut
    filters: dict[str, list[str]]
    currency: str | None
    columns: list[str]
    total: int
    offset: int
    rows: list[dict[str, Any]]
    # Behind a count (a win rate, days): the deals listed with the amount empty, for want of a rate.
    without_rate: list[UnratedOut] = []
    won_lost: dict[str, Any] | None = None  # behind a win rate: the deals and amounts won and lost


class RepOut(Open):
    rep: str
    name: str | None
    team: str | None


class RepLine(Open):
    kpi: str
    unit: str
    value: Number
    team_median: Number
    n: int
    flags: list[str]


class RepComparisonOut(Open):
    rep: str
    name: str | None
    team: str | None
    period: PeriodOut
    currency: str | None
    team_reps: list[str]
    kpis: list[RepLine]
    hired_on: str | None = None
    skipped: list[Skip] = []


class DiagnosisOut(Open):
    code: str
    text_en: str
    text_de: str


class ScorecardOut(Open):
    rep: str
    name: str | None
    team: str | None
    period: PeriodOut
    history_periods: list[PeriodOut]
    currency: str | None
    kpis: list[dict[str, Any]]
    diagnosis: DiagnosisOut
    programs: list[dict[str, Any]] = []
    skipped: list[Skip] = []


class PointOut(Open):
    key: str
    period: str
    value: Number
    currency: str | None
    n: int


class ActivitiesOut(Open):
    period: PeriodOut
    by: str | None
    filters: dict[str, list[str]]
    currency: str | None
    groups: list[dict[str, Any]]


class FunnelOut(Open):
    period: PeriodOut
    mode: str
    filters: dict[str, list[str]]
    currency: str | None
    has_stage_history: bool
    stages: list[dict[str, Any]] = []
    velocity: dict[str, Any] | None = None
    weighted_pipeline: dict[str, Any] | None = None
    refused: list[dict[str, Any]] = []


class SatisfactionOut(Open):
    period: PeriodOut
    filters: dict[str, list[str]]
    currency: str | None
    groups: list[dict[str, Any]]
    verdict: str
    # Promoters' revenue beside detractors' (ratio) and the gap (difference), with 95 % intervals.
    ratio: Number = None
    ratio_ci_low: Number = None
    ratio_ci_high: Number = None
    difference: Number = None
    difference_ci_low: Number = None
    difference_ci_high: Number = None
    p_value: Number = None
    claimed_uplift: Number = None
    min_accounts: int | None = None
    flags: list[str] = []  # small_sample: a verdict on fewer than 30 accounts a side, said as a hint


class RampOut(Open):
    as_of: str
    rule: str
    cohorts: list[dict[str, Any]]
    benchmark: dict[str, Any]
    threshold: Number = None
    sustain: str | None = None
    rule_text: str | None = None
    rule_text_de: str | None = None
    reps: int | None = None
    reps_with_hire_date: int | None = None
    hired_later: int | None = None
    first_record: str | None = None
    missing: str | None = None
    median_months: Number = None
    median_ci_low: Number = None
    median_ci_high: Number = None
    ramped_by_month_9: Number = None
    ramped_by_month_15: Number = None


class CycleOut(Open):
    period: PeriodOut
    filters: dict[str, list[str]]
    won_deals: int
    still_open: int
    flags: list[str]
    explanation_en: str
    explanation_de: str
    average_days: Number = None
    average_ci_low: Number = None
    average_ci_high: Number = None
    median_km_days: Number = None
    median_km_lower_bound: Number = None
    median_ci_low: Number = None
    median_ci_high: Number = None
    oldest_open_days: int | None = None
    open_longer_than_average: int | None = None


class TargetOut(Open):
    kpi: str
    scope: str
    value: float


class TargetStatusOut(Open):
    kpi: str
    scope: str
    target: Number
    status: str | None


class TargetRemovedOut(Open):
    removed: bool
    kpi: str
    team: str | None
    rep: str | None
    period: str | None


class ComparedKPIOut(Open):
    kpi: str
    unit: str
    groups: list[dict[str, Any]]


class CompareOut(Open):
    period: PeriodOut
    dimension: str
    groups: list[str]
    names: dict[str, str | None]
    currency: str | None
    baseline: str
    kpis: list[ComparedKPIOut]
    skipped: list[Skip] = []


class ValueLabel(Open):
    id: str
    label: str


class WorkspaceOut(Open):
    data_version: int
    counts: dict[str, int]
    # Every setting; the mail relay's (smtp_url, mail_from) only to an admin.
    settings: dict[str, str | None]
    kpis: int


class TableCountsOut(BaseModel):
    inserted: int
    updated: int
    unchanged: int


class SkippedOut(BaseModel):
    file: str
    reason: str
    rows: int


class DatedAfterOut(Open):
    records: int
    latest: str  # ISO 8601, the workspace's time zone


class LookAlikeOut(Open):
    records: int  # extra copies: answers alike with another under a different id
    example: list[str]  # the ids of one such set


class OverlapExampleOut(Open):
    rep: str
    spans: list[list[str]]  # first and last day of each record


class OverlapOut(Open):
    reps: int
    example: OverlapExampleOut


class ImportOut(Open):
    files: list[str]
    tables: dict[str, TableCountsOut]
    skipped: list[SkippedOut]
    # Per table, the records the files say were deleted at the source that the workspace still
    # holds and counts (an import removes none).
    deleted_at_source_still_counted: dict[str, list[str]] = {}
    # Per table and column no file had, the records that held a value and lost it (a record is
    # replaced whole by the newest file).
    emptied_by_missing_columns: dict[str, dict[str, int]] = {}
    # Per table and column, the records dated after the import's time (records, latest): they
    # count in the figures of their days.
    dated_after_import: dict[str, dict[str, DatedAfterOut]] = {}
    # Per table, records that agree with another in everything but the id (NPS answers: the same
    # score, account, rep and second): the same survey imported twice under ids made differently.
    look_alike: dict[str, LookAlikeOut] = {}
    # Per table, reps with two records whose days overlap (quotas: a corrected one beside the one it
    # corrects), which figures add up: how many reps, and one such pair.
    overlapping: dict[str, OverlapOut] = {}
    # Per manager, their teams no rep is on after an import of reps: their views hold none of those
    # teams' records.
    managers_teams_without_reps: dict[str, list[str]] = {}
    # The files with a header and no row: nothing of them was imported (an export filtered to nothing).
    files_without_rows: list[str] = []


# -- forecast, slippage, losses (issue 15) ---------------------------------------------------------
class ForecastLineOut(Open):
    """One rep's, team's or everyone's bars (with ``rep`` or ``team`` when grouped)."""

    closed_won: Number
    commit: Number
    best_case: Number
    pipeline: Number
    omitted: Number
    weighted: Number
    quota: Number
    gap: Number
    coverage: Number
    call_commit: Number
    call_best_case: Number
    overdue: Number
    overdue_deals: int
    unweighted: Number
    unweighted_deals: int
    undated: Number  # open deals never given an expected close date: in no bar (null: a rate missing)
    undated_deals: int
    deals: int
    flags: list[str]


class ForecastDealOut(Open):
    deal_id: str
    rep: str | None
    team: str | None
    bar: str
    amount: Number
    expected_close_on: str | None
    closed_at: str | None
    stage: str | None
    probability: Number
    probability_source: str | None
    weighted: Number


class ForecastOut(Open):
    period: PeriodOut
    as_of: str
    by: str | None
    filters: dict[str, list[str]]
    currency: str | None
    rows: list[ForecastLineOut]
    total: ForecastLineOut
    overdue: list[ForecastDealOut]
    deals: list[ForecastDealOut]
    # The period's deals already won or lost, dated after today: in no bar, said here.
    closed_ahead: ClosedAheadOut | None = None


class AccuracyRowOut(Open):
    """One past quarter of one rep or team (or everyone): the calls at its start and middle."""

    period: PeriodOut
    actual: Number
    start: dict[str, Any]
    middle: dict[str, Any]


class AccuracyOut(Open):
    by: str | None
    filters: dict[str, list[str]]
    currency: str | None
    periods: list[PeriodOut]
    kept_since: str | None
    rows: list[AccuracyRowOut]


class SlippedDealOut(Open):
    deal_id: str
    rep: str | None
    team: str | None
    status: str
    pushes: int
    days: int
    # "from" is a Python keyword: named by alias.
    first: str = Field(alias="from")
    to: str
    amount: Number
    moved_out: bool


class MovedOut(Open):
    deals: int
    amount: Number


class SlippageOut(Open):
    period: PeriodOut
    as_of: str
    filters: dict[str, list[str]]
    currency: str | None
    rows: list[SlippedDealOut]
    pushed_deals: int
    pushes: int
    moved_out: MovedOut
    has_history: bool
    has_expected_dates: bool
    history_from: str | None = None  # the first change kept: before it, nothing could be seen to slip


class LossRowOut(Open):
    """One lost reason (of one rep, team or segment when grouped), beside the period before."""

    lost_reason: str | None
    lost_count: int
    count_ci_low: Number
    count_ci_high: Number
    lost_value: Number
    closed: int
    lost_rate: Number
    ci_low: Number
    ci_high: Number
    previous_lost_count: int
    previous_lost_value: Number
    previous_closed: int
    previous_lost_rate: Number
    change: Number
    value_change: Number
    p_value: Number
    significant: bool | None


class LossesOut(Open):
    period: PeriodOut
    previous_period: PeriodOut
    by: str | None
    filters: dict[str, list[str]]
    currency: str | None
    rows: list[LossRowOut]
    lost_value_unknown: bool  # lost deals in the period, every one with an amount of 0
    closed_ahead: ClosedAheadOut | None = None  # a running period's deals closed after today


# -- enablement programs (issue 14) ----------------------------------------------------------------
class ProgramOut(Open):
    program_id: str
    name: str
    kind: str
    start_on: str
    end_on: str | None
    cost: Number
    currency: str | None
    participants: list[str]


class EffectRowOut(Open):
    """One KPI: the participants' and the others' figures before and after, and the difference in
    differences (``effect``) with its interval."""

    kpi: str
    unit: str
    basis: str
    participants_before: Number
    participants_after: Number
    others_before: Number
    others_after: Number
    effect: Number
    ci_low: Number
    ci_high: Number
    p_value: Number
    significant: bool | None
    n_participants: int
    n_others: int
    flags: list[str]


class EventStudyOut(Open):
    kpi: str
    unit: str
    points: list[dict[str, Any]]


class ComparisonGroupOut(Open):
    rule: str
    reps: list[str]


class NotMeasuredOut(Open):
    rep: str
    reason: Literal["hired_after_start", "inactive_before", "inactive_after"]
    hired_on: str | None


class AlsoInProgramOut(Open):
    program: str
    start_on: str
    participants: list[str]


class ProgramRampingOut(Open):
    since: str | None
    participants: list[str]
    others: list[str]


class ProgramEffectOut(Open):
    program: ProgramOut
    as_of: str | None = None  # with as_of: the day the records stood at, said back
    window_days: int
    before: PeriodOut
    after: PeriodOut
    comparison: ComparisonGroupOut
    participants_measured: list[str]
    currency: str | None
    cost: float | None = None
    cost_currency: str | None = None  # the program's own currency, or the base for a cost given with it
    rows: list[EffectRowOut]
    event_study: list[EventStudyOut]
    onboarding: dict[str, Any] | None
    # The measured reps still new in the window before (hired on or after ``since``, not at the ramp
    # rule's target from its first day): their ramp is no program's doing.
    ramping: ProgramRampingOut | None = None
    # Participants the effect does not rest on: hired_after_start, inactive_before, inactive_after.
    not_measured: list[NotMeasuredOut] = []
    # Other programs starting within the windows that measured participants took too: their effect
    # is in these figures as well (each row's flag other_program).
    also_in_programs: list[AlsoInProgramOut] = []


# -- digests, schedules and alerts (issue 16) ------------------------------------------------------
class DigestOut(Open):
    period: PeriodOut
    previous_period: PeriodOut
    filters: dict[str, list[str]]
    closed_ahead: ClosedAheadOut | None = None  # the period's deals closed on a day still to come
    # Whose view it is, where not everyone's: the teams and reps they may see (empty: everyone's).
    scope: dict[str, list[str]] = {}
    seen_by: str | None = None
    currency: str | None
    headlines: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    attention: list[dict[str, Any]]
    significant_changes: list[str]
    trend: list[dict[str, Any]]
    products: list[dict[str, Any]]
    empty: bool
    data_version: int
    uncompared: list[Uncompared] = []
    attention_period: PeriodOut | None = None
    attention_judged: int = 0  # the reps in view with enough closed deals for a verdict
    trend_grain: str | None = None
    more_products: dict[str, Any] | None = None
    skipped: list[Skip] = []
    trend_refused: str | None = None
    # The filters targets and the reps to coach are not about (all but team and rep): both are
    # left out under them.
    unfiltered: list[str] = []


class ScheduleOut(Open):
    name: str
    every: str
    period: str
    to: list[str]
    filters: dict[str, list[str]]
    lang: str
    format: str
    skip_empty: bool
    owner: str | None
    last: dict[str, Any] | None
    next_at: datetime | None = None  # when it next falls due, on the workspace's clock (time_zone)
    due_at: datetime | None = None  # an occasion fallen due and not sent yet
    time_zone: str | None = None


class AlertOut(Open):
    id: int
    kpi: str
    scope: str
    scope_id: str | None
    when: str
    period: str
    to: list[str]
    lang: str
    owner: str | None
    state: str | None
    state_since: str | None = None
    state_period: str | None = None  # the period state was judged in: "2026-01-01..2026-01-31"
    judged_through: str | None = None  # the last day the latest judgement of that period read
    created_at: str | None = None
    last: dict[str, Any] | None
    unjudged: dict[str, Any] | None = None
