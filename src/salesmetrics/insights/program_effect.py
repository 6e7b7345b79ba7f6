"""Did an enablement program work? The participants' change beyond what the other reps did in the
same months: a difference in differences, with a 95 % interval clustered by rep.

For each KPI, each rep's figure in the window before the program (``[start - DAYS, start)``) and in
the window after it (``[end or start, + DAYS)``; while that runs, both are cut to the days it has
run) comes from the report (:func:`build_report` by rep:
the KPI's own definition, never a second one). A group's figure in a window pools its reps the way the
KPI pools records: a win rate is the group's won deals over its closed deals, an average deal size
its revenue over its won deals; figures that are per rep by nature (revenue per rep, activities per
rep per week, quota attainment) are the mean over its reps. The effect is the participants' change
minus the comparison group's change, in the KPI's unit (rates as fractions).

The comparison group is the reps active (a closed deal or an activity) in both windows who are in
no program starting within either window, unless ``compare_with`` names a team or reps. The
participants measured are those active in both windows too, and for a KPI only reps with a figure in
both windows count (a win rate needs closed deals in each).

The interval is a cluster bootstrap over reps (:func:`salesmetrics.stats.did_bootstrap`): reps, not
deals, are what a program treats, and deals of one rep move together. docs/statistics.md says what
it assumes (parallel trends) and how to read a null result.

Onboarding programs compare new hires instead: the hires who started on or after the program's start
(in the participants' teams) against those who started before it, by the Kaplan-Meier median months
to ramp (the ramp rule as set; :mod:`salesmetrics.insights.ramp`) with intervals and a log-rank test,
against RAIN Group's 9 and 15 months.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .. import stats
from ..errors import CurrencyError, ProgramError
from ..kpis import REGISTRY
from ..kpis.known_values import hire_dates, resolve_rep, resolve_values
from ..kpis.scope import parse_kpis
from ..periods import Period, add_months
from ..programs import Program, find_program, list_programs, parse_cost
from ..report import build_report, why_empty
from ..trust import shaped
from .ramp import BENCHMARK_COMPETENT, BENCHMARK_TOP, build_ramp_cohorts

if TYPE_CHECKING:
    from ..access import Viewer
    from ..store import Store

DEFAULT_KPIS = ("win_rate", "activity_count", "average_deal_size", "sales_cycle_length",
                "revenue_per_rep", "quota_attainment")
DEFAULT_WINDOW = 90  # days before and after
MIN_REPS = 5  # fewer reps than this on either side: small_sample
# Fewer records than this behind a pooled figure (closed deals, won deals, answers) on either side,
# in either window: small_sample too. Resampling reps measures how reps differ, not each deal's
# chance: five reps with one closed deal each, lost before and won after, read "+100 pp
# (95 %: +100 - +100 pp), p < 0.001" from ten deals.
MIN_RECORDS = 30
FLAGS = ("no_comparison_group", "small_sample", "seasonality", "window_incomplete", "no_data",
         "cost_in_other_currency", "cost_within_noise", "cost_prorated", "cost_beyond_wins")

# How a rep's report row becomes what a group pools (a numerator and its weight):
# share: hits over n; score: 100 x (promoters - detractors) over answers; money_mean: revenue over won
# deals; mean: total days over won deals; per_week: activities per week over one rep; per_rep: the
# rep's figure over one rep.
POOLING: dict[str, str] = {
    "win_rate": "share", "pipeline_win_rate": "share", "nps": "score",
    "average_deal_size": "money_mean", "sales_cycle_length": "mean",
    "activity_count": "per_week", "revenue_per_rep": "per_rep", "quota_attainment": "per_rep",
}
# What a group's figure is, said in the JSON (row "basis").
BASIS = {"share": "pooled", "score": "pooled", "money_mean": "pooled", "mean": "pooled",
         "per_week": "per_rep_per_week", "per_rep": "mean_per_rep"}
# Always asked of the report: whether a rep was active (closed a deal, logged an activity), and the
# exact revenue an average deal size pools (its own figure is rounded to cents).
ACTIVITY_KPIS = ("win_rate", "activity_count")

Term = tuple[Fraction, Fraction]  # (numerator, weight) of one rep in one window


def judged(p_value: float | None, flags: tuple[str, ...]) -> bool | None:
    """Whether an effect is beyond noise: None where untested, and where a test says so of few reps
    or deals (small_sample), whose spread alone can be nil (ten deals read p < 0.001): a hint, not a
    finding, which a page's "significant" badge and the JSON's true overstated (a tester). Within
    noise stays False: the data show no effect whatever their number."""
    if p_value is None:
        return None
    if p_value < stats.ALPHA:
        return None if "small_sample" in flags else True
    return False


@dataclass(frozen=True)
class EffectRow:
    kpi: str
    unit: str
    basis: str
    participants_before: Any
    participants_after: Any
    others_before: Any
    others_after: Any
    effect: Any
    ci_low: Any
    ci_high: Any
    p_value: float | None
    n_participants: int
    n_others: int
    flags: tuple[str, ...]
    others_change: Any = None
    currency: str | None = None
    cost_per_extra_won_deal: Decimal | None = None
    cost_per_extra_revenue: Decimal | None = None

    @property
    def significant(self) -> bool | None:
        return judged(self.p_value, self.flags)

    def as_json(self) -> dict[str, Any]:
        return {"kpi": self.kpi, "unit": self.unit,
                **({"currency": self.currency} if self.unit == "money" else {}),
                "basis": self.basis,
                "participants_before": self.participants_before,
                "participants_after": self.participants_after, "others_before": self.others_before,
                "others_after": self.others_after, "effect": self.effect, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "p_value": self.p_value, "significant": self.significant,
                "n_participants": self.n_participants, "n_others": self.n_others,
                "flags": list(self.flags), "others_change": self.others_change,
                "cost_per_extra_won_deal": self.cost_per_extra_won_deal,
                "cost_per_extra_revenue": self.cost_per_extra_revenue}


@dataclass(frozen=True)
class EventPoint:
    """One month of an event study: each group's figure with its 95 % band (bootstrap over reps)."""

    month: str
    start: date
    participants: Any
    participants_low: Any
    participants_high: Any
    others: Any
    others_low: Any
    others_high: Any
    n_participants: int
    n_others: int

    def as_json(self) -> dict[str, Any]:
        return {"month": self.month, "start": self.start, "participants": self.participants,
                "participants_low": self.participants_low, "participants_high": self.participants_high,
                "others": self.others, "others_low": self.others_low, "others_high": self.others_high,
                "n_participants": self.n_participants, "n_others": self.n_others}


@dataclass(frozen=True)
class EventStudy:
    kpi: str
    unit: str
    points: list[EventPoint]

    def as_json(self) -> dict[str, Any]:
        return {"kpi": self.kpi, "unit": self.unit, "points": [p.as_json() for p in self.points]}


@dataclass(frozen=True)
class HireGroup:
    """New hires on one side of an onboarding change: how many ramped, and the Kaplan-Meier median
    months to ramp with its Brookmeyer-Crowley interval (None: not reached, or unbounded)."""

    reps: tuple[str, ...]
    ramped: int
    median_months: float | None
    ci_low: float | None
    ci_high: float | None
    months_to_ramp: dict[str, int | None]

    def as_json(self) -> dict[str, Any]:
        return {"reps": list(self.reps), "n": len(self.reps), "ramped": self.ramped,
                "median_months": self.median_months, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "months_to_ramp": self.months_to_ramp}


@dataclass(frozen=True)
class OnboardingComparison:
    hired_before: HireGroup
    hired_after: HireGroup
    p_value: float | None  # log-rank
    teams: tuple[str, ...]  # whose hires are compared (the participants' teams)
    flags: tuple[str, ...] = ()

    @property
    def significant(self) -> bool | None:
        return judged(self.p_value, self.flags)

    def as_json(self) -> dict[str, Any]:
        return {"hired_before": self.hired_before.as_json(), "hired_after": self.hired_after.as_json(),
                "log_rank_p_value": self.p_value, "significant": self.significant,
                "teams": list(self.teams), "flags": list(self.flags),
                "benchmark": {"competent_months": BENCHMARK_COMPETENT, "top_months": BENCHMARK_TOP,
                              "source": "RAIN Group"}}


@dataclass(frozen=True)
class ProgramEffect:
    program: Program
    window_days: int
    before: Period  # as compared: cut to the days ``after`` has run while that runs
    after: Period  # as measured: cut at the as-of day (or today) when it runs past it
    comparison: str  # "auto", "team:T" or "rep:R,..."
    participants: tuple[str, ...]  # measured: active in both windows
    others: tuple[str, ...]  # the comparison group, measured
    currency: str | None
    rows: list[EffectRow]
    event_study: list[EventStudy] = field(default_factory=list)
    onboarding: OnboardingComparison | None = None
    cost: Decimal | None = None
    # The currency ``cost`` is in: the program's own, or the base currency for a cost given with the
    # question. Beside the figures' ``currency``, a reader took a program's $5,000 for EUR 5,000.
    cost_currency: str | None = None
    # (seen, all): the cost is the share of the participants this viewer sees (pro rata).
    cost_share: tuple[int, int] | None = None
    # The measured reps still new in the window before (_ramping): hired on or after
    # ``ramping_since`` and not yet at the ramp rule's target for the whole window.
    ramping: tuple[str, ...] = ()
    ramping_others: tuple[str, ...] = ()
    ramping_since: date | None = None
    # Participants not measured, each with why (NOT_MEASURED) and their hire date where known.
    not_measured: tuple[tuple[str, str, date | None], ...] = ()
    # Other programs starting within the windows that measured participants took too, (name, start,
    # those participants): the same reps' change was each program's full effect, told twice.
    also_in: tuple[tuple[str, date, tuple[str, ...]], ...] = ()
    as_of: date | None = None  # records as they stood at the end of this day (said back, as elsewhere)

    def row(self, kpi: str) -> EffectRow:
        return next(r for r in self.rows if r.kpi == kpi)

    @property
    def cut(self) -> bool:
        """Whether the windows compared are shorter than asked: the window after still runs."""
        return self.before.days < self.window_days

    def as_json(self) -> dict[str, Any]:
        return {"program": self.program.as_json(), **({"as_of": self.as_of} if self.as_of else {}),
                "window_days": self.window_days,
                "before": self.before.as_json(), "after": self.after.as_json(),
                "comparison": {"rule": self.comparison, "reps": list(self.others)},
                "participants_measured": list(self.participants), "currency": self.currency,
                "cost": self.cost, "cost_currency": self.cost_currency if self.cost is not None else None,
                "cost_share": None if self.cost_share is None else {
                    "participants_seen": self.cost_share[0], "participants": self.cost_share[1]},
                "rows": [r.as_json() for r in self.rows],
                "event_study": [e.as_json() for e in self.event_study],
                "onboarding": self.onboarding.as_json() if self.onboarding else None,
                "ramping": {"since": self.ramping_since, "participants": list(self.ramping),
                            "others": list(self.ramping_others)},
                "not_measured": [{"rep": rep, "reason": why, "hired_on": hired}
                                 for rep, why, hired in self.not_measured],
                "also_in_programs": [{"program": name, "start_on": start, "participants": list(reps)}
                                     for name, start, reps in self.also_in]}


# -- asking ---------------------------------------------------------------------------------------
def build_program_effect(store: Store, program: str, *, kpis: str | Iterable[str] | None = None,
                         window: int = DEFAULT_WINDOW, compare_with: str | None = None,
                         cost: str | Decimal | None = None, as_of: date | None = None,
                         viewer: Viewer | None = None) -> ProgramEffect:
    prog = find_program(store, program, viewer)
    if isinstance(window, bool) or not isinstance(window, int):
        # From Python: '30' failed on a comparison of str and int, and 30.5 was taken as 30.
        raise ProgramError(f"window must be a whole number of days, such as 90, not {window!r}",
                           f"window muss eine ganze Zahl von Tagen sein, etwa 90, nicht {window!r}")
    if window < 1:
        raise ProgramError(f"--window must be at least one day, not {window}",
                           f"--window muss mindestens einen Tag umfassen, nicht {window}")
    spent = parse_cost(cost) if cost is not None else prog.cost
    spent_in = None if cost is not None else prog.currency  # a cost given here is in the base currency
    shared = _cost_share(store, prog, viewer) if spent is not None else None
    if spent is not None and shared is not None:  # the cost of the participants this viewer sees
        spent = (spent * Decimal(shared[0]) / Decimal(shared[1])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    before = Period(prog.start_on - timedelta(days=window), prog.start_on, "before")
    after_full = Period(prog.after_from, prog.after_from + timedelta(days=window), "after")
    horizon = (as_of or store.today()) + timedelta(days=1)  # records end with this day
    if after_full.start >= horizon:
        raise ProgramError(f"the after window of '{prog.name}' starts {after_full.start.isoformat()}, "
                           "which has not come yet: nothing to measure",
                           f"Das Zeitfenster nach '{prog.name}' beginnt am {after_full.start.isoformat()}, "
                           "und das ist noch nicht da: nichts zu messen")
    after = Period(after_full.start, min(after_full.end, horizon), "after")
    base = store.base_currency()

    # Before the onboarding's own words: a rep who sees none of its participants read that none
    # hired since could be measured yet (a tester).
    if not prog.participants and not find_program(store, prog.program_id, None).participants:
        # Imported from a programs.csv alone: said how to give it some, not left a dead end.
        # The way out in place: enrolling them (a tester was told to remove and add it again).
        raise ProgramError(f"'{prog.name}' has no participants: enrol them (salesmetrics program enrol "
                           f"'{prog.name}' --team T --rep R), or import its program_participants "
                           "(program_id, rep_id)",
                           f"'{prog.name}' hat keine Teilnehmer: Schreiben Sie sie ein (salesmetrics "
                           f"program enrol '{prog.name}' --team T --rep R), oder importieren Sie seine "
                           "program_participants (program_id, rep_id)")
    if not prog.participants:
        raise ProgramError(f"'{prog.name}' has no participants you can see",
                           f"'{prog.name}' hat keine Teilnehmer, die Sie sehen können")
    if prog.kind == "onboarding":
        if compare_with:  # answered as if not given, without a word
            raise ProgramError(f"--compare-with does not apply to '{prog.name}': an onboarding program "
                               "compares the reps hired after its start with those hired before",
                               f"--compare-with gilt nicht für '{prog.name}': Ein Onboarding-Programm "
                               "vergleicht die nach seinem Start Eingestellten mit den vorher Eingestellten")
        onboarding = _onboarding(store, prog, as_of, viewer)
        return ProgramEffect(prog, window, before, after, "hires", prog.participants, (), base, [],
                             onboarding=onboarding, cost=spent, cost_currency=spent_in or base,
                             cost_share=shared, as_of=as_of)

    asked = _kpis(kpis)
    rule, pool = _comparison_pool(store, prog, compare_with, before, after_full, viewer)
    study_from = before  # the event study's months and the comparison group keep the whole window
    if after.end < after_full.end:
        # Six weeks in, 90 days of revenue against 42 would read as a fall: the window the figures
        # are compared over before is cut to the days the window after has run, so like is
        # compared with like (every KPI, sums and rates alike). The rows say so (window_incomplete).
        before = Period(prog.start_on - timedelta(days=after.days), prog.start_on, "before")
    needed = list(dict.fromkeys([*ACTIVITY_KPIS, *asked,
                                 *(["revenue_per_rep"] if "average_deal_size" in asked else [])]))
    everyone = sorted(set(prog.participants) | set(pool))
    kw: dict[str, Any] = {"by": ("rep",), "kpis": needed, "filters": {"rep": everyone}, "as_of": as_of,
                          "viewer": viewer}
    rows_before = _by_rep(build_report(store, before, **kw).rows)
    rows_after = _by_rep(build_report(store, after, **kw).rows)
    active = _active(rows_before) & _active(rows_after)
    participants = tuple(r for r in prog.participants if r in active)
    others = tuple(r for r in pool if r in active)
    _check_closed(prog, participants, rows_before, rows_after, before, after, after.end < after_full.end)
    if not participants:
        raise ProgramError(f"no participant of '{prog.name}' was active (a closed deal or an activity) in "
                           "both windows: there is no change to measure",
                           f"Kein Teilnehmer von '{prog.name}' war in beiden Zeitfenstern aktiv (ein "
                           "abgeschlossener Deal oder eine Aktivität): keine Veränderung zu messen")

    weeks = (Fraction(before.days, 7), Fraction(after.days, 7))
    hired = hire_dates(store, viewer)
    # A rep hired within a window was there for part of it: counted over the weeks they were, not
    # as none for the days before (a rep logging 7 activities a week all along read as 6.1 before).
    present = {rep: (_weeks_present(before, hired.get(rep)), _weeks_present(after, hired.get(rep)))
               for rep in (*participants, *others)}
    incomplete = after.end < after_full.end
    out = []
    for kpi in asked:
        # A count of records never imported is no 0 (report.why_empty): activities of a deals export.
        missing = REGISTRY[kpi].missing_input(why_empty(store, REGISTRY[kpi], ["no_data"], viewer))
        out.append(_row(kpi, participants, others, rows_before, rows_after, weeks, present, base,
                        incomplete, spent, spent_in, shared is not None, missing))
    # Participants in another program starting within the windows (as the comparison group leaves
    # out its reps): two programs of the same reps at once each read the same +24.8 pp.
    also_in = tuple((p.name, p.start_on, tuple(r for r in participants if r in p.participants))
                    for p in list_programs(store, viewer) if p.program_id != prog.program_id
                    and study_from.start <= p.start_on < after_full.end
                    and set(p.participants) & set(participants))
    if also_in:
        out = [replace(r, flags=(*r.flags, "other_program")) if r.n_participants else r for r in out]
    study = _event_study(store, asked, out, participants, others, study_from, after, horizon, hired, as_of,
                         viewer)
    since = add_months(prog.start_on, -BENCHMARK_TOP)
    new = _ramping(store, prog, hired, since, before, [*participants, *others], as_of, viewer)
    before_active = _active(rows_before)
    left_out = tuple(
        (rep, "hired_after_start" if (hired.get(rep) or date.min) >= prog.start_on else
         "inactive_before" if rep not in before_active else "inactive_after", hired.get(rep))
        for rep in prog.participants if rep not in active)
    return ProgramEffect(prog, window, before, after, rule, participants, others, base, out, study,
                         cost=spent, cost_currency=spent_in or base, cost_share=shared,
                         ramping=tuple(r for r in participants if r in new),
                         ramping_others=tuple(r for r in others if r in new), ramping_since=since,
                         not_measured=left_out, also_in=also_in, as_of=as_of)


def _weeks_present(span: Period, hired_on: date | None) -> Fraction | None:
    """The weeks of ``span`` from the rep's hire date on (the whole span without one; None when
    hired after it)."""
    first = span.start if hired_on is None else max(span.start, hired_on)
    return Fraction((span.end - first).days, 7) if first < span.end else None


# Why a participant is not measured: hired on or after the program's start (no window before), or
# no closed deal or activity in the window before, or in the window after.
NOT_MEASURED = ("hired_after_start", "inactive_before", "inactive_after")


def _ramping(store: Store, prog: Program, hired_on: Mapping[str, date], since: date, before: Period,
             reps: Sequence[str], as_of: date | None, viewer: Viewer | None) -> set[str]:
    """Of ``reps``, those still new in the window before: hired on or after ``since`` (RAIN Group's
    15 months to top performance before the start) and not at the ramp rule's target from the
    window's first day (not ramped yet, ramped later, or hired before the records began). A new hire
    improves with no program: among the participants their ramp reads as the program's effect, among
    the others it hides one. Said, not left out: who is measured stays what the program says."""
    hired = {rep: day for rep in reps if (day := hired_on.get(rep)) is not None
             and since <= day < prog.start_on}
    if not hired:  # no one to ask the ramp of (the cohorts take a second at 1M deals)
        return set()

    def months() -> dict[str, int | None]:
        found: dict[str, int | None] = {}
        try:
            cohorts = build_ramp_cohorts(store, as_of=as_of, viewer=viewer).cohorts
        except CurrencyError:  # money without a rate in some rep's months: no ramp is known
            return found
        for cohort in cohorts:
            found.update(cohort.months_to_ramp)
        return found

    # Once per viewer and day, not once per program (the programs page asks every program).
    month_of = store.memo(("ramp months", viewer, as_of), months)
    new = set()
    for rep, day in hired.items():
        month = month_of.get(rep)
        # At target in their first month: from the day they came, not the month's first (a rep
        # hired on the 17th counted as productive on the 1st, before the window, and was not named).
        productive_from = None if month is None else max(day, add_months(date(day.year, day.month, 1),
                                                                          month - 1))
        if productive_from is None or productive_from > before.start:
            new.add(rep)
    return new


def _cost_share(store: Store, prog: Program, viewer: Viewer | None) -> tuple[int, int] | None:
    """(participants seen, participants) where the viewer sees only some of them: set whole
    against the extra deals of a few, a program's cost read eight times too dear."""
    if viewer is None or viewer.sees_everything:
        return None
    everyone = len(find_program(store, prog.program_id).participants)
    return (len(prog.participants), everyone) if len(prog.participants) < everyone else None


def _kpis(kpis: str | Iterable[str] | None) -> list[str]:
    asked = parse_kpis(kpis) or list(DEFAULT_KPIS)
    for kpi in asked:
        if kpi not in POOLING:
            what = "unknown KPI" if kpi not in REGISTRY else "a program's effect cannot be measured on"
            what_de = ("unbekannte Kennzahl" if kpi not in REGISTRY else
                       "die Wirkung eines Programms lässt sich nicht messen an")
            raise ProgramError(f"{what} {kpi!r}; a program's effect is measured on {', '.join(POOLING)}",
                               f"{what_de} {kpi!r}; gemessen wird an {', '.join(POOLING)}")
    return asked


def _comparison_pool(store: Store, prog: Program, compare_with: str | None, before: Period,
                     after: Period, viewer: Viewer | None) -> tuple[str, list[str]]:
    """("auto", candidates) or the override and its reps; participants are never their own
    comparison."""
    teams = store.teams(viewer)
    taking = set(prog.participants)
    if compare_with:
        kind, sep, named = compare_with.partition(":")
        kind = kind.strip().lower()
        values = [v.strip() for v in named.split(",") if v.strip()]
        if not sep or kind not in ("team", "rep") or not values:
            raise ProgramError(f"--compare-with {compare_with!r}: write team:T or rep:R1,R2",
                               f"--compare-with {compare_with!r}: schreiben Sie team:T oder rep:R1,R2")
        if kind == "team":
            chosen = resolve_values(store, {"team": tuple(values)}, viewer)["team"]
            reps = [r for r, t in sorted(teams.items()) if t in chosen]
        else:
            reps = [resolve_rep(store, v, viewer) for v in values]
            named_in = [v for v, r in zip(values, reps, strict=True) if r in taking]
            if named_in:  # named by hand, so dropping them would change the group without a word
                one = len(named_in) == 1
                raise ProgramError(
                    f"--compare-with {compare_with}: {', '.join(named_in)} {'takes' if one else 'take'} "
                    f"part in '{prog.name}', and the participants are not their own comparison: leave "
                    f"{'that rep' if one else 'them'} out",
                    f"--compare-with {compare_with}: {', '.join(named_in)} {'nimmt' if one else 'nehmen'} "
                    f"an '{prog.name}' teil, und die Teilnehmer sind nicht ihre eigene Vergleichsgruppe: "
                    f"lassen Sie {'diesen Mitarbeiter' if one else 'sie'} weg")
        reps = [r for r in dict.fromkeys(reps) if r not in taking]
        if not reps:
            raise ProgramError(f"--compare-with {compare_with}: no rep left to compare with (the "
                               "participants are not their own comparison)",
                               f"--compare-with {compare_with}: kein Mitarbeiter bleibt zum Vergleich (die "
                               "Teilnehmer sind nicht ihre eigene Vergleichsgruppe)")
        return f"{kind}:{','.join(values)}", reps
    # In a program starting within either window: treated by something else meanwhile.
    busy = {r for p in list_programs(store, viewer) if p.program_id != prog.program_id
            and before.start <= p.start_on < after.end for r in p.participants}
    return "auto", [r for r in sorted(teams) if r not in taking and r not in busy]


def _by_rep(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["kpi"], r["rep"]): r for r in rows if r.get("rep") is not None}


def _active(rows: Mapping[tuple[str, str], dict[str, Any]]) -> set[str]:
    """Reps who closed a deal or logged an activity in the window."""
    return {rep for (kpi, rep), r in rows.items()
            if (kpi == "win_rate" and r["n"]) or (kpi == "activity_count" and r["value"])}


def _closed(rows: Mapping[tuple[str, str], dict[str, Any]], reps: Iterable[str]) -> int:
    return sum(int(rows[("win_rate", r)]["n"]) for r in reps if ("win_rate", r) in rows)


def _check_closed(prog: Program, participants: Sequence[str], rows_before: Any, rows_after: Any,
                  before: Period, after: Period, cut: bool) -> None:
    for rows, span, which, which_de in ((rows_before, before, "before", "vor"),
                                        (rows_after, after, "after", "nach")):
        if not _closed(rows, participants or prog.participants):
            first, last = span.start.isoformat(), span.last_day.isoformat()
            # Windows cut short by today (the before window to the days the after one has run) grow
            # only by waiting: "try another --window" led nowhere (the enablement tester).
            way, way_de = (("wait for deals to close", "warten Sie auf Abschlüsse") if cut else
                           ("try another --window, or wait for deals to close",
                            "versuchen Sie ein anderes --window oder warten Sie auf Abschlüsse"))
            raise ProgramError(
                f"the participants of '{prog.name}' closed no deal in the {which} window "
                f"({first} to {last}): nothing to measure the program by; {way}",
                f"Die Teilnehmer von '{prog.name}' haben im Zeitfenster {which_de} dem Programm ({first} "
                f"bis {last}) keinen Deal abgeschlossen: nichts, woran es sich messen ließe; {way_de}")


def _term(kpi: str, rep: str, rows: Mapping[tuple[str, str], dict[str, Any]],
          weeks: Fraction, present: Fraction | None) -> Term | None:
    """One rep's numerator and weight in one window, exactly (None: no figure for this rep).
    ``present``: the weeks of the window the rep was hired for; counts and revenue are over them
    (None: hired after it)."""
    how = POOLING[kpi]
    row = rows.get((kpi, rep))
    if present is None:
        return None
    if how == "per_week":
        return Fraction(int(row["value"]) if row else 0) / present, Fraction(1)
    if how == "per_rep" and kpi == "revenue_per_rep":
        return Fraction(row["value"] if row else Decimal(0)) * weeks / present, Fraction(1)
    if how == "per_rep":
        # Quota attainment: the rep's own figure, null without a quota. A rep with a quota and no
        # deal won is at 0 %, not without a figure (n counts the won deals): left out, the reps
        # at 0 % before a program vanished from its effect (+0.2 pp where it was +11.4).
        return None if row is None or row["value"] is None else (Fraction(str(row["value"])), Fraction(1))
    if row is None or row["value"] is None or not row["n"]:
        return None
    n = int(row["n"])
    if how == "share":
        return Fraction(round(float(row["value"]) * n)), Fraction(n)
    if how == "score":  # NPS is 100 x (promoters - detractors) / answers
        return Fraction(100 * round(float(row["value"]) * n / 100)), Fraction(n)
    if how == "money_mean":  # revenue_per_rep's exact sum over the same won deals
        revenue = rows.get(("revenue_per_rep", rep))
        return Fraction(revenue["value"] if revenue else Decimal(0)), Fraction(n)
    return Fraction(round(float(row["value"]) * n)), Fraction(n)  # days are whole: exact


def _terms(kpi: str, reps: Sequence[str], rows_before: Any, rows_after: Any,
           weeks: tuple[Fraction, Fraction],
           present: Mapping[str, tuple[Fraction | None, Fraction | None]]) -> dict[str, tuple[Term, Term]]:
    out = {}
    for rep in reps:
        b = _term(kpi, rep, rows_before, weeks[0], present[rep][0])
        a = _term(kpi, rep, rows_after, weeks[1], present[rep][1])
        if b is not None and a is not None and b[1] > 0 and a[1] > 0:
            out[rep] = (b, a)
    return out


def _chance(kpi: str, terms: Mapping[str, tuple[Term, Term]],
            present: Mapping[str, tuple[Fraction | None, Fraction | None]]) -> float:
    """The least variance a group's change has from its records' own chance, whatever its reps'
    spread (stats.did_bootstrap's floor), in each window: a share's binomial variance, of the share
    with one success and one failure added (Agresti-Coull's "add two": five reps lost 1 of 1, then
    won 1 of 1, read +100 pp, 95 %: +100 to +100, from p(1 - p) = 0); an NPS's least for its score
    (an answer is -100, 0 or 100, so its second moment is at least 100 |NPS|), one promoter and one
    detractor added likewise. Reps alike in every figure left the bootstrap no spread: +40 (95 %:
    +40 to +40) from 30 answers. Activities per week: each rep's count is a Poisson count (variance
    its count, a count of 0 taken as 1), over the rep's weeks, in a mean of reps: four reps each
    going from 10 to 12 calls read +0.47 a week (95 %: +0.47 to +0.47, p < 0.001)."""
    how = POOLING[kpi]
    if how not in ("share", "score", "per_week") or not terms:
        return 0.0
    out = 0.0
    if how == "per_week":
        for window in (0, 1):
            spread = Fraction(0)
            for rep, pair in terms.items():
                weeks = present[rep][window]
                assert weeks is not None  # a rep without weeks in a window has no term
                spread += max(pair[window][0] * weeks, Fraction(1)) / (weeks * weeks)
            out += float(spread) / len(terms) ** 2
        return out
    for window in (0, 1):
        n = float(sum((t[window][1] for t in terms.values()), Fraction(0)))
        total = float(sum((t[window][0] for t in terms.values()), Fraction(0)))
        if how == "share":
            p = (total + 1) / (n + 2)
            out += p * (1 - p) / n
        else:
            mean = total / (n + 2)  # the added promoter and detractor cancel out
            second = (100 * abs(total) + 2 * 100 * 100) / (n + 2)
            out += max(0.0, second - mean * mean) / n
    return out


# How far a difference in differences of each kind of figure can go: shares from 0 to 1, NPS from
# -100 to 100, each changed in two groups.
BOUNDS = {"share": 2.0, "score": 400.0}


def _pooled(terms: Iterable[Term]) -> Fraction | None:
    items = list(terms)
    weight = sum((w for _, w in items), Fraction(0))
    return sum((n for n, _ in items), Fraction(0)) / weight if weight else None


def shape(value: Fraction | float | None, unit: str) -> Any:
    """A figure on the KPI's scale: money in exact cents, ratios to 6 places, others to 4."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        if unit == "money":
            exact = Decimal(value.numerator) / Decimal(value.denominator)
            return exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
        return round(float(value), 6 if unit == "ratio" else 4)
    return shaped(value, unit)


def _clusters(terms: Mapping[str, tuple[Term, Term]]) -> list[stats.Cluster]:
    return [stats.Cluster(float(b[0]), float(b[1]), float(a[0]), float(a[1])) for b, a in terms.values()]


def _row(kpi: str, participants: Sequence[str], others: Sequence[str], rows_before: Any, rows_after: Any,
         weeks: tuple[Fraction, Fraction], present: Mapping[str, tuple[Fraction | None, Fraction | None]],
         base: str | None, incomplete: bool, cost: Decimal | None, cost_currency: str | None,
         prorated: bool = False, missing: str | None = None) -> EffectRow:
    """``missing``: the flag of the records the KPI counts where none were ever imported."""
    unit = REGISTRY[kpi].unit
    basis = BASIS[POOLING[kpi]]
    currency = base if unit == "money" else None
    if missing:  # none ever imported: 0 against 0 is no measured effect (activities of a deals export)
        return EffectRow(kpi, unit, basis, None, None, None, None, None, None, None, None, 0, 0,
                         ("no_data", missing), currency=currency)
    treated = _terms(kpi, participants, rows_before, rows_after, weeks, present)
    control = _terms(kpi, others, rows_before, rows_after, weeks, present)
    flags: list[str] = []
    if not control:
        flags.append("no_comparison_group")
    behind = [sum((t[i][1] for t in side.values()), Fraction(0)) for side in (treated, control) if side
              for i in (0, 1)]
    # No comparison group is said as that, not as a small one (the enablement tester: "few reps or
    # deals" on 12 trained reps and 240 deals).
    if (len(treated) < MIN_REPS or (control and len(control) < MIN_REPS)
            or (POOLING[kpi] not in ("per_week", "per_rep") and min(behind, default=0) < MIN_RECORDS)):
        flags.append("small_sample")
    if incomplete:
        flags.append("window_incomplete")
    if not treated:  # no participant has this figure in both windows (no quotas, no answers)
        return EffectRow(kpi, unit, basis, None, None, None, None, None, None, None, None, 0,
                         len(control), ("no_data",), currency=currency)
    p_b = _pooled(b for b, _ in treated.values())
    p_a = _pooled(a for _, a in treated.values())
    o_b = _pooled(b for b, _ in control.values())
    o_a = _pooled(a for _, a in control.values())
    assert p_b is not None and p_a is not None
    others_change = None if o_a is None or o_b is None else o_a - o_b
    effect = (p_a - p_b) - (others_change or Fraction(0))
    estimate = stats.did_bootstrap(_clusters(treated), _clusters(control) or None,
                                   floors=(_chance(kpi, treated, present), _chance(kpi, control, present)))
    if estimate.control_moved:
        flags.append("seasonality")
    per_deal = per_revenue = None
    if cost is not None and (cost_currency or base) != base:
        flags.append("cost_in_other_currency")
    elif cost is not None and effect > 0:
        # A cost per extra deal of an effect that may be noise reads as a return that may not be
        # there ($1,120 an extra deal at p = 0.78): said beside it; so is one beyond noise on few
        # reps or deals, a hint whose cost read as a fact (a tester). Only where a cost is stated.
        noise_at = (len(flags) if kpi in ("win_rate", "revenue_per_rep")
                    and judged(estimate.p_value, tuple(flags)) is not True else None)
        if prorated and kpi in ("win_rate", "revenue_per_rep"):
            flags.append("cost_prorated")
        # Extra won deals (the lift times the participants' closed deals after) or extra revenue (the
        # lift per rep times the reps), never more than the participants won after: +106 pp on 8
        # closed deals read as 8.5 extra wins beside the 6 they won, and a cost per extra deal
        # below what each of their wins cost (a tester). Beyond it, no cost is stated, and why.
        if kpi in ("win_rate", "revenue_per_rep"):
            won_after = sum((a[0] for _, a in treated.values()), Fraction(0))
            extra = effect * (sum((a[1] for _, a in treated.values()), Fraction(0)) if kpi == "win_rate"
                              else len(treated))
            if extra > won_after:
                flags.append("cost_beyond_wins")
            elif kpi == "win_rate":
                per_deal = shape(Fraction(cost) / extra, "money")
            else:
                per_revenue = round(Decimal(cost) / (Decimal(extra.numerator) / Decimal(extra.denominator)),
                                    4)
        if noise_at is not None and "cost_beyond_wins" not in flags:
            flags.insert(noise_at, "cost_within_noise")
    low, high = estimate.low, estimate.high
    if POOLING[kpi] in BOUNDS and low is not None and high is not None:
        # A change of a rate less another's lies within +-200 pp (an NPS's within +-400): with two
        # reps a side, t read -167.7 pp to +234.4 pp.
        low, high = max(low, -BOUNDS[POOLING[kpi]]), min(high, BOUNDS[POOLING[kpi]])
    return EffectRow(
        kpi, unit, basis, shape(p_b, unit), shape(p_a, unit), shape(o_b, unit), shape(o_a, unit),
        shape(effect, unit), shaped(low, unit), shaped(high, unit),
        None if estimate.p_value is None else round(estimate.p_value, 6), len(treated), len(control),
        tuple(flags), shape(others_change, unit), currency, per_deal, per_revenue)


# -- month by month ------------------------------------------------------------------------------
def _months(start: date, end: date) -> list[Period]:
    out = []
    month = date(start.year, start.month, 1)
    while month < end:
        nxt = add_months(month, 1)
        out.append(Period(max(month, start), min(nxt, end), f"{month.year}-{month.month:02d}"))
        month = nxt
    return out


def _event_study(store: Store, kpis: Sequence[str], rows: Sequence[EffectRow], participants: Sequence[str],
                 others: Sequence[str], before: Period, after: Period, horizon: date,
                 hired: Mapping[str, date], as_of: date | None, viewer: Viewer | None) -> list[EventStudy]:
    """Each KPI month by month from the first month of the before window to the last of the after
    window, for the participants and the comparison group, each with a 95 % band over its reps.
    Whole months only: a month cut short would show a sum (revenue per rep) as a slump. A KPI that
    has no figure by month (the pipeline win rate, of the deals created in a period) has no line:
    asked by month, it refused the whole effect."""
    measured = [r.kpi for r in rows if r.n_participants and REGISTRY[r.kpi].supports("month")]
    last = after.end - timedelta(days=1)
    end = min(add_months(date(last.year, last.month, 1), 1), date(horizon.year, horizon.month, 1))
    start = date(before.start.year, before.start.month, 1)
    if not measured or end <= start:
        return []
    span = Period(start, end, "event study")
    needed = list(dict.fromkeys([*measured, *(["revenue_per_rep"] if "average_deal_size" in measured
                                              else [])]))
    report = build_report(store, span, by=("rep", "month"), kpis=needed,
                          filters={"rep": sorted(set(participants) | set(others))}, as_of=as_of,
                          viewer=viewer)
    by_month: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for r in report.rows:
        if r.get("rep") is not None:
            by_month.setdefault(r["month"], {})[(r["kpi"], r["rep"])] = r
    out = []
    for kpi in kpis:
        if kpi not in measured:
            continue
        unit = REGISTRY[kpi].unit
        points = []
        for month in _months(span.start, span.end):
            rows_m = by_month.get(month.label, {})
            weeks = Fraction(month.days, 7)
            groups = []
            for reps in (participants, others):
                terms = [t for rep in reps
                         if (t := _term(kpi, rep, rows_m, weeks, _weeks_present(month, hired.get(rep))))
                         is not None and t[1] > 0]
                figure = _pooled(terms)
                band = stats.ratio_interval([float(n) for n, _ in terms], [float(w) for _, w in terms])
                if band is not None and POOLING[kpi] == "share":
                    # Never narrower than the pooled records' own chance (as the effect's interval,
                    # docs/statistics.md): two reps at 50 % each read "50.0 - 50.0 %" from 12 deals.
                    floor = stats.wilson(int(sum(n for n, _ in terms)), int(sum(w for _, w in terms)))
                    if floor is not None:
                        band = stats.Interval(min(band.low, floor.low), max(band.high, floor.high))
                groups.append((shape(figure, unit), shaped(band.low, unit) if band else None,
                               shaped(band.high, unit) if band else None, len(terms)))
            (p, p_lo, p_hi, p_n), (o, o_lo, o_hi, o_n) = groups
            points.append(EventPoint(month.label, month.start, p, p_lo, p_hi, o, o_lo, o_hi, p_n, o_n))
        out.append(EventStudy(kpi, unit, points))
    return out


# -- onboarding ----------------------------------------------------------------------------------
def _onboarding(store: Store, prog: Program, as_of: date | None,
                viewer: Viewer | None) -> OnboardingComparison:
    ramp = build_ramp_cohorts(store, as_of=as_of, viewer=viewer)
    reps = store.records(viewer).table("reps").select("rep_id", "team", "hired_on").to_pyarrow().to_pylist()
    team_of = {str(r["rep_id"]): r["team"] or None for r in reps}
    hired = {str(r["rep_id"]): r["hired_on"] for r in reps}
    teams = {team_of.get(r) for r in prog.participants}
    alone = {r for r in prog.participants if team_of.get(r) is None}
    spells: dict[str, tuple[float, bool, int | None]] = {}
    for cohort in ramp.cohorts:
        observed = len(cohort.curve)
        for rep, month in cohort.months_to_ramp.items():
            spells[rep] = (float(observed if month is None else month), month is not None, month)
    in_scope = [r for r in spells if r in alone or (team_of.get(r) is not None and team_of.get(r) in teams)]
    before = sorted(r for r in in_scope if hired[r] < prog.start_on)
    after = sorted(r for r in in_scope if hired[r] >= prog.start_on)
    if not after:
        raise ProgramError(f"no rep of {_teams_text(teams, alone)} hired on or after "
                           f"{prog.start_on.isoformat()} can be measured yet (ramp needs a hire date and "
                           "a whole month of records): nothing to compare the onboarding change by",
                           f"Kein ab {prog.start_on.isoformat()} eingestellter Mitarbeiter von "
                           f"{_teams_text(teams, alone, 'de')} lässt sich schon messen (die Einarbeitung "
                           "braucht ein Einstellungsdatum und einen ganzen Monat Daten): nichts, woran "
                           "sich die neue Einarbeitung messen ließe")
    if not before and viewer is not None and not viewer.sees_everything:
        # Those hired before may be there, out of the viewer's sight (a participant read that team
        # west had none, where six were).
        raise ProgramError(f"no rep you may see of {_teams_text(teams, alone)} hired before "
                           f"{prog.start_on.isoformat()} can be measured: those the new hires are compared "
                           "with are not yours to see (a leader's view shows the comparison)",
                           f"Kein vor {prog.start_on.isoformat()} eingestellter Mitarbeiter von "
                           f"{_teams_text(teams, alone, 'de')}, den Sie sehen dürfen, lässt sich messen: "
                           "Die, mit denen die Neuzugänge verglichen werden, sind nicht für Sie sichtbar "
                           "(die Sicht der Leitung zeigt den Vergleich)")
    if not before:
        raise ProgramError(f"no rep of {_teams_text(teams, alone)} hired before "
                           f"{prog.start_on.isoformat()} can be measured: nothing to compare the new hires "
                           "with",
                           f"Kein vor {prog.start_on.isoformat()} eingestellter Mitarbeiter von "
                           f"{_teams_text(teams, alone, 'de')} lässt sich messen: nichts, womit sich die "
                           "Neuzugänge vergleichen ließen")

    def group(members: list[str]) -> HireGroup:
        curve = stats.kaplan_meier([spells[r][0] for r in members], [spells[r][1] for r in members])
        low, high = curve.median_interval()
        return HireGroup(tuple(members), sum(1 for r in members if spells[r][1]), curve.median, low, high,
                         {r: spells[r][2] for r in members})

    test = stats.log_rank([spells[r][0] for r in before], [spells[r][1] for r in before],
                          [spells[r][0] for r in after], [spells[r][1] for r in after])
    flags = tuple(["small_sample"] if min(len(before), len(after)) < MIN_REPS else [])
    return OnboardingComparison(group(before), group(after), None if test is None else round(test.p_value, 6),
                                tuple(sorted(t for t in teams if t)), flags)


def _teams_text(teams: set[str | None], alone: set[str], lang: str = "en") -> str:
    de = lang == "de"
    named = sorted(t for t in teams if t)
    parts = ([f"{'Team' if de else 'team'} {', '.join(named)}"] if named else []) + sorted(alone)
    return (" oder " if de else " or ").join(parts) or ("den Teilnehmern" if de else "the participants")
