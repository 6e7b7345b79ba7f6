"""A rep's scorecard: each KPI against the team's median and the rep's own previous periods, and a
diagnosis in plain words, the one the article asks for: does this rep need to work more, or to be
trained?

The diagnosis sets activity volume against conversion, and calls a difference only when it is more than
noise:

* activity is *high* (or *low*) when the rep's activity count is at least 25 % above (below) the team's
  median **and** the exact Poisson 95 % interval of the rep's count lies entirely above (below) it;
* conversion is *high* (or *low*) when the Wilson 95 % interval of the rep's win rate lies entirely
  above (below) the team's median win rate.

A rep with fewer than :data:`MIN_CLOSED` closed deals in the period, or without at least two other reps
to compare with, gets "not enough data", never a verdict. Without activities (none imported, or none of
the team's logged in the period) the activity half is not judged, and the diagnosis says why rather than
comparing zeros: the verdict rests on conversion alone.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from .. import stats
from ..access import PRIVATE_MIN
from ..coverage import PeriodHint, activities_imported, comparable, period_hint
from ..kpis import REGISTRY
from ..periods import Measured, Period
from ..programs import Program, programs_of_rep
from ..report import Skipped, build_report, why_empty
from ..text.insights import diagnosis_text, diagnosis_verdict
from .peers import RepComparison, build_rep_comparison, on_the_team, private, team_peers

if TYPE_CHECKING:
    from ..access import Viewer
    from ..store import Store

SCORECARD_KPIS = ("total_revenue", "average_deal_size", "sales_cycle_length", "win_rate",
                  "pipeline_win_rate", "quota_attainment", "activity_count", "nps")
MIN_CLOSED = 10  # closed deals a win rate needs before it can carry a verdict
MIN_PEERS = 2  # other reps in the team needed for a team median to mean anything
MATERIAL = 1.25  # activity at least this many times the team median (or its inverse) to count

DIAGNOSES = ("not_enough_data", "needs_more_activity", "needs_training", "needs_activity_and_training",
             "strong", "in_line")
# Why the activity half is not judged (Diagnosis.activity_missing).
ACTIVITY_MISSING = ("not_imported", "none_in_period")


@dataclass(frozen=True)
class ScoreLine:
    kpi: str
    value: Any
    n: int
    flags: tuple[str, ...]
    ci_low: Any
    ci_high: Any
    team_median: Any
    compared: int
    history: tuple[tuple[str, Any], ...]  # (period label, value), oldest first
    own_median: Any  # median of the rep's own previous periods

    def as_json(self) -> dict[str, Any]:
        return {"kpi": self.kpi, "unit": REGISTRY[self.kpi].unit, "value": self.value, "n": self.n,
                "flags": list(self.flags), "ci_low": self.ci_low, "ci_high": self.ci_high,
                "team_median": self.team_median, "compared": self.compared,
                "history": [{"period": p, "value": v} for p, v in self.history],
                "own_median": self.own_median}


@dataclass(frozen=True)
class Diagnosis:
    code: str  # one of DIAGNOSES
    activity: str | None  # high, low, typical (None: not judged)
    conversion: str | None
    figures: dict[str, Any] = field(default_factory=dict)
    activity_missing: str | None = None  # ACTIVITY_MISSING: why activity cannot be judged at all

    def text(self, lang: str = "en") -> str:
        return diagnosis_text(self, lang, min_closed=MIN_CLOSED, min_peers=MIN_PEERS)

    def verdict(self, lang: str = "en") -> str:
        """The verdict alone, without the figures: for faces that show the figures themselves."""
        return diagnosis_verdict(self, lang, min_closed=MIN_CLOSED, min_peers=MIN_PEERS)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "activity": self.activity, "conversion": self.conversion,
                "activity_missing": self.activity_missing, "figures": self.figures,
                "text_en": self.text("en"), "text_de": self.text("de")}


@dataclass(frozen=True)
class Scorecard(Measured):
    rep: str
    name: str | None
    team: str | None
    period: Period
    history_periods: tuple[Period, ...]
    currency: str | None
    lines: list[ScoreLine]
    diagnosis: Diagnosis
    programs: tuple[Program, ...] = ()  # the enablement programs the rep took part in
    as_of: date | None = None  # figures as they stood at the end of this day
    hint: PeriodHint | None = None  # the period holds no records: where they are (coverage.py)
    # The rep beside the team's median, which the scorecard is built on: the rep's page shows both
    # and need not compute it twice (not part of the JSON, which has its own lines).
    peers: RepComparison | None = field(default=None, compare=False, repr=False)
    # KPIs refused in the period or one before it: money no exchange rate converts (flag no_rate).
    skipped: list[Skipped] = field(default_factory=list)

    def line(self, kpi: str) -> ScoreLine:
        return next(line for line in self.lines if line.kpi == kpi)

    def as_json(self) -> dict[str, Any]:
        return {"rep": self.rep, "name": self.name, "team": self.team, "period": self.period.as_json(),
                **self.as_of_json(), "history_periods": [p.as_json() for p in self.history_periods],
                "currency": self.currency, "kpis": [line.as_json() for line in self.lines],
                "diagnosis": self.diagnosis.as_json(),
                "programs": [{k: v for k, v in p.as_json().items() if k != "participants"}
                             for p in self.programs],
                **({"hint": self.hint.as_json()} if self.hint else {}),
                "skipped": [s.as_json() for s in self.skipped]}


def period_label(p: Period, store: Store) -> str:
    """A name people write for a period found by stepping back: 2026-Q2, 2026-09, or its dates."""
    from ..periods import add_months, fiscal_quarter_of

    fy = store.settings.fiscal_year_start
    if p.cut_within is not None:  # as far into its last day as today's records go (coverage.comparable)
        return f"{p.start.isoformat()}..{p.records_last_day.isoformat()} {p.cut_within:%H:%M}"
    if p.start.day == 1 and add_months(p.start, 1) == p.end:
        return f"{p.start.year}-{p.start.month:02d}"
    if p.start.day == 1 and add_months(p.start, 3) == p.end:
        y, q = fiscal_quarter_of(p.start, fy)
        if add_months(p.start, -3 * (q - 1)).month == fy:
            return f"{y}-Q{q}"
    if p.start.day == 1 and add_months(p.start, 12) == p.end and p.start.month == fy:
        return str(p.start.year)
    return f"{p.start.isoformat()}..{p.last_day.isoformat()}"


def _median(values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if not present:
        return None
    m = statistics.median(present)
    if isinstance(m, Decimal):
        return m.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return round(m, 6) if isinstance(m, float) else m


def build_scorecard(store: Store, rep: str, period: str | Period, *, history: int = 3,
                    as_of: date | None = None, viewer: Viewer | None = None) -> Scorecard:
    span = store.period(period, as_of)
    peers = build_rep_comparison(store, rep, span, as_of=as_of, viewer=viewer)
    rep = peers.rep  # the id, when the rep was asked for by name
    # The team as a whole, for its medians (peers.py: a rep who may not see the team gets them
    # computed over it, and nothing else of it).
    peer_viewer, team_reps = team_peers(store, peers.team, viewer, rep)
    hidden = private(store, team_reps, viewer)
    team_filter = {"team": [peers.team]} if peers.team else {"rep": team_reps}
    kw: dict[str, Any] = {"by": "rep", "kpis": SCORECARD_KPIS, "as_of": as_of, "skip_unrated": True}
    team = build_report(store, span, filters=team_filter, viewer=peer_viewer, **kw)
    own = team if peer_viewer == viewer else build_report(store, span, filters={"rep": [rep]},
                                                          viewer=viewer, **kw)
    mine = {r["kpi"]: r for r in own.rows if r.get("rep") == rep}
    # Money no exchange rate converts: no figure (flag no_rate), never the empty group's 0.
    refused = {s.kpi: s for s in [*team.skipped, *own.skipped]}

    earlier: list[Period] = []
    cursor = span
    for _ in range(max(0, history)):
        cursor = cursor.previous()
        # A period cut by as_of is set beside the same stretch of each earlier one, like for like.
        shown = comparable(store, cursor, span, as_of)
        earlier.insert(0, replace(shown, label=period_label(shown, store)))
    past: list[dict[str, Any]] = []
    # An earlier period whose money no rate converts has no figure, and the rep's own median is
    # not taken over the others alone (flag earlier_no_rate).
    earlier_refused: set[str] = set()
    for p in earlier:
        if peers.hired_on is not None and p.end <= peers.hired_on:
            # Before the rep was hired: no figure, not a row of zeros (a tester read a new hire's
            # three weeks before her first day as $0.00 and 0 activities each).
            past.append(dict.fromkeys(SCORECARD_KPIS))
            continue
        then = build_report(store, p, filters={"rep": [rep]}, viewer=viewer, **kw)
        past.append({**{r["kpi"]: r["value"] for r in then.rows}, **{s.kpi: None for s in then.skipped}})
        earlier_refused |= {s.kpi for s in then.skipped}

    lines = []
    for kpi in SCORECARD_KPIS:
        definition = REGISTRY[kpi]
        assert definition.finalize is not None
        empty = definition.finalize({})
        row = None if kpi in refused else mine.get(kpi)
        peer = peers.line(kpi)
        hist = tuple((p.label, values.get(kpi, empty.value)) for p, values in zip(earlier, past,
                                                                                   strict=True))
        own_median = None if kpi in earlier_refused else _median([v for _, v in hist])
        marked = ("earlier_no_rate",) if kpi in earlier_refused else ()
        lines.append(ScoreLine(
            kpi, row["value"] if row else empty.value, row["n"] if row else 0,
            (*row["flags"], *marked) if row else (*why_empty(store, definition, empty.flags, viewer,
                                                             empty.value), *marked),
            row.get("ci_low") if row else None,
            row.get("ci_high") if row else None, peer.team_median, peer.compared, hist, own_median,
        ) if kpi not in refused else ScoreLine(kpi, None, 0, ("no_rate", *marked), None, None, None, 0,
                                               hist, own_median))
    team_rows = [r for r in team.rows if r["kpi"] in ("activity_count", "win_rate")]
    imported = activities_imported(store, span, viewer)
    on_team = on_the_team(store, team_reps, span, peer_viewer, as_of)
    figures = team_figures(on_team, team_rows)
    diagnosis = diagnose(rep, figures, activities_imported=imported)
    if hidden:
        diagnosis = without_small_medians(diagnosis, figures)
    # Nothing of the team's dated in it: perhaps no record at all, then say where the records are.
    dated = any(r["n"] for r in team.rows if REGISTRY[r["kpi"]].dated)
    return Scorecard(rep, peers.name, peers.team, span, tuple(earlier), team.currency, lines, diagnosis,
                     tuple(programs_of_rep(store, rep, viewer)), as_of,
                     None if dated else period_hint(store, span, viewer, as_of), peers,
                     list(refused.values()))


@dataclass(frozen=True)
class TeamFigures:
    """What a diagnosis reads of a rep's team, the same for every rep in it: a leaderboard of 2,000
    reps computes it once per team, not once per rep over teams of a hundred."""

    activity: dict[str, dict[str, Any]]  # activity_count rows by rep
    wins: dict[str, dict[str, Any]]  # win_rate rows by rep
    median_activities: Any  # reps at work without activities count as zero, as the KPI says
    median_win_rate: Any  # over the reps with a win rate (it needs closed deals)
    median_per_deal: float | None
    any_activity: bool
    any_win_rate: bool
    with_records: Counter[str]  # team reps with a row of either KPI
    with_win_rate: Counter[str]  # team reps with a win rate
    # How many reps each median rests on, by its key in Diagnosis.figures.
    backing: dict[str, int] = field(default_factory=dict)


def team_figures(team_reps: list[str], rows: list[dict[str, Any]]) -> TeamFigures:
    """The team's side of :func:`diagnose` from its activity_count and win_rate rows."""
    activity = {r["rep"]: r for r in rows if r["kpi"] == "activity_count"}
    wins = {r["rep"]: r for r in rows if r["kpi"] == "win_rate"}
    # Over the reps at work, 0 for one who logged nothing (report._every_rep); a teammate who did
    # not work in the period at all (on leave, gone) pulled the median down as a 0.
    counts = [int(activity[r]["value"]) for r in team_reps if r in activity]
    rates = [float(wins[r]["value"]) for r in team_reps if r in wins and wins[r]["value"] is not None]
    per_deal = {r: (int(activity[r]["value"]) / int(wins[r]["n"]))
                for r in team_reps if r in activity and r in wins and int(wins[r]["n"])}
    return TeamFigures(
        activity, wins, _median(counts), _median(rates),
        round(statistics.median(per_deal.values()), 2) if per_deal else None,
        any(counts), bool(rates),
        # Teammates with something counted: a row of 0 (a rep at work with no activity, report
        # _every_rep) is no record a median rests on, and made 1 peer read as 3.
        Counter(r for r in team_reps if (r in activity and activity[r]["n"]) or r in wins),
        Counter(r for r in team_reps if r in wins and wins[r]["value"] is not None),
        {"team_median_activities": len(counts), "team_median_win_rate": len(rates),
         "team_median_activities_per_closed_deal": len(per_deal)},
    )


def without_small_medians(diagnosis: Diagnosis, team: TeamFigures) -> Diagnosis:
    """The diagnosis as one who may not see each teammate's figures reads it: a team median resting
    on fewer than PRIVATE_MIN reps is left out, since the middle of two, beside one's own figure,
    gives the other's away (and a team of six may have two reps with a win rate). The verdict
    stays: it says where the rep stands, not what anyone else did."""
    backing = team.backing
    return replace(diagnosis, figures={
        k: (None if k in backing and backing[k] < PRIVATE_MIN else v) for k, v in diagnosis.figures.items()})


def diagnose(rep: str, team: TeamFigures, *, activities_imported: bool = True) -> Diagnosis:
    """The verdict on ``rep`` beside their team (:func:`team_figures` of its activity_count and
    win_rate rows, one per rep)."""
    activity, wins = team.activity, team.wins
    count = int(activity[rep]["value"]) if rep in activity else 0
    closed = int(wins[rep]["n"]) if rep in wins else 0
    hits = round(float(wins[rep]["value"]) * closed) if rep in wins and closed else 0
    # Who the team median rests on: teammates with records, and those with a win rate.
    teammates = team.with_records.total() - team.with_records[rep]
    figures: dict[str, Any] = {
        "activities": count, "team_median_activities": team.median_activities,
        "closed_deals": closed, "won_deals": hits,
        "win_rate": round(hits / closed, 6) if closed else None,
        "team_median_win_rate": team.median_win_rate,
        "activities_per_closed_deal": round(count / closed, 2) if closed else None,
        "team_median_activities_per_closed_deal": team.median_per_deal,
        "min_closed_deals": MIN_CLOSED,
        "teammates": teammates,
        "teammates_with_win_rate": team.with_win_rate.total() - team.with_win_rate[rep],
        "min_teammates": MIN_PEERS,
    }
    missing = ("not_imported" if not activities_imported else
               "none_in_period" if not team.any_activity else None)
    if missing:  # nothing to compare: no zeros presented as figures
        figures.update({"activities": None, "team_median_activities": None,
                        "activities_per_closed_deal": None,
                        "team_median_activities_per_closed_deal": None})
    if closed < MIN_CLOSED or teammates < MIN_PEERS or not team.any_win_rate:
        return Diagnosis("not_enough_data", None, None, figures, missing)

    wilson = stats.wilson(hits, closed)
    assert wilson is not None
    figures["win_rate_ci"] = [round(wilson.low, 6), round(wilson.high, 6)]
    median_rate = float(figures["team_median_win_rate"])
    conversion = ("high" if wilson.low > median_rate else "low" if wilson.high < median_rate
                  else "typical")

    if missing:  # the verdict rests on conversion alone
        code = {"low": "needs_training", "high": "strong"}.get(conversion, "in_line")
        return Diagnosis(code, None, conversion, figures, missing)

    median_count = float(figures["team_median_activities"])
    band = stats.poisson_interval(count)
    figures["activities_ci"] = [round(band.low, 2), round(band.high, 2)]
    if median_count > 0 and count >= MATERIAL * median_count and band.low > median_count:
        level = "high"
    elif count <= median_count / MATERIAL and band.high < median_count:
        level = "low"
    else:
        level = "typical"

    if conversion == "low":
        code = "needs_activity_and_training" if level == "low" else "needs_training"
    elif level == "low":
        code = "needs_more_activity"
    elif conversion == "high":
        code = "strong"
    else:
        code = "in_line"
    return Diagnosis(code, level, conversion, figures)
