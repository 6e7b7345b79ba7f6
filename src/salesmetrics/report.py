"""A report: KPIs for a period, grouped and filtered, as rows every face renders the same way.

The JSON form is a documented contract (README, "JSON output"):
``{"period": {"label", "start", "end"}, "by": [...], "filters": {...}, "currency": ...,
"rows": [{"kpi", "value", "unit", "currency"?, <dimension>: <id>, ..., "n", "flags"}], "skipped": [...]}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from . import targets, trust
from .access import Viewer
from .coverage import ClosedAhead, PeriodHint, closed_ahead, comparable, period_hint, still_to_come
from .decimal_json import dumps
from .errors import CurrencyError, DimensionError, keyed
from .kpis import REGISTRY, batch, compiled, get
from .kpis.dimensions import TIME_DIMENSIONS
from .kpis.known_values import has_line_items, hire_dates, no_line_items
from .kpis.model import KPI
from .kpis.query import Query, buckets
from .kpis.scope import (
    filters_json,
    parse_dimensions,
    parse_kpis,
    query_maker,
    resolve_filters,
    time_label,
    why_not,
)
from .periods import Period, is_over
from .runtime import collector_paused
from .store import Store
from .text.errors import error_text, say

# The keys of a row that are not grouping dimensions (every other key names one). README, "JSON output".
ROW_FIELDS = frozenset({
    "kpi", "value", "unit", "currency", "n", "flags",
    "ci_low", "ci_high",  # trust.py: 95 % interval
    "previous", "change", "p_value", "significant",  # trust.py: with compare=True
    "target", "target_status", "pace",  # targets.py
    "lower_bound",  # sales_cycle_median_km: the longest time observed, when the median is beyond it
    "days_so_far",  # ramp_time: the longest time so far of the reps still ramping
})


# A row compared with the period before whose money no exchange rate converts: no comparison.
PREVIOUS_NO_RATE = "previous_no_rate"
# A week, month or quarter the period cuts (report._mark_cut): its figure is of the days inside.
BUCKET_CUT = "bucket_cut"
YEAR_AGO_NO_RATE = "year_ago_no_rate"


@dataclass(frozen=True)
class Skipped:
    """A KPI left out of a report, and why: it does not apply to the grouping or filters (``cause``
    "not_applicable"), or its money cannot be converted (``cause`` "no_rate", with the refusal as
    ``error``, which a face words in its reader's language), or it is by product and no deal has
    line items (``cause`` "no_line_items"). In :attr:`Report.uncompared`, a KPI
    that stands but is compared with nothing, for the money of the period before (``cause``
    "previous_no_rate") or of a year before ("year_ago_no_rate"), ``period`` that period's days."""

    kpi: str
    reason: str
    cause: str = "not_applicable"
    error: CurrencyError | None = field(default=None, compare=False)
    period: str | None = None
    # Answered but for these reps (teams), whose money no rate converts: their rows say no_rate.
    groups: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"kpi": self.kpi, "reason": self.reason, "cause": self.cause,
                **({"period": self.period} if self.period is not None else {}),
                **({"groups": list(self.groups)} if self.groups else {})}


@dataclass
class Report:
    period: Period
    by: tuple[str, ...]
    filters: dict[str, tuple[str, ...]]
    currency: str | None
    rows: list[dict[str, Any]]
    skipped: list[Skipped] = field(default_factory=list)
    data_version: int = 0
    previous: Period | None = None  # the period each row was compared with (report(compare=True))
    as_of: date | None = None  # figures as they stood at the end of this day

    @property
    def measured(self) -> Period:
        """The stretch the figures cover: the period, cut at the end of ``as_of`` if it runs past."""
        return self.period.until(self.as_of)
    hint: PeriodHint | None = None  # the period holds no records: where they are (coverage.py)
    fiscal_year_start: int = 1  # the month a quarter key (2026-Q1) starts counting from
    # The KPIs compared with nothing: the period before has money no rate converts (flag
    # previous_no_rate on their rows), each with that refusal.
    uncompared: list[Skipped] = field(default_factory=list)
    # The period was over (at the end of as_of, or today): its targets were reached or missed.
    over: bool = False
    # The KPIs answered by rep or team but for the groups whose money no rate converts (apart.py):
    # each with that refusal and those groups, whose rows read no figure (flag no_rate).
    unrated: list[Skipped] = field(default_factory=list)
    # Revenue by product (line items) and the revenue won, where they differ (summary.items_apart):
    # the product rows read as the whole of the revenue.
    products_apart: tuple[Decimal, Decimal] | None = None
    # Grouped: the KPIs asked that no group has a row of (ramp time by team in a month no rep was
    # hired): left out of a table of every KPI without a word, where ungrouped they say why.
    no_rows: tuple[str, ...] = ()
    # A running period's deals closed on a day still to come: not counted yet (coverage.py).
    closed_ahead: ClosedAhead | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.as_json(),
            **({"as_of": self.as_of, "measured_period": self.measured.as_json()}
               if self.as_of is not None else {}),
            "by": list(self.by),
            "filters": filters_json(self.filters),
            "currency": self.currency,
            "rows": self.rows,
            "skipped": [s.as_json() for s in self.skipped],
            **({"previous_period": self.previous.as_json()} if self.previous else {}),
            # Only where some figure stands uncompared: a script reading the keys sees them as before.
            **({"uncompared": [s.as_json() for s in self.uncompared]} if self.uncompared else {}),
            **({"unrated": [s.as_json() for s in self.unrated]} if self.unrated else {}),
            **({"products_apart": {"line_items": self.products_apart[0], "revenue": self.products_apart[1]}}
               if self.products_apart else {}),
            **({"hint": self.hint.as_json()} if self.hint else {}),
            **({"no_rows": list(self.no_rows)} if self.no_rows else {}),
            **({"closed_ahead": self.closed_ahead.as_json()} if self.closed_ahead else {}),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return dumps(self.as_json(), indent=indent)

    def value(self, kpi: str, **dims: str) -> Any:
        """The value of one row, for scripts: ``report.value("win_rate", rep="r1")``. Rows hold
        stored ids, as the JSON does: a KeyError names some of the values they have. A grouped
        report's row is named by every grouping (``rep=None``: the deals of no rep); the first
        group's figure was given for ``value("win_rate")`` of a report by rep."""
        # revenue_per_rep is by rep unasked (KPI.always_by)
        grouped = list(dict.fromkeys([*self.by, *(REGISTRY[kpi].always_by if kpi in REGISTRY else ())]))
        unnamed = [d for d in grouped if d not in dims]
        if unnamed and any(r["kpi"] == kpi for r in self.rows):
            example = ", ".join(f"{d}={_first(self.rows, kpi, d)!r}" for d in grouped)
            raise KeyError(f"{kpi} is by {', '.join(grouped)}: name the row's "
                           f"{' and '.join(unnamed)}, e.g. value({kpi!r}, {example})")
        for row in self.rows:
            if row["kpi"] == kpi and all(row.get(k) == v for k, v in dims.items()):
                return row["value"]
        rows = [r for r in self.rows if r["kpi"] == kpi]
        if not rows:
            kpis = ", ".join(dict.fromkeys(r["kpi"] for r in self.rows)) or "none"
            raise KeyError(f"no row for {kpi}: the report's KPIs are {kpis}")
        raise KeyError(f"no row for {kpi} {dims}; its rows have {'; '.join(_held(rows, k) for k in dims)} "
                       "(as stored: ids, not names)")


def _first(rows: Sequence[dict[str, Any]], kpi: str, dim: str) -> Any:
    return next((r.get(dim) for r in rows if r["kpi"] == kpi and r.get(dim) is not None), None)


def _held(rows: Sequence[dict[str, Any]], dim: str) -> str:
    """The first few values the rows have of ``dim``, for a KeyError: ``rep 'r1', 'r2', ...``."""
    values = list(dict.fromkeys(repr(r.get(dim)) for r in rows))
    if values == ["None"]:
        return f"no {dim}"
    return f"{dim} {', '.join(values[:5])}{', ...' if len(values) > 5 else ''}"


# A figure compared with nothing, by the period that has money without a rate: the words of its note.
UNCOMPARED = {PREVIOUS_NO_RATE: "previous_refused", YEAR_AGO_NO_RATE: "year_ago_refused"}


def days_of(period: Period) -> str:
    """A period as its first and last day ("2026-03-01..2026-03-31"): what a note can name it by
    whatever the period's kind (a label of the period before reads "before 2026-04")."""
    return f"{period.start.isoformat()}..{(period.end - timedelta(days=1)).isoformat()}"


def skipped_notes(skipped: Sequence[Skipped], lang: str = "en") -> list[str]:
    """What a face says of the KPIs left out for money without a rate, or for line items no deal
    has, in ``lang``: one line per refusal, naming the KPIs it takes away ("Revenue, Average deal
    size: 1 deal(s) in GBP ...")."""
    worded: dict[str, list[str]] = {}
    for s in skipped:
        if s.cause in ("no_rate", "no_line_items") or s.cause in UNCOMPARED:
            reason = (error_text(s.error, lang) if s.error is not None else
                      say("no_line_items", lang) if s.cause == "no_line_items" else s.reason)
            if s.cause in UNCOMPARED:
                reason = say(UNCOMPARED[s.cause], lang, period=s.period or "", reason=reason)
            elif s.groups:
                reason = say("groups_refused", lang, groups=", ".join(s.groups), reason=reason)
            titles = worded.setdefault(reason, [])
            if REGISTRY[s.kpi].title.get(lang) not in titles:
                titles.append(REGISTRY[s.kpi].title.get(lang))
    return [f"{', '.join(titles)}: {reason}" for reason, titles in worded.items()]


# ~1M small objects at 1M deals and no cycles: the collector would walk them all again (runtime.py)
@collector_paused()
def build_report(
    store: Store,
    period: str | Period,
    *,
    by: str | Sequence[str] | None = (),
    kpis: str | Iterable[str] | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
    as_of: date | None = None,
    viewer: Viewer | None = None,
    compare: bool = False,
    skip_unrated: bool = False,
) -> Report:
    """The KPIs (default: all) for a period. A KPI asked for by name whose money no exchange rate
    converts refuses the report (CurrencyError), unless ``skip_unrated``; among all KPIs, or with
    ``skip_unrated``, it is left out as :class:`Skipped` and the others are answered: one deal in
    pounds without a rate takes revenue away, not the win rate or the activities."""
    span = store.period(period, as_of)
    dims = parse_dimensions(by)
    where = resolve_filters(store, filters, viewer)
    asked = parse_kpis(kpis)
    chosen = [get(k) for k in asked] if asked else list(REGISTRY.values())

    measured = span.until(as_of)  # refuses a period that starts after as_of
    _few_enough_buckets(measured, dims)
    # A running period is compared with the same stretch of the period before (coverage.comparable).
    before = comparable(store, span.previous(), span, as_of) if compare else None
    base = store.base_currency()
    goals = targets.Targets.read(store, viewer=viewer)
    today = store.today()
    uncompared: dict[str, Skipped] = {}  # filled by the lanes: one KPI each
    for kpi in chosen if asked else ():
        # A KPI asked for that cannot be grouped so is refused here, the first in the order asked,
        # before any lane computes the others.
        reason = why_not(kpi, dims, where)
        if reason:
            raise DimensionError(reason)
    # By product, figures read the deals' line items: where none has any, grouping by product is
    # refused (a product filter was, resolve_filters), and a KPI always by product is left out
    # (a report of every KPI, the dashboard's chart), said why, not answered with no rows.
    without_items: list[Skipped] = []
    if any("product" in (*dims, *kpi.always_by) for kpi in chosen) and not has_line_items(store):
        if "product" in dims or (asked and not skip_unrated):
            raise no_line_items()
        without_items = [Skipped(k.id, str(no_line_items()), "no_line_items") for k in chosen
                         if "product" in k.always_by]
        chosen = [k for k in chosen if "product" not in k.always_by]

    Answer = list[dict[str, Any]] | Skipped

    # The reps who worked in the period, asked once for every sum and count by rep or team (_every_rep).
    at_work: list[dict[str, Any]] = []
    if any(_by_people(k, tuple(dict.fromkeys(k.always_by + dims))) for k in chosen):
        who = tuple(d for d in dims if d in ("rep", "team")) or ("rep",)
        at_work = compiled.run("reps at work", _reps_at_work,
                               query_maker(store, span, where, as_of=as_of, viewer=viewer)(who))

    # The figures that stand across a period (deals left open, reps still ramping) are no figure
    # where it holds no record (_no_records): nor is the period before such a figure's comparison.
    # Before, a month after the records ended was "no records" beside "before: 0.0 %", from deals
    # left open since 2017.
    before_empty = (before is not None and any(not kpi.dated for kpi in chosen)
                    and _outside(period_hint(store, before, viewer, as_of)))
    not_yet = compare and still_to_come(store, span, as_of, viewer)

    def worker() -> Callable[[list[KPI]], list[Answer]]:
        """One lane's work: its queries are made here, in the lane, and read through its
        connection (Store.spread)."""
        make_query = query_maker(store, span, where, as_of=as_of, viewer=viewer)
        if before is None:
            return lambda kpis: _figures(kpis, make_query, None)
        then = query_maker(store, before, where, as_of=as_of, viewer=viewer)
        # What a count is a count over, to test its change: days, or where the period before is
        # cut as far as today's records go, the same stretch of time on both sides.
        exposures = (1, 1) if before.cut_at is not None else (measured.days, before.days)
        return lambda kpis: _figures(kpis, make_query, (then, exposures))

    def _figures(kpis: list[KPI], make_query: Callable[[tuple[str, ...]], Query],
                 earlier: tuple[Callable[[tuple[str, ...]], Query], tuple[int, int]] | None,
                 ) -> list[Answer]:
        """The answers of KPIs of one query (:func:`_alike`): the first's rows are the others'."""
        kpi = kpis[0]
        if why_not(kpi, dims, where):  # only KPIs not asked for by name get here (refused above)
            return [Skipped(k.id, why_not(k, dims, where) or "") for k in kpis]
        query = make_query(tuple(dict.fromkeys(kpi.always_by + dims)))
        # Samples are kept per row only to test a change against the period before.
        samples: dict[tuple[Any, ...], Any] = {}
        try:
            first = _rows(kpi, query, base, samples if compare else None)
            made = [first, *([{**row, "kpi": k.id, "flags": list(row["flags"])} for row in first]
                             for k in kpis[1:])]
            return [_answered(k, query, rows, samples, earlier) for k, rows in zip(kpis, made, strict=True)]
        except CurrencyError as refused:
            if asked and not skip_unrated:
                raise
            return [Skipped(k.id, str(refused), "no_rate", refused) for k in kpis]

    def _answered(kpi: KPI, query: Query, kpi_rows: list[dict[str, Any]],
                  samples: dict[tuple[Any, ...], Any],
                  earlier: tuple[Callable[[tuple[str, ...]], Query], tuple[int, int]] | None,
                  ) -> list[dict[str, Any]]:
        # A team or rep with a target and nothing in the period still gets its (empty) row.
        # Read only where a target asks (targets.without_rows): 2,000 rows a KPI by rep at 1M deals.
        present = (r.get(query.by[0]) for r in kpi_rows) if query.by else iter(())
        for missing in targets.without_rows(goals, kpi.id, span, query.by, where, present, store, viewer):
            kpi_rows.append(_empty_row(kpi, base, {query.by[0]: missing}))
            kpi_rows.sort(key=lambda r: "" if r.get(query.by[0]) is None else str(r[query.by[0]]))
        if len(query.by) == 1 and query.by[0] in TIME_DIMENSIONS:
            _every_bucket(kpi, base, query, measured, kpi_rows, today)
        _mark_cut(query, measured, kpi_rows)
        _rows_of_0(store, kpi, base, query.by, kpi_rows, at_work, viewer)
        _missing_input(store, kpi, kpi_rows, viewer)  # the rows just added too
        # The same KPI over the period before, and a test of the change.
        if earlier is not None and (not_yet or (before_empty and not kpi.dated)):
            for row in kpi_rows:
                row.update(previous=None, change=None, p_value=None, significant=None)
        elif earlier is not None:
            then, exposures = earlier
            try:
                before_values, then_samples = _before(kpi, then(query.by))
            except CurrencyError as exc:
                # The period before holds money no rate converts: this period's figure stands and
                # is compared with nothing (flag previous_no_rate), never with a sum short of it.
                for row in kpi_rows:
                    row.update(previous=None, change=None, p_value=None, significant=None,
                               flags=[*row["flags"], PREVIOUS_NO_RATE])
                uncompared[kpi.id] = Skipped(kpi.id, str(exc), PREVIOUS_NO_RATE, exc,
                                             days_of(before) if before else None)
            else:
                trust.compare(kpi, kpi_rows, query.by, samples, before_values, then_samples, exposures)
                if before is not None:
                    _hired_since(store, kpi_rows, before, query.by, where, viewer)
            for row in kpi_rows:  # what was never imported was not there before either
                if kpi.missing_input(row["flags"]):
                    row.update(previous=None, change=None, p_value=None, significant=None)
        return kpi_rows

    # Side by side (Store.spread): one lane's queries run while another finishes its rows in
    # Python. The KPIs that read more than the period (ramp time, open deals) take longest: first.
    first = _alike(sorted(chosen, key=lambda kpi: kpi.dated), dims)
    found = {kpi.id: answer for kpis, answers in zip(first, store.spread(first, worker), strict=True)
             for kpi, answer in zip(kpis, answers, strict=True)}
    rows: list[dict[str, Any]] = []
    skipped: list[Skipped] = list(without_items)
    for kpi in chosen:
        item = found[kpi.id]
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            rows.extend(item)
    # Only a report without a record dated in the period asks where the records are: one more
    # query, and only then (deals left open for years keep n of the open-deal KPIs above 0).
    dated = any(r["n"] for r in rows if REGISTRY[r["kpi"]].dated)
    hint = None if dated else period_hint(store, span, viewer, as_of)
    if hint is not None and hint.outside:
        _no_records(rows)
    targets.annotate_rows(store, span, dims, where, rows, as_of, viewer, goals)
    return Report(span, dims, where, base, rows, skipped, store.data_version,
                  before, as_of, hint, store.settings.fiscal_year_start,
                  uncompared=[uncompared[kpi.id] for kpi in chosen if kpi.id in uncompared],
                  over=is_over(span, as_of, today),
                  no_rows=tuple(kpi.id for kpi in chosen if dims and found[kpi.id] == []),
                  closed_ahead=(closed_ahead(store, span, where, viewer, as_of)
                                if any("deals" in kpi.reads for kpi in chosen) else None))


def _alike(kpis: list[KPI], dims: tuple[str, ...]) -> list[list[KPI]]:
    """The KPIs in order, those that ask one query put together: defined alike but for their name
    and what they are grouped by unasked (total revenue and revenue per rep, by rep). A report
    by rep reads their result once (2,000 groups at 1M deals)."""
    groups: dict[tuple[Any, ...], list[KPI]] = {}
    for kpi in kpis:
        groups.setdefault(kpi.shape(dims), []).append(kpi)
    return list(groups.values())


def _rows(kpi: KPI, query: Query, currency: str | None,
          samples: dict[tuple[Any, ...], Any] | None = None) -> list[dict[str, Any]]:
    """The KPI's report rows for ``query`` in the order of their groups' text (no group first),
    each group's sample in ``samples`` to test a change against the period before.

    Most KPIs' figures and intervals are made a column at a time (kpis/batch.py, trust.intervals):
    a report by rep at 1M deals has ~30,000 rows, and hooks called a row at a time took longer than
    DuckDB took to compute them. The others (Kaplan-Meier, ramp time) call their hooks on each row."""
    made: _Made
    group_samples: Sequence[Any]
    if batch.batched(kpi):
        cols, size = _columns(kpi, query)
        values, n, flags = batch.figures(kpi, cols, size)
        made = (values, n, flags, None, *trust.intervals(kpi, cols, values, n))
        group_samples = batch.samples(kpi, cols, size) if samples is not None else [None] * size
    else:
        names, found = compiled.table(kpi, query)
        made, group_samples = _one_by_one(kpi, names, found)
        # A result without rows has no columns to unzip: each is then read as nulls (batch.column).
        cols, size = dict(zip(names, zip(*found, strict=True), strict=False)), len(found)
    dims = _dimensions(query, cols, size)
    if samples is not None:
        samples.update(zip(_keys(dims, size), group_samples, strict=True))
    out = _assembled(kpi, currency, dims, made, _order_of([col for _, col in dims], size))
    if not query.by and not out:
        out.append(_empty_row(kpi, currency, {}))
    return out


def _before(kpi: KPI, query: Query) -> tuple[dict[tuple[Any, ...], Any], dict[tuple[Any, ...], Any]]:
    """The period before's value and sample of each group (keyed as trust.row_key keys a row):
    all a comparison reads of it. Not made into rows: their intervals, order and dicts went unread
    (4,000 rows a leaderboard at 2,000 reps)."""
    values: Sequence[Any]
    group_samples: Sequence[Any]
    if batch.batched(kpi):
        cols, size = _columns(kpi, query)
        values = batch.figures(kpi, cols, size)[0]
        group_samples = batch.samples(kpi, cols, size)
    else:
        names, found = compiled.table(kpi, query)
        cols, size = dict(zip(names, zip(*found, strict=True), strict=False)), len(found)
        made, group_samples = _one_by_one(kpi, names, found)
        values = made[0]
    keys = list(_keys(_dimensions(query, cols, size), size))
    return dict(zip(keys, values, strict=True)), dict(zip(keys, group_samples, strict=True))


def _columns(kpi: KPI, query: Query) -> tuple[batch.Columns, int]:
    """The KPI's result as columns by name, and its number of groups."""
    names, columns = compiled.columns(kpi, query)
    return dict(zip(names, columns, strict=True)), len(columns[0]) if columns else 0


def _keys(dims: list[tuple[str, Sequence[Any]]], size: int) -> Iterable[tuple[Any, ...]]:
    """Each group's key: its dimensions' values as a row shows them, in the result's order."""
    return zip(*[col for _, col in dims], strict=True) if dims else [()] * size


# Per group, in the result's order: value, n, flags, extra fields (None: no KPI row has any),
# ci_low, ci_high and whether it gets the small-sample flag.
_Made = tuple[Sequence[Any], Sequence[int], Sequence[Sequence[str]], Sequence[dict[str, Any]] | None,
              Sequence[Any], Sequence[Any], Sequence[bool]]


def _one_by_one(kpi: KPI, names: list[str],
                found: list[tuple[Any, ...]]) -> tuple[_Made, Sequence[Any]]:
    """What the KPI's own hooks make of each row, and each row's sample."""
    finalize, hook = kpi.finalize, kpi.sample
    assert finalize is not None
    made = []
    for raw in found:
        row = dict(zip(names, raw, strict=True))
        outcome = finalize(row)
        sample = None if hook is None else hook(row)
        made.append((outcome.value, outcome.n, outcome.flags, outcome.extra,
                     *trust.bounds(kpi, sample, outcome.value), sample))
    if not made:
        return ([], [], [], None, [], [], []), []
    values, n, flags, extras, lows, highs, small, group_samples = zip(*made, strict=True)
    return (values, n, flags, extras, lows, highs, small), group_samples


def _dimensions(query: Query, cols: batch.Columns, size: int) -> list[tuple[str, Sequence[Any]]]:
    """Each grouping's column as a report shows it: time buckets as labels, "" as no group."""
    fiscal = query.fiscal_year_start
    dims: list[tuple[str, Sequence[Any]]] = []
    for dim in query.by:
        col = batch.column(cols, dim, size)
        if dim in TIME_DIMENSIONS:
            col = [None if v is None else time_label(dim, v, fiscal) for v in col]
        elif "" in col:
            col = [None if v == "" else v for v in col]
        dims.append((dim, col))
    return dims


def _order_of(dims: Sequence[Sequence[Any]], size: int) -> Iterable[int]:
    """The positions of a result's groups in the order of their text (no group first)."""
    order = list(range(size))
    # By the last grouping first, then by each before it: sorts keep ties in order, so this is the
    # order of the groups' tuples, without comparing tuples (7 -> 4 ms for 12,000 groups of two).
    for col in reversed(dims):
        keys = ["" if v is None else str(v) for v in col]
        order.sort(key=keys.__getitem__)
    return order


def _assembled(kpi: KPI, currency: str | None, dims: list[tuple[str, Sequence[Any]]], made: _Made,
               order: Iterable[int]) -> list[dict[str, Any]]:
    """A dict a row, its keys in the order of the JSON (README, "JSON output")."""
    values, n, flags, extras, lows, highs, small = made
    kpi_id, unit, money = kpi.id, kpi.unit, kpi.unit == "money"
    flag = trust.SMALL_SAMPLE_FLAG
    out = []
    for i in order:
        row: dict[str, Any] = {"kpi": kpi_id, "value": values[i], "unit": unit}
        if money:
            row["currency"] = currency
        for dim, col in dims:
            row[dim] = col[i]
        row["n"] = n[i]
        row["flags"] = [*flags[i], flag] if small[i] and flag not in flags[i] else list(flags[i])
        if extras is not None and extras[i]:
            row.update(extras[i])
        row["ci_low"] = lows[i]
        row["ci_high"] = highs[i]
        out.append(row)
    return out


# What a row of a KPI standing across the period holds (README, "JSON output"), emptied when the period
# holds no record: ROW_FIELDS beyond kpi, unit, currency, n and flags.
_FIGURE_FIELDS = ("value", "ci_low", "ci_high", "lower_bound", "days_so_far", "change", "p_value",
                  "significant")


def _no_records(rows: list[dict[str, Any]]) -> None:
    """In a period that holds no record at all, outside the records' time, the figures that stand
    across it (deals left open, reps still ramping) rest on nothing that happened then: deals open
    since 2017 say nothing of 2026. They are shown as no figure, with flag ``no_records``, not as
    "over 3,000 days" or 0 %. A quiet day between records keeps them (20 deals open on a Sunday)."""
    for row in rows:
        if REGISTRY[row["kpi"]].dated:
            continue
        for name in _FIGURE_FIELDS:
            if name in row:
                row[name] = None
        row["n"], row["flags"] = 0, ["no_records"]


def why_empty(store: Store, kpi: KPI, flags: Sequence[str], viewer: Viewer | None = None,
              value: Any = None) -> list[str]:
    """The flags of a group without a figure, with ``no_data`` replaced by the true reason where the
    KPI needs a column no record has (KPI.needs); a count of 0 gets that reason beside it, so 0
    activities where none were ever imported is not read as reps who did nothing. Asked once per
    data version, only for no_data or a zero count."""
    zero = kpi.unit == "count" and value == 0 and "no_data" not in flags
    if kpi.needs is None or ("no_data" not in flags and not zero):
        return list(flags)
    table, column, flag = kpi.needs
    # A zero is said to be "none imported" only where the workspace has none at all: a rep who
    # logged nothing, beside others who did, has a real 0.
    who = Viewer.everyone() if zero else viewer or Viewer.everyone()
    count = _COUNTERS[(table, column)]
    # Kept compiled like a KPI (kpis/compiled.py): a view whose SQL is kept needs no Ibis.
    present = store.memo(("has values", who, table, column), lambda: bool(compiled.run(
        f"has values {table}.{column}", count, Query.of_all_time(store.records(who)))[0]["n"]))
    if present:
        return list(flags)
    return [flag if f == "no_data" else f for f in flags] if "no_data" in flags else [*flags, flag]


def _counter(table: str, column: str) -> Any:
    def count(q: Query) -> Any:
        t = q.records.table(table)
        return t.aggregate(n=t[column].count())
    return count


# One builder per column a KPI needs, so each has one name and its SQL can be kept.
_COUNTERS = {(k.needs[0], k.needs[1]): _counter(k.needs[0], k.needs[1])
             for k in REGISTRY.values() if k.needs is not None}


def _missing_input(store: Store, kpi: KPI, rows: list[dict[str, Any]], viewer: Viewer | None) -> None:
    if kpi.needs is None:  # nothing to look up: 40,000 rows a report by rep at 1M deals
        return
    for row in rows:
        row["flags"] = why_empty(store, kpi, row["flags"], viewer, row.get("value"))


# The most days, weeks, months or quarters a report is grouped into: four years by day. Every
# bucket has its row (_every_bucket), and 1000-01-01..8999-12-31 by day was a 754 MB answer that
# a server kept in memory.
MAX_BUCKETS = 1500


def _few_enough_buckets(measured: Period, dims: Sequence[str]) -> None:
    for grain in (d for d in dims if d in TIME_DIMENSIONS):
        start, end = measured.start, measured.end
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        count = {"day": measured.days, "week": measured.days // 7 + 2, "month": months,
                 "quarter": months // 3 + 2}[grain]
        if count > MAX_BUCKETS:
            first, last = measured.start.isoformat(), measured.last_day.isoformat()
            raise keyed(DimensionError(
                f"grouped by {grain}, {first} to {last} is about {count:,} rows a KPI, and a report "
                f"holds at most {MAX_BUCKETS:,}: choose a coarser grain (week, month, quarter) or a "
                "shorter period"), "too_many_buckets", grain=grain, first=first, last=last,
                count=count, most=MAX_BUCKETS)


def _outside(hint: PeriodHint | None) -> bool:
    """Whether a period holds no record and lies outside the records' time (PeriodHint.outside)."""
    return hint is not None and hint.outside


def _by_people(kpi: KPI, by: tuple[str, ...]) -> bool:
    """Whether ``kpi`` grouped ``by`` is a sum or count per rep or team (or both), whose nothing
    is 0: revenue, activities. A team whose reps won nothing was left out of revenue by team, so
    the teams' rows added up to the company's and one team was not there to see."""
    return bool(by) and set(by) <= {"rep", "team"} and kpi.aggregation in ("sum", "count")


def _reps_at_work(q: Query) -> Any:
    return q.reps_at_work()


def _hired_since(store: Store, rows: list[dict[str, Any]], before: Period, by: Sequence[str],
                 where: Mapping[str, Sequence[str]], viewer: Viewer | None) -> None:
    """A rep hired after the period before ended had no figure then, not one of 0 (a tester: a
    new hire's 0 before and 20 activities now read as a significant rise, her revenue as up from
    $0.00): compared with nothing. A rep's figure by rep, filtered to the rep, or a rep's own,
    whatever else the filters narrow (a target's rule is not this one: targets.row_scope)."""
    whole = (viewer or Viewer.everyone()).whole
    picked = where.get("rep") or ()
    alone = picked[0] if len(picked) == 1 else whole[1] if whole and whole[0] == "rep" else None
    reps = [row.get("rep") if "rep" in by else alone for row in rows]
    if not any(reps):
        return
    hires = hire_dates(store)
    for row, rep in zip(rows, reps, strict=True):
        hired = hires.get(rep) if rep else None
        if hired is not None and hired >= before.end:
            row.update(previous=None, change=None, p_value=None, significant=None)


def _rows_of_0(store: Store, kpi: KPI, currency: str | None, by: tuple[str, ...], rows: list[dict[str, Any]],
               at_work: list[dict[str, Any]], viewer: Viewer | None) -> None:
    """A row of 0 for each rep (or team) at work without one, where ``kpi`` by ``by`` is a sum or
    a count (_every_rep). A count of records never imported (activities of a deals export) gets
    none: the report says it has no rows, as it did."""
    if _by_people(kpi, by) and not (
            kpi.needs is not None and kpi.missing_input(why_empty(store, kpi, ["no_data"], viewer))):
        _every_rep(kpi, currency, by, rows, at_work)


def _every_rep(kpi: KPI, currency: str | None, by: tuple[str, ...], rows: list[dict[str, Any]],
               at_work: list[dict[str, Any]]) -> None:
    """A rep (or team) who worked in the period (Query.reps_at_work) and has no row gets one of 0:
    a rep who won nothing had no revenue row at all, beside their 0 % of quota, and a list of revenue per rep
    left out the rep who most needed a word."""
    present = {tuple(r.get(d) for d in by) for r in rows}
    added = False
    for found in at_work:
        dims = {d: found[d] for d in by}
        key = tuple(dims[d] for d in by)
        if key not in present:
            present.add(key)
            rows.append(_empty_row(kpi, currency, dims))
            added = True
    if added:
        rows.sort(key=lambda r: tuple("" if r.get(d) is None else str(r[d]) for d in by))


def _mark_cut(query: Query, measured: Period, rows: list[dict[str, Any]]) -> None:
    """Flag ``bucket_cut`` on a week, month or quarter the period cuts: a report of August by week
    labelled Aug 1-6 "2017-W31" in CSV and JSON, and a script joined it with the whole week's
    figure (the table says the days; the flag says it where there are no words)."""
    grain = next((d for d in query.by if d in TIME_DIMENSIONS and d != "day"), None)
    if grain is None or not rows:
        return
    fy = query.fiscal_year_start
    cut = {time_label(grain, start, fy) for start, end in buckets(measured, grain, fy)
           if start < measured.start or end > measured.end}
    for row in rows:
        if row.get(grain) in cut:
            row["flags"] = [*row["flags"], BUCKET_CUT]


def _every_bucket(kpi: KPI, currency: str | None, query: Query, measured: Period,
                  rows: list[dict[str, Any]], today: date) -> None:
    """A day, week, month or quarter of the period without a record still gets its row, as the trend
    shows it (0.00, or "no deal closed"): a report by quarter that listed only Q4 read as the year.
    Buckets after ``as_of``, or starting after today, are not listed (nothing can be in them yet)."""
    grain = query.by[0]
    present = {r.get(grain) for r in rows}
    fy = query.fiscal_year_start
    missing = [label for label in (time_label(grain, start, fy) for start, _ in buckets(measured, grain, fy)
                                   if start <= today)
               if label not in present]
    if missing:
        rows.extend(_empty_row(kpi, currency, {grain: label}) for label in missing)
        rows.sort(key=lambda r: "" if r.get(grain) is None else str(r[grain]))


def unrated_row(kpi: str, currency: str | None, dims: dict[str, Any], compared: bool) -> dict[str, Any]:
    """The row of a group whose money no rate converts, in a report answered for the others: no
    figure (n 0: nothing was counted), flag no_rate, compared with nothing."""
    row = _empty_row(get(kpi), currency, dims)
    row.update(value=None, flags=["no_rate"], ci_low=None, ci_high=None)
    if compared:
        row.update(previous=None, change=None, p_value=None, significant=None)
    return row


def _empty_row(kpi: KPI, currency: str | None, dims: dict[str, Any]) -> dict[str, Any]:
    """The row of a group with no record: what the KPI says of nothing (no data, or zero)."""
    assert kpi.finalize is not None
    outcome = kpi.finalize({})
    row: dict[str, Any] = {"kpi": kpi.id, "value": outcome.value, "unit": kpi.unit}
    if kpi.unit == "money" and dims:
        row["currency"] = currency
    row.update(dims)
    row.update({"n": 0, "flags": list(outcome.flags), **outcome.extra})
    trust.annotate(kpi, {}, row)
    return row
