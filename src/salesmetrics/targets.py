"""Targets: a goal per KPI for the company, a team or a rep, for one period or standing.

A figure beside its goal says more than a bare figure, and within a running period what matters is the
pace: for sums and counts (revenue, activities) the figure so far against the target times the share
of the period gone; for rates and averages the figure now against the target.

Status, from the KPI's good direction:

* ``on_track``: at or ahead of the target (sums: of the pace to date);
* ``at_risk``: behind, but within reach: a rate whose 95 % interval still includes the target (the gap
  can be noise), or a sum or rate without interval within 10 % of where it should be;
* ``off_track``: further behind than that. Once a period is over, every target is ``on_track`` or
  ``off_track`` only: reached or not (sums, and rates, averages and scores alike).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from .access import Viewer
from .errors import PeriodError, SalesmetricsError, keyed
from .kpis import REGISTRY, get, same_figure
from .kpis.known_values import hire_dates, known_values, resolve_rep, resolve_values
from .kpis.model import DIMENSIONS, KPI
from .periods import Period, is_over, parse_period
from .storage import bump_data_version
from .typed_numbers import Ambiguous, NotANumber, read_number

if TYPE_CHECKING:
    from .access import Viewer
    from .store import Store

SCOPES = ("company", "team", "rep")
STATUSES = ("on_track", "at_risk", "off_track")
# How far behind (as a share of where it should be) still counts as at risk rather than off track.
AT_RISK_BAND = Decimal("0.9")
# A sum behind its pace in the first quarter of a running period is at risk, not yet off track: on
# the second day of a quarter one deal more or less is the whole pace, and every rep without a
# deal yet was listed as needing attention (and an off_track alert fired).
TOO_EARLY = Decimal("0.25")
LARGEST = Decimal(10) ** 12
CENT = Decimal("0.01")
SIX_PLACES = Decimal("0.000001")


class TargetError(SalesmetricsError, ValueError):
    """A target that cannot be set as asked."""


def additive(kpi: KPI) -> bool:
    """Sums and counts grow through a period; averages, rates, scores and durations do not. Each
    KPI declares which it is (its ``aggregation``): a unit says nothing about it (an average deal
    size is money, and does not grow with the period)."""
    return kpi.accumulates


@dataclass(frozen=True)
class Target:
    kpi: str
    scope: str  # company, team or rep
    scope_id: str | None  # the team or rep; None for the company
    period: Period | None  # None: standing, for every period
    value: Decimal
    set_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {"kpi": self.kpi, "scope": self.scope, "scope_id": self.scope_id,
                "period": self.period.as_json() if self.period else None,
                "value": self._written(), "unit": REGISTRY[self.kpi].unit}

    def _written(self) -> Decimal:
        """Money as every answer writes it, to the cent (a target typed 500 read 500, not 500.00)."""
        places = self.value.as_tuple().exponent
        if REGISTRY[self.kpi].unit == "money" and isinstance(places, int) and places > -2:
            return self.value.quantize(Decimal("0.01"), ROUND_HALF_UP)
        return self.value

    def for_period(self, span: Period) -> Decimal | None:
        """The goal for ``span``: a sum's or count's target is pro-rated by days to the part of its
        period that ``span`` covers (as quotas are); an average's, rate's or score's applies as set."""
        if self.period is None:
            return self._written()
        if not (self.period.start <= span.start and span.end <= self.period.end):
            return None
        if additive(REGISTRY[self.kpi]) and span.days != self.period.days:
            return self.part(span.days).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return self._written()  # money to the cent beside its figure (target status read 300000)

    def part(self, days: int) -> Decimal:
        """A dated sum's or count's goal for ``days`` of its period, pro-rated and unrounded."""
        assert self.period is not None
        return self.value * days / self.period.days


def _key(period: Period | None) -> str:
    return "" if period is None else f"{period.start.isoformat()}..{period.end.isoformat()}"


def _described(kpi: str, scope: str, scope_id: str | None, period: Period | None,
               value: Decimal | None) -> str:
    """A target in one line of the audit log."""
    who = f"{scope} {scope_id}" if scope_id else scope
    when = period.label if period else "standing"
    return f"{kpi} {who} {when}" + (f" = {value}" if value is not None else "")


_EXPONENT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+%?")


def parse_value(kpi: KPI, given: str | Decimal) -> Decimal:
    """A target as typed, in either convention (typed_numbers: ``250000``, ``1.234,56``, ``30%``),
    or as a number already (a JSON number, a Decimal from Python): checked alike."""
    text = str(given)
    raw = text.strip()
    percent = raw.endswith("%") and not isinstance(given, Decimal)
    try:
        value = given if isinstance(given, Decimal) else read_number(raw.rstrip("%").strip())
    except Ambiguous as twice:
        thousands, decimal = twice.readings()
        raise keyed(TargetError(f"target {text!r} could be {thousands} or {decimal}: write it without "
                                "thousands separators"),
                    "target_ambiguous", value=text, thousands=thousands, decimal=decimal,
                    decimal_de=twice.readings(comma=True)[1]) from None
    except NotANumber:
        if _EXPONENT.fullmatch(raw):  # 1e6 is a number, written as targets are not: said so
            raise keyed(TargetError(f"target {text!r} is written with an exponent: write it in digits "
                                    "(1000000, 1.5, 30%)"), "target_exponent", value=text) from None
        raise keyed(TargetError(f"target {text!r} is not a number"), "target_not_a_number",
                    value=text) from None
    if value.is_infinite():  # a JSON number past a float's range (1e400) arrives as Infinity
        raise keyed(TargetError(f"target {text} is too large: at most 999,999,999,999.99"),
                    "target_too_large", value=text)
    if not value.is_finite():  # a JSON NaN
        raise keyed(TargetError(f"target {text!r} is not a number"), "target_not_a_number",
                    value=text)
    if percent:
        value /= 100
    if kpi.unit == "ratio" and value > 1 and not percent and kpi.id != "quota_attainment":
        raise keyed(TargetError(f"{kpi.id} is a ratio: write 0.3 or 30% for 30 %, not {text}"),
                    "target_ratio", kpi=kpi.id, value=text)
    if kpi.unit == "ratio" and value > 1 and kpi.id != "quota_attainment":
        # 150% was kept for a win rate: a target no figure can ever meet.
        raise keyed(TargetError(f"{kpi.id} cannot be above 100 %, not {text}"), "target_over_all",
                    kpi=kpi.id, value=text)
    if kpi.unit == "score" and not -100 <= value <= 100:
        raise keyed(TargetError(f"{kpi.id} runs from -100 to 100, not {text}"), "target_score",
                    kpi=kpi.id, value=text)
    if value < 0 and kpi.unit != "score":
        raise keyed(TargetError(f"a target for {kpi.id} cannot be negative"), "target_negative",
                    kpi=kpi.id)
    # As the column keeps it (six places): 999999999999.9999999 passed the bound, then failed in DuckDB.
    if value.quantize(SIX_PLACES) >= LARGEST:
        # The column's bound (storage: DECIMAL(18, 6)): past it DuckDB's conversion error read as
        # "the workspace may be damaged", and the API answered 500 (a tester's 10^12).
        raise keyed(TargetError(f"target {text} is too large: at most 999,999,999,999.99"),
                    "target_too_large", value=text)
    # A sum of money is in cents (0.001 was stored); an average of it need not be (250.125).
    if kpi.unit == "money" and additive(kpi) and value != value.quantize(CENT):
        raise keyed(TargetError(f"a target of money is in cents: {text} has more than two decimals"),
                    "target_cents", value=text)
    return value


def scope_of(team: str | None, rep: str | None) -> tuple[str, str | None]:
    for what, given in (("team", team), ("rep", rep)):
        if given is not None and not given.strip():
            # --team "" (or "team": "" in the API) replaced the company's target without a word.
            raise keyed(TargetError(f"an empty {what} names no one: name one, or leave it out for the "
                                    "company's target"), "target_empty_scope", what=what)
    if team and rep:
        raise keyed(TargetError("a target is for a team or for a rep, not both"), "target_both")
    if rep:
        return "rep", rep
    if team:
        return "team", team
    return "company", None


def _stored_id(store: Store, scope: str, scope_id: str | None) -> str | None:
    """The team or rep a target is for, as the records name it (a rep by name too); refuses one
    that names nothing, rather than store a target no figure will ever meet."""
    if scope_id is None:
        return None
    if scope == "rep":
        return resolve_rep(store, scope_id)
    return resolve_values(store, {scope: (scope_id,)})[scope][0]


def _check(kpi: KPI, scope: str, period: Period | None) -> None:
    if kpi.always_by and "product" in kpi.always_by:
        raise keyed(TargetError(f"{kpi.id} is per product; targets are for the company, a team or a rep"),
                    "target_per_product", kpi=kpi.id)
    if "lost_reason" in kpi.always_by:
        # Its rows are each loss reason's: a goal would sit beside no figure, never judged.
        raise keyed(TargetError(f"{kpi.id} is counted per loss reason, never as one figure a target "
                                "could be set against; set one on win_rate instead"),
                    "target_per_lost_reason", kpi=kpi.id)
    if "rep" in kpi.always_by and scope != "rep":
        # Its rows are each rep's: a company's or team's goal would sit beside no figure, ever.
        raise keyed(TargetError(f"{kpi.id} is measured per rep, so a {scope} target for it would meet no "
                                f"figure: set it per rep (--rep ID), or set total_revenue for the {scope}"),
                    "target_per_rep", kpi=kpi.id, scope=scope)
    if scope in ("rep", "team") and not kpi.supports(scope):
        raise keyed(TargetError(f"{kpi.id} cannot be measured per {scope}, so it cannot have a {scope} "
                                "target"), "target_scope", kpi=kpi.id, scope=scope)
    if period is None and additive(kpi):
        raise keyed(TargetError(f"{kpi.id} adds up over a period: give the target a period "
                                "(--period 2026-Q4)"), "target_needs_period", kpi=kpi.id)


def set_target(store: Store, kpi_id: str, value: str | Decimal, *, team: str | None = None,
               rep: str | None = None, period: Period | None = None) -> Target:
    kpi = get(kpi_id)
    scope, scope_id = scope_of(team, rep)
    _check(kpi, scope, period)
    scope_id = _stored_id(store, scope, scope_id)
    amount = parse_value(kpi, value)
    target = Target(kpi.id, scope, scope_id, period, amount, datetime.now(UTC).replace(tzinfo=None))
    con = store.connection
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT OR REPLACE INTO targets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [kpi.id, scope, scope_id or "", _key(period), period.start if period else None,
             period.end if period else None, period.label if period else None, str(amount),
             target.set_at],
        )
        bump_data_version(con, records=False)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    store.saved_meta()
    store.audit("target_set", _described(kpi.id, scope, scope_id, period, amount))
    return target


def unset_target(store: Store, kpi_id: str, *, team: str | None = None, rep: str | None = None,
                 period: Period | None = None) -> bool:
    """Remove a target; False when there was none."""
    kpi = get(kpi_id)
    scope, scope_id = scope_of(team, rep)
    con = store.connection
    where = "kpi = ? AND scope = ? AND scope_id = ? AND period_key = ?"

    def count(args: list[Any]) -> int:
        return int(con.execute(f"SELECT count(*) FROM targets WHERE {where}", args).fetchall()[0][0])

    args = [kpi.id, scope, scope_id or "", _key(period)]
    if scope_id and not count(args):
        # By name, or mistyped; a target stored under an id no longer in the records still goes
        # by that id, so it can always be removed.
        args[2] = _stored_id(store, scope, scope_id) or ""
    if not count(args):
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM targets WHERE {where}", args)
        bump_data_version(con, records=False)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    store.saved_meta()
    store.audit("target_unset", _described(kpi.id, scope, args[2] or None, period, None))
    return True


def list_targets(store: Store, kpi: str | None = None, viewer: Viewer | None = None) -> list[Target]:
    """The targets set (for ``kpi``), those ``viewer`` may see: a rep their own, a manager their
    teams' and their reps' (:meth:`salesmetrics.records.Records.sees`)."""
    if store.read_only:  # nothing can set a target while it is open: read once (~10 times a view)
        return list(store.memo(("targets", kpi, viewer), lambda: _read_targets(store, kpi, viewer)))
    return _read_targets(store, kpi, viewer)


def _read_targets(store: Store, kpi: str | None, viewer: Viewer | None) -> list[Target]:
    records = None if viewer is None or viewer.sees_everything else store.records(viewer)
    rows = store.connection.execute(
        "SELECT kpi, scope, scope_id, period_start, period_end, period_label, value, set_at "
        "FROM targets ORDER BY kpi, scope, scope_id, period_start NULLS FIRST"
    ).fetchall()
    out = []
    fiscal = store.settings.fiscal_year_start
    for k, scope, scope_id, start, end, label, value, set_at in rows:
        if k not in REGISTRY or (kpi and k != kpi):
            continue  # a KPI a later version dropped stays stored but is not shown
        if records is not None and not records.sees(scope, scope_id or None):
            continue
        period = Period(start, end, _label(label, start, end, fiscal)) if start is not None else None
        out.append(Target(k, scope, scope_id or None, period, Decimal(value).normalize(), set_at))
    return out


def _label(stored: str | None, start: date, end: date, fiscal_year_start: int) -> str:
    """The label a target was set with, where it still names its days: after the fiscal year's
    start moved, '2026-Q3' names another quarter, and the target's own days are shown instead
    (two targets both listed as 2026-Q3, for two different quarters, misled)."""
    if stored:
        try:
            still = parse_period(stored, as_of=start, fiscal_year_start=fiscal_year_start)
        except PeriodError:
            still = None
        if still is not None and (still.start, still.end) == (start, end):
            return stored
    return f"{start.isoformat()}..{(end - timedelta(days=1)).isoformat()}"


@dataclass(frozen=True)
class Targets:
    """The targets one may see, with the hire dates a rep's target counts from. A rep's target is
    picked with her hire date (none before it): looked up by each caller, two of seven forgot it
    (the review), so it is held here, read once with the targets."""

    stored: tuple[Target, ...]
    hires: Mapping[str, date]

    @classmethod
    def read(cls, store: Store, kpi: str | None = None, viewer: Viewer | None = None) -> Targets:
        """The targets set (for ``kpi``) that ``viewer`` may see (:func:`list_targets`)."""
        return cls.of(store, list_targets(store, kpi, viewer))

    @classmethod
    def of(cls, store: Store, stored: Sequence[Target]) -> Targets:
        """``stored`` (read already) with the hire dates, asked only where a rep's target may apply."""
        hires = hire_dates(store) if any(t.scope == "rep" for t in stored) else {}
        return cls(tuple(stored), hires)

    def __bool__(self) -> bool:
        return bool(self.stored)

    def hired(self, scope: str, scope_id: str | None) -> date | None:
        """A rep's hire date where the scope is a rep's; None otherwise or unknown."""
        return self.hires.get(scope_id) if scope == "rep" and scope_id else None

    def elapsed(self, scope: str, scope_id: str | None, span: Period, day: date) -> Decimal:
        """How much of ``span`` has gone by on ``day`` for this scope: for a rep hired within it,
        of the days since, as their target counts from then (a pace on the whole period read a
        rep hired in its last week as far behind)."""
        return elapsed_at_work(span, day, self.hired(scope, scope_id))

    def pick(self, kpi: str, scope: str, scope_id: str | None, span: Period) -> Decimal | None:
        """The target for one KPI and scope in ``span``: the one of the shortest period containing
        it, else the standing one. A rep's revenue is one figure under two KPIs (kpis.same_figure):
        the README sets it as total_revenue --rep, the leaderboard reads revenue_per_rep, and a
        target set under either is the rep's where none is set under the other (an off-track
        revenue goal set so was missing from the leaderboard and "needs attention").

        A rep's target counts from her hire date: none before it, and a sum's spread over the days
        at work (a tester: 12,000 for the fourth quarter of a rep hired on November 1st was 4,043
        for October, "missed", where she had not worked a day)."""
        stored: Sequence[Target] = self.stored
        hired = self.hired(scope, scope_id)
        if hired is not None and hired > span.start:
            if hired >= span.end:
                return None
            span = replace(span, start=hired)
        if hired is not None:
            stored = [_from_hire(t, hired) for t in stored if t.scope == scope and t.scope_id == scope_id
                      and (t.period is None or t.period.end > hired)]
        found = _pick(stored, kpi, scope, scope_id, span)
        if found is None and scope == "rep":
            found = next((value for other in same_figure(kpi, ("rep",))
                          if (value := _pick(stored, other, scope, scope_id, span)) is not None), None)
        return found


def _from_hire(target: Target, hired: date) -> Target:
    if target.period is None or target.period.start >= hired:
        return target
    return replace(target, period=replace(target.period, start=hired))


def _pick(targets: Sequence[Target], kpi: str, scope: str, scope_id: str | None,
          span: Period) -> Decimal | None:
    fitting = [t for t in targets if t.kpi == kpi and t.scope == scope and t.scope_id == scope_id]
    dated = sorted((t for t in fitting if t.period is not None and t.for_period(span) is not None),
                   key=lambda t: t.period.days if t.period else 0)
    shortest = dated[0].period.days if dated and dated[0].period else None
    # A target of the span itself holds; else targets shorter than any holding the whole span are
    # pieced together where they tile it: a week across July and August took 7/92 of Q3's target
    # once the quarter had one beside the months', and read "missed" where it had reached them.
    if shortest != span.days and (across := _across(fitting, kpi, span, shortest)) is not None:
        return across
    if dated:
        return dated[0].for_period(span)
    standing = [t for t in fitting if t.period is None]
    return standing[0].value if standing else None


def _across(fitting: Sequence[Target], kpi: str, span: Period, shorter_than: int | None) -> Decimal | None:
    """The target of a span several targets cover, each shorter than ``shorter_than`` days (the
    shortest holding the whole span, if any): a week across two months with a target each. A
    sum's, the pro-rated parts of each stretch's (shortest) target added up; a rate's, the one
    value they share (None where they differ). The span is cut where a target starts or ends, so
    each stretch has one target throughout. None where a stretch has no such target: a sprint's
    two days inside July do not make July's target the sprint's and the quarter's rest."""
    dated = sorted((t for t in fitting if t.period is not None and t.period.start < span.end
                    and span.start < t.period.end), key=lambda t: t.period.days if t.period else 0)
    if len(dated) < 2:
        return None
    cuts = sorted({span.start, span.end, *(day for t in dated if t.period
                                           for day in (t.period.start, t.period.end)
                                           if span.start < day < span.end)})
    parts: list[tuple[Target, int]] = []
    for start, end in pairwise(cuts):
        covering = next((t for t in dated if t.period and t.period.start <= start < t.period.end), None)
        if covering is None or (shorter_than is not None and covering.period is not None
                                and covering.period.days >= shorter_than):
            return None  # a stretch without a shorter target: no goal pieced together
        parts.append((covering, (end - start).days))
    if additive(REGISTRY[kpi]):
        return sum((t.part(days) for t, days in parts), Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    values = {t.value for t, _ in parts}
    return values.pop() if len(values) == 1 else None


def row_scope(row: Mapping[str, Any], by: Sequence[str], filters: Mapping[str, Sequence[str]],
              whole: tuple[str, str | None] | None = ("company", None)) -> tuple[str, str | None] | None:
    """Whose figure a report row is: a rep's, a team's or the company's (None: a product's, a
    source's, a week's, ... which have no targets). ``whole``: whose an unfiltered figure is for
    the one asking (:attr:`salesmetrics.access.Viewer.whole`: a rep's own, a manager's team)."""
    if any(d not in ("rep", "team") for d in by):
        return None
    narrowed = {k: list(v) for k, v in filters.items() if v}
    # A row grouped by rep or team is the whole of that rep's or team's figure only where the
    # filters pick whose rows they are, not part of each: R2's outbound deals alone (2,200) were
    # judged against his whole target (9,000), off track, and listed under "needs attention"; one
    # rep's revenue as team east's row, against east's target (a tester).
    if "rep" in by:
        return ("rep", row.get("rep")) if row.get("rep") and set(narrowed) <= {"rep", "team"} else None
    if "team" in by:
        return ("team", row.get("team")) if row.get("team") and set(narrowed) <= {"team"} else None
    if not narrowed:
        return whole
    if list(narrowed) == ["team"] and len(narrowed["team"]) == 1:
        return "team", narrowed["team"][0]
    if list(narrowed) == ["rep"] and len(narrowed["rep"]) == 1:
        return "rep", narrowed["rep"][0]
    return None


def without_rows(stored: Targets, kpi: str, span: Period, by: Sequence[str],
                 filters: Mapping[str, Sequence[str]], present: Iterable[Any], store: Store,
                 viewer: Viewer | None = None) -> list[str]:
    """The teams (or reps) with a target for ``kpi`` in ``span`` that a report grouped by team (or by
    rep) alone has no row for, since nothing of theirs happened in it: a goal is shown beside an
    empty figure, never dropped with it. Only ids the filters let through and ``viewer`` may see."""
    if len(by) != 1 or by[0] not in ("team", "rep"):
        return []
    dim = by[0]
    if any(values for d, values in filters.items() if d != dim):
        return []  # narrowed by something else: whose figure an added row would be is unclear
    wanted = {t.scope_id for t in stored.stored if t.kpi == kpi and t.scope == dim and t.scope_id is not None
              and stored.pick(kpi, dim, t.scope_id, span) is not None}
    if filters.get(dim):
        wanted &= set(filters[dim])
    if not wanted:  # before reading ``present``: 2,000 rows a KPI by rep at 1M deals
        return []
    wanted -= set(present)
    if not wanted:
        return []
    return sorted(wanted & known_values(store, [dim], viewer).ids(dim))


def elapsed_share(span: Period, today: date) -> Decimal:
    """How much of the period has gone by on ``today`` (``as_of``, or Store.today), counting that
    day whole."""
    if today < span.start:
        return Decimal(0)
    if today >= span.last_day:
        return Decimal(1)
    return Decimal((today - span.start).days + 1) / Decimal(span.days)


def elapsed_at_work(span: Period, day: date, hired: date | None) -> Decimal:
    """How much of ``span`` has gone by on ``day`` for a rep hired on ``hired``: of the days since
    where that falls within it (0 before it), else of the whole period."""
    if hired is None or hired <= span.start:
        return elapsed_share(span, day)
    if hired >= span.end:
        return Decimal(0)
    return elapsed_share(replace(span, start=hired), day)


def too_early(span: Period, day: date, hired: date | None = None) -> bool:
    """Whether no whole day of ``span`` (of it since ``hired``) has gone by on ``day``: on its first
    day a sum is never off track yet. The day's view read every rep "behind quota: 0.0 %" at any
    hour, today counted whole (a tester)."""
    start = hired if hired is not None and hired > span.start else span.start
    return day <= start


def pace_status(pace: Decimal | float, elapsed: Decimal, over: bool, early: bool = False) -> str:
    """A sum's status from its pace (1 is on target) and the share of the period gone: behind, it
    is at risk within :data:`AT_RISK_BAND` of its pace or in the first :data:`TOO_EARLY` of the
    period, off track past that; once the period is over (:func:`periods.is_over`), reached or
    missed. Over is not a share of 1: the days count today whole, and on a period's last day a
    deal may still close (every rep at 95 % of a month's quota read "off track" at 9 a.m. on the
    31st, and at 0 % of a day's quota "missed" at 8:15)."""
    if pace >= 1:
        return "on_track"
    if not over and (pace >= AT_RISK_BAND or elapsed < TOO_EARLY or early):
        return "at_risk"
    return "off_track"


def _shown(pace: Decimal) -> float:
    """A pace to four places, never rounded up to 1 where it is short of it: 30,999.99 of 31,000
    read "pace 100 %" beside "missed" (a tester). As text.numbers.short_of_one words it, not
    imported from there: that brings Babel into every report's process."""
    shown = float(round(pace, 4))
    return 0.9999 if shown >= 1 > pace else shown


def judge(kpi: KPI, value: Any, target: Decimal, elapsed: Decimal, over: bool,
          ci: tuple[Any, Any] = (None, None), lower_bound: Any = None,
          early: bool = False) -> tuple[str | None, float | None]:
    """(status, pace). Pace is oriented so that 1.0 is exactly on target and more is better.

    Without a value there is nothing to judge, except a median not reached yet (``lower_bound``:
    the longest time observed, which the median lies beyond): past a target it must not exceed,
    it is off track already, though by how much (the pace) is not known yet."""
    if value is None:
        if (lower_bound is not None and not kpi.higher_is_better
                and Decimal(str(lower_bound)) > target):
            return "off_track", None
        return None, None
    v = Decimal(str(value))
    if additive(kpi):
        expected = target * elapsed
        if expected <= 0:
            return None, None
        pace = v / expected if kpi.higher_is_better else (expected / v if v else Decimal("Infinity"))
        return pace_status(pace, elapsed, over, early), _shown(pace) if pace.is_finite() else None
    ratio: Decimal | None = None
    if target <= 0 or v <= 0:
        # A ratio of the two means nothing where the scale reaches zero or crosses it (NPS -25
        # against a target of -50 is ahead of it, and -25 against 30 is not "-83 %"): compared only.
        if (v >= target) if kpi.higher_is_better else (v <= target):
            return "on_track", None
    else:
        ratio = v / target if kpi.higher_is_better else target / v
        if ratio >= 1:
            return "on_track", float(round(ratio, 4))
    shown = None if ratio is None else _shown(ratio)
    if over:
        # The period is over: the figure is final, so the target was reached or not, as for sums.
        # The interval below asks whether the gap could still close (more deals to come); once
        # nothing more can come, a win rate of 41 % against 45 % is missed, not "at risk".
        return "off_track", shown
    # A running period: the rate so far rests on few records, and its 95 % interval still holding
    # the target means the gap may be noise that the rest of the period closes: at risk, not off.
    low, high = ci
    if low is not None and high is not None:
        reachable = Decimal(str(low)) <= target <= Decimal(str(high))
    elif low is not None and high is None and not kpi.higher_is_better:
        reachable = Decimal(str(low)) <= target  # open-ended above (a median not bounded yet)
    else:
        reachable = ratio is not None and ratio >= AT_RISK_BAND
    return ("at_risk" if reachable else "off_track"), shown


def annotate_rows(
    store: Store,
    span: Period,
    by: Sequence[str],
    filters: Mapping[str, Sequence[str]],
    rows: list[dict[str, Any]],
    as_of: date | None = None,
    viewer: Viewer | None = None,
    stored: Targets | None = None,
) -> None:
    """Add ``target``, ``target_status`` and ``pace`` to report rows (null where no target applies,
    or where it is not for ``viewer`` to see). ``stored``: the targets ``viewer`` may see, when the
    caller has read them already."""
    stored = Targets.read(store, viewer=viewer) if stored is None else stored
    whole = (viewer or Viewer.everyone()).whole
    day = as_of or store.today()
    over = is_over(span, as_of, store.today())
    for row in rows:
        row["target"] = row["target_status"] = row["pace"] = None
        if not stored:
            continue
        # A row's own dimension keys say whose figure it is (revenue_per_rep is per rep unasked).
        scope = row_scope(row, [d for d in DIMENSIONS if d in row], filters, whole)
        if scope is None:
            continue
        target = stored.pick(row["kpi"], scope[0], scope[1], span)
        if target is None:
            continue
        kpi = REGISTRY[row["kpi"]]
        row["target"] = target
        if kpi.missing_input(row["flags"]):
            continue  # never imported (activities): no judgement of a 0 against the goal
        # A rep hired within the period is paced on the days since: their target counts from then.
        share = stored.elapsed(*scope, span, day)
        row["target_status"], row["pace"] = judge(kpi, row["value"], target, share, over,
                                                  (row.get("ci_low"), row.get("ci_high")),
                                                  row.get("lower_bound"),
                                                  too_early(span, day, stored.hired(*scope)))


def company_targets(store: Store, span: Period, filters: Mapping[str, Sequence[str]] | None = None,
                    viewer: Viewer | None = None) -> dict[str, Any]:
    """Each KPI's goal for ``span`` for the scope the filters pick (the company when unfiltered)."""
    stored = Targets.read(store, viewer=viewer)
    scope = row_scope({}, (), filters or {}, (viewer or Viewer.everyone()).whole)
    if not stored or scope is None:
        return {}
    out = {}
    for kpi in REGISTRY:
        value = stored.pick(kpi, scope[0], scope[1], span)
        if value is not None:
            out[kpi] = value
    return out


def bucket_targets(store: Store, kpi: str, periods: Sequence[str | Period],
                   filters: Mapping[str, Sequence[str]] | None = None,
                   viewer: Viewer | None = None) -> list[Decimal | None]:
    """The goal of each bucket of a trend (a week, a month) for the scope the filters pick (unfiltered:
    whose the ``viewer``'s whole figure is): a sum's target pro-rated by days to the bucket, as for
    any shorter period; None where none applies or it is not for ``viewer`` to see."""
    stored = Targets.read(store, kpi, viewer)
    scope = row_scope({}, (), filters or {}, (viewer or Viewer.everyone()).whole)
    if not stored or scope is None:
        return [None] * len(periods)
    return [stored.pick(kpi, scope[0], scope[1], p if isinstance(p, Period) else store.period(p))
            for p in periods]
