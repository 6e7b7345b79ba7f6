"""SQL kept per query shape (kpis/compiled.py) must answer exactly what Ibis answers, for every KPI,
grouping and period, and must not be kept where a definition reads more of its period than its
bounds."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
import pytest

from salesmetrics import Workspace, cache
from salesmetrics.kpis import REGISTRY, compiled
from salesmetrics.kpis.query import Query
from salesmetrics.kpis.scope import query_maker
from salesmetrics.periods import parse_period
from webdata import make_workspace

PERIODS = ("2026-10", "2026-09", "2026-Q4", "2026-10-03..2026-10-09", "2026", "2026-W41")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = make_workspace(tmp_path_factory.mktemp("compiled") / "ws.duckdb")
    with Workspace.open(path, read_only=True) as ws:
        yield ws


def result_rows(kpi: Any, query: Query) -> list[dict[str, Any]]:
    """The KPI's result through the kept SQL, a dict a group."""
    names, found = compiled.table(kpi, query)
    return [dict(zip(names, row, strict=True)) for row in found]


def typed(rows: list[dict[str, Any]]) -> list[list[tuple[str, str, str]]]:
    """Rows with each value's type, so 1 and Decimal("1.00") and 1.0 differ. A collected list
    (the Kaplan-Meier spells) is a multiset: the engine may collect it in any order."""

    def shown(v: Any) -> str:
        return repr(sorted(v, key=repr)) if isinstance(v, list) else repr(v)

    return sorted([(k, type(v).__name__, shown(v)) for k, v in sorted(row.items())] for row in rows)


@pytest.mark.parametrize("kpi", sorted(REGISTRY))
def test_kept_sql_answers_what_ibis_answers(workspace: Workspace, kpi: str) -> None:
    compiled.clear()
    definition = REGISTRY[kpi]
    groupings = [()] + [(d,) for d in sorted(definition.dimensions)]
    for by in groupings:
        for label in PERIODS:
            shape = tuple(dict.fromkeys(definition.always_by + by))
            query = query_maker(workspace.store, parse_period(label), {})(shape)
            expected = definition.compute(query).to_pyarrow().to_pylist()
            assert typed(result_rows(definition, query)) == typed(expected), (kpi, by, label)
    # Not a test of nothing: after six periods the SQL of the plain figure runs without Ibis.
    assert compiled.kept(f"kpi {kpi}", query_maker(workspace.store, parse_period("2026"), {})(
        definition.always_by))


FILTERS = ({"team": ("east",)}, {"team": ("west",)}, {"team": ("east", "west")},
           {"rep": ("ann",), "source": ("inbound",)}, {"rep": ("bob",), "source": ("referral",)},
           {"product": ("P2",)}, {"product": ("P1",)}, {"team": ("nowhere",)})


def test_filtered_and_grouped_figures_agree(workspace: Workspace) -> None:
    """Filter values are parameters: the text kept for one team answers for the other."""
    compiled.clear()
    for label in PERIODS[:3]:
        for where in FILTERS:
            make = query_maker(workspace.store, parse_period(label), where)
            for kpi in ("total_revenue", "win_rate", "quota_attainment", "ramp_time", "nps"):
                if any(not REGISTRY[kpi].supports(d) for d in where):
                    continue
                query = make(("rep",))
                expected = REGISTRY[kpi].compute(query).to_pyarrow().to_pylist()
                assert typed(result_rows(REGISTRY[kpi], query)) == typed(expected), (kpi, where)
    east = query_maker(workspace.store, parse_period("2026"), {"team": ("east",)})(("rep",))
    assert compiled.kept("kpi total_revenue", east)


def test_sql_reading_more_of_its_period_is_not_kept(workspace: Workspace) -> None:
    """A definition that puts the period's year into its SQL compiles to texts that differ by more
    than the bounds: it is compiled for every period, and every answer is right."""

    def build(q: Query) -> Any:
        deals = q.records.table("deals")
        t = deals.filter((deals.closed_at >= q.start) & (deals.closed_at < q.end))
        return t.aggregate(n=t.count()).mutate(year=ibis.literal(q.period.start.year))

    compiled.clear()
    answers = {}
    for label in ("2026-10", "2026-09", "2025-05", "2026-Q3"):
        query = query_maker(workspace.store, parse_period(label), {})(())
        answers[label] = compiled.run("year of the period", build, query)
    assert {k: v[0]["year"] for k, v in answers.items()} == {
        "2026-10": 2026, "2026-09": 2026, "2025-05": 2025, "2026-Q3": 2026}
    assert [v[0]["n"] for v in answers.values()] == [3, 1, 0, 1]
    assert not compiled.kept("year of the period", query_maker(workspace.store, parse_period("2026"), {})(()))


def test_sql_is_kept_across_workspaces_of_the_same_schema(tmp_path: Path) -> None:
    """The kept text names tables, not files: a second workspace runs it on its own records."""
    compiled.clear()
    first = make_workspace(tmp_path / "a" / "ws.duckdb")
    second = tmp_path / "b" / "ws.duckdb"
    with Workspace.open(first, read_only=True) as ws:
        for label in ("2026-10", "2026-09"):
            ws.report(label, kpis=["total_revenue"])
    with Workspace.open(second) as ws:
        ws.import_files(write_one_deal(tmp_path / "b" / "records"))
    with Workspace.open(second, read_only=True) as ws:
        assert ws.report("2026-10", kpis=["total_revenue"]).value("total_revenue") == 42
        query = query_maker(ws.store, parse_period("2026-10"), {})(())
        assert compiled.kept("kpi total_revenue", query)


def write_one_deal(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reps.csv").write_text("rep_id,name,team\nzoe,Zoe Hart,north\n")
    (folder / "deals.csv").write_text("deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
                                      "x1,zoe,2026-10-01T09:00:00,2026-10-02T09:00:00,won,42.00,USD\n")
    return folder


def test_a_filter_value_equal_to_a_literal_of_the_sql(workspace: Workspace) -> None:
    """A source called "won" is also a literal of the win rate's SQL: the first query's own text
    cannot be checked, so two stand-ins decide; every answer stays right and the text is kept."""
    compiled.clear()
    kpi = REGISTRY["win_rate"]
    for source in ("won", "inbound", "referral", "won"):
        query = query_maker(workspace.store, parse_period("2026-10"), {"source": (source,)})(())
        expected = kpi.compute(query).to_pyarrow().to_pylist()
        assert typed(result_rows(kpi, query)) == typed(expected), source
    assert compiled.kept("kpi win_rate", query)


@pytest.mark.parametrize("kpi", sorted(REGISTRY))
def test_kept_sql_as_of_a_day_answers_what_ibis_answers(workspace: Workspace, kpi: str) -> None:
    """as_of cuts the period (kpis.scope.query_maker): the cut bounds are parameters like any others,
    and the SQL of a shape asked as of one day is kept for that day."""
    compiled.clear()
    definition = REGISTRY[kpi]
    shape = definition.always_by
    for as_of in (date(2026, 10, 15), date(2026, 10, 20)):
        for label in PERIODS:
            period = parse_period(label)
            if period.start > as_of:
                continue
            query = query_maker(workspace.store, period, {}, as_of=as_of)(shape)
            expected = definition.compute(query).to_pyarrow().to_pylist()
            assert typed(result_rows(definition, query)) == typed(expected), (kpi, label, as_of)
        assert compiled.kept(f"kpi {kpi}", query_maker(workspace.store, parse_period("2026"), {},
                                                       as_of=as_of)(shape))


def test_sql_reading_as_of_is_kept_per_day(workspace: Workspace) -> None:
    """A definition may put as_of itself into its SQL: the text kept for one day is never run for
    another."""

    def build(q: Query) -> Any:
        deals = q.records.table("deals")
        t = deals.filter((deals.closed_at >= q.start) & (deals.closed_at < q.end))
        return t.aggregate(n=t.count()).mutate(day=ibis.literal(q.as_of))

    compiled.clear()
    seen = []
    for as_of in (date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 2)):
        for label in ("2026-10", "2026-09"):
            query = query_maker(workspace.store, parse_period(label), {}, as_of=as_of)(())
            seen.append(compiled.run("as of", build, query)[0]["day"])
    assert seen[-2:] == [date(2026, 12, 2)] * 2


def test_moments_a_question_is_asked_with_are_parameters(workspace: Workspace) -> None:
    """A question's own moments (Query.values: a forecast's snapshot cuts) go into the kept SQL as
    parameters, as the period's bounds do. Taking the earlier of two in Python is kept per order
    (the order is the shape); every answer is what SQL of its own gives."""

    def build(q: Query) -> Any:
        deals = q.records.table("deals")
        until = min(q.value("cut"), q.value("end"))
        t = deals.filter((deals.created_at >= q.value("start")) & (deals.created_at < until)
                         & (deals.status == q.value("status")))
        return t.aggregate(n=t.count())

    compiled.clear()
    con = workspace.store.connection
    asked = [(datetime(2026, 9, 1), datetime(2026, 10, 1), datetime(2026, 10, 1), "won"),
             (datetime(2026, 9, 1), datetime(2026, 9, 20, 13, 5), datetime(2026, 10, 1), "won"),
             (datetime(2026, 8, 1), datetime(2026, 12, 1), datetime(2026, 10, 15), "won"),
             (datetime(2026, 10, 1), datetime(2026, 10, 20), datetime(2027, 1, 1), "won"),
             (datetime(2026, 9, 1), datetime(2026, 10, 1), datetime(2026, 10, 1), "lost"),
             (datetime(2026, 7, 1), datetime(2026, 11, 1), datetime(2026, 11, 1), "won")]
    counts = []
    for start, cut, end, status in asked * 2:  # the second time round, every shape has been seen
        query = replace(query_maker(workspace.store, parse_period("2026-10"), {})(()),
                        values=(("start", start), ("cut", cut), ("end", end), ("status", status)))
        expected = con.execute("SELECT count(*) FROM deals WHERE created_at >= ? AND created_at < ? "
                               "AND status = ?", [start, min(cut, end), status]).fetchall()[0][0]
        assert compiled.run("moments", build, query) == [{"n": expected}], (start, cut, end)
        counts.append(expected)
    assert compiled.kept("moments", query)
    assert len(set(counts)) > 2  # the moments change the answers


def test_sql_reading_more_of_a_moment_is_not_kept(workspace: Workspace) -> None:
    """A question that puts more of its moment than the moment into its SQL (its year) compiles
    to texts that differ by more than the parameters: compiled every time, and right."""

    def build(q: Query) -> Any:
        deals = q.records.table("deals")
        t = deals.filter(deals.created_at < q.value("cut"))
        return t.aggregate(n=t.count()).mutate(year=ibis.literal(q.value("cut").year))

    compiled.clear()
    years = []
    for cut in (datetime(2026, 10, 1), datetime(2025, 10, 1)):
        query = replace(query_maker(workspace.store, parse_period("2026-10"), {})(()),
                        values=(("cut", cut),))
        years.append(compiled.run("year of a moment", build, query)[0]["year"])
        assert not compiled.kept("year of a moment", query)
    assert years == [2026, 2025]


# -- kept across processes (cache.py) --------------------------------------------------------------
_PROCESS = """
import contextlib, io, json, sys
from salesmetrics.cli import main
sys.argv = ["salesmetrics", *sys.argv[1:]]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main()
    except SystemExit as exit:
        assert not exit.code, exit.code
loaded = [m for m in ("ibis", "sqlglot", "scipy") if m in sys.modules]
print(json.dumps({"report": json.loads(out.getvalue()), "loaded": loaded}))
"""


def _process(*args: str, cache_dir: Path) -> dict[str, Any]:
    """``salesmetrics ARGS`` as a process of its own: its JSON, and which compilers it imported."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SALESMETRICS_CACHE_DIR": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", _PROCESS, *args], env=env, capture_output=True,
                          text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_later_process_runs_the_kept_sql_without_ibis(tmp_path: Path) -> None:
    """The first process compiles and writes what it checked; the next one, on another period,
    imports neither Ibis nor sqlglot (nor scipy: the t quantiles are kept too) and answers the
    same as a process that keeps nothing."""
    db = make_workspace(tmp_path / "ws.duckdb")
    args = ("report", "--db", str(db), "--by", "rep", "--format", "json")
    first = _process(*args, "--period", "2026-09", cache_dir=tmp_path / "cache")
    assert "ibis" in first["loaded"]
    later = _process(*args, "--period", "2026-10", cache_dir=tmp_path / "cache")
    assert later["loaded"] == []
    uncached = _process(*args, "--period", "2026-10", cache_dir=tmp_path / "elsewhere")
    assert "ibis" in uncached["loaded"]
    assert later["report"] == uncached["report"]
    assert any(r["ci_low"] is not None for r in later["report"]["rows"] if r["kpi"] == "win_rate")
    revenue = {r["rep"]: r["value"] for r in later["report"]["rows"] if r["kpi"] == "revenue_per_rep"}
    assert revenue and revenue == {r["rep"]: r["value"] for r in uncached["report"]["rows"]
                                   if r["kpi"] == "revenue_per_rep"}


@pytest.mark.parametrize("question", [("forecast", "--by", "rep", "--deals"), ("slippage",),
                                      ("forecast", "--accuracy", "--last", "2")])
def test_a_later_process_forecasts_another_day_without_ibis(tmp_path: Path,
                                                            question: tuple[str, ...]) -> None:
    """The forecast page's questions as of another day (their snapshot moments are parameters of
    the kept SQL) run in a later process without Ibis, and answer what a process keeping nothing
    answers."""
    db = make_workspace(tmp_path / "ws.duckdb")
    args = (*question, "--db", str(db), "--format", "json")
    # The accuracy looks back from the day; it takes no period (refused since the thirty-fifth round).
    def period(p: str) -> tuple[str, ...]:
        return () if "--accuracy" in question else ("--period", p)
    # Mid-quarter both: a cut on the period's end orders the moments otherwise, another shape.
    first = _process(*args, *period("2026-Q3"), "--as-of", "2026-08-20", cache_dir=tmp_path / "cache")
    assert "ibis" in first["loaded"]
    later_args = (*args, *period("2026-Q4"), "--as-of", "2026-10-17")
    later = _process(*later_args, cache_dir=tmp_path / "cache")
    assert later["loaded"] == []
    uncached = _process(*later_args, cache_dir=tmp_path / "elsewhere")
    assert later["report"] == uncached["report"]
    assert later["report"] != first["report"]


def test_a_kept_text_that_no_longer_fits_is_compiled_again(workspace: Workspace) -> None:
    """A text read from the cache runs only while DuckDB describes its result as it did when it was
    written; otherwise it is compiled again, and the answer is Ibis' own."""
    compiled.clear()
    kpi = REGISTRY["win_rate"]
    query = query_maker(workspace.store, parse_period("2026-10"), {})(("rep",))
    expected = kpi.compute(query).to_pyarrow().to_pylist()
    assert typed(result_rows(kpi, query)) == typed(expected)
    files = list(cache.folder("sql").glob("*.json"))
    assert len(files) == 1
    kept = json.loads(files[0].read_text())
    kept["sql"] = kept["sql"].replace('"hits"', '"hits_renamed"', 1)
    files[0].write_text(json.dumps(kept))
    compiled._cache.clear()  # as a new process: nothing in memory, the file on disk
    assert typed(result_rows(kpi, query)) == typed(expected)
    assert "hits_renamed" not in files[0].read_text()  # the good text was written again


def test_only_the_packages_own_definitions_are_written(workspace: Workspace) -> None:
    """A build function from elsewhere may change without the program version changing: its text
    is kept in this process only."""

    def build(q: Query) -> Any:
        deals = q.records.table("deals")
        t = deals.filter((deals.closed_at >= q.start) & (deals.closed_at < q.end))
        return t.aggregate(n=t.count())

    compiled.clear()
    for label in ("2026-10", "2026-09"):
        compiled.run("outside", build, query_maker(workspace.store, parse_period(label), {})(()))
    assert compiled.kept("outside", query_maker(workspace.store, parse_period("2026"), {})(()))
    where = cache.folder("sql")
    assert where is not None and not where.exists()


# -- one viewer's kept SQL is never another's (access.py) -------------------------------------------
def test_a_rep_and_an_admin_on_one_server_each_get_their_own_kept_sql(tmp_path: Path) -> None:
    """The SQL of a shape holds the viewer's rep scope, so the viewer is part of the key, in memory
    and on disk: after both have made and then run their kept texts in the same server process,
    the rep still sees only their own revenue and the admin the company's (accountsdata: Vorhaus
    1000.00 of 8200.00 in October; 800.00 of Ferrandiz' in September, where the rep has none)."""
    from fastapi.testclient import TestClient

    from accountsdata import ADMIN, PASSWORD, REP
    from accountsdata import make_workspace as make_team
    from helpers import form_token
    from salesmetrics.access import Viewer
    from salesmetrics.web.app import create_app

    db = make_team(tmp_path / "team.duckdb")
    compiled.clear()
    app = create_app(db, warm=False)

    def revenue(client: TestClient, period: str) -> Any:
        answer = client.get("/api/v1/report", params={"period": period, "kpi": "total_revenue"})
        assert answer.status_code == 200, answer.text
        return [r["value"] for r in json.loads(answer.text, parse_float=Decimal)["rows"]]

    seen: dict[str, list[Any]] = {}
    with TestClient(app, base_url="http://127.0.0.1:8000") as admin, \
            TestClient(app, base_url="http://127.0.0.1:8000") as rep:
        for client, email in ((admin, ADMIN), (rep, REP)):
            page = client.get("/login")
            signed = client.post("/login", data={"email": email, "password": PASSWORD, "next": "/",
                                                 "csrf": form_token(page.text)}, follow_redirects=False)
            assert signed.status_code == 303
        # Each compiles its September text first, in turns, then runs what is kept for October.
        for period in ("2026-09", "2026-10"):
            for role, client in (("admin", admin), ("rep", rep)):
                seen.setdefault(role, []).extend(revenue(client, period))
    assert seen == {"admin": [Decimal("800.00"), Decimal("8200.00")],
                    "rep": [Decimal("0"), Decimal("1000.00")]}

    # Both texts were kept, each under its own viewer, and written apart for later processes.
    with Workspace.open(db, read_only=True) as ws:
        rep_id = "xqvorhaus"
        for viewer in (Viewer.everyone(), Viewer.of_rep(REP, rep_id)):
            query = query_maker(ws.store, parse_period("2026-11"), {}, viewer=viewer)(())
            assert compiled.kept(f"kpi {REGISTRY['total_revenue'].id}", query)
    where = cache.folder("sql")
    assert where is not None
    kept_keys = [json.loads(f.read_text())["key"] for f in where.glob("*.json")]
    revenue_keys = [k for k in kept_keys if k[0] == "kpi total_revenue"]
    assert len(revenue_keys) == 2  # one per viewer, not one shared

    # A new server process finds the texts on disk, and each viewer still gets their own.
    compiled._cache.clear()
    with TestClient(create_app(db, warm=False), base_url="http://127.0.0.1:8000") as rep:
        page = rep.get("/login")
        rep.post("/login", data={"email": REP, "password": PASSWORD, "next": "/",
                                 "csrf": form_token(page.text)}, follow_redirects=False)
        assert revenue(rep, "2026-Q4") == [Decimal("1000.00")]


_SERVER = """
import json, sys
from fastapi.testclient import TestClient
from salesmetrics.web.app import create_app
client = TestClient(create_app(sys.argv[1], warm=False), base_url="http://127.0.0.1:8000")
page = client.get(sys.argv[3], params={"period": sys.argv[2]})
assert page.status_code == 200, page.status_code
print(json.dumps([m for m in ("ibis", "sqlglot") if m in sys.modules]))
"""


# The insights page asks for the orders of the accounts that answered only where some did: its
# first process looks at October (answers), the next at September.
@pytest.mark.parametrize(("path", "first", "then"), [("/", "2026-09", "2026-10"),
                                                    ("/insights", "2026-10", "2026-09"),
                                                    ("/reps/jim", "2026-09", "2026-10"),
                                                    ("/api/v1/cycle", "2026-09", "2026-10")])
def test_a_later_server_process_shows_the_dashboard_without_ibis(tmp_path: Path, path: str, first: str,
                                                                 then: str) -> None:
    """Every query of a dashboard view (the leaderboard's diagnosis too), of the insights page
    (activity effectiveness, the funnel, satisfaction, losses), of a rep's page (the rep's record,
    the scorecard and its diagnosis) and of the sales cycle two ways (the open deals' ages) is kept:
    the next server process, on another period, builds no Ibis expression."""
    import os
    import subprocess
    import sys

    db = make_workspace(tmp_path / "ws.duckdb")
    env = {**os.environ, "SALESMETRICS_CACHE_DIR": str(tmp_path / "cache")}

    def loaded(period: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", _SERVER, str(db), period, path], env=env,
                              capture_output=True, text=True, check=True)
        found: list[str] = json.loads(done.stdout.splitlines()[-1])
        return found

    assert "ibis" in loaded(first)
    assert loaded(then) == []


def test_sql_reading_a_gap_or_a_trait_of_a_moment_is_not_kept(workspace: Workspace) -> None:
    """A question that puts the gap between two moments into its SQL, or branches on a trait of one
    (a first of the month), is compiled every time: the stand-ins stretch the gaps and the query's
    own text must agree with theirs. Its answers are Ibis' own, whatever came first."""

    def gap(q: Query) -> Any:
        deals = q.records.table("deals")
        t = deals.filter(deals.created_at < q.value("cut"))
        return t.aggregate(n=t.count()).mutate(days=ibis.literal((q.value("cut") - q.value("start")).days))

    def first_of_month(q: Query) -> Any:
        deals = q.records.table("deals")
        t = deals.filter(deals.created_at < q.value("cut")) if q.value("cut").day == 1 else deals
        return t.aggregate(n=t.count())

    compiled.clear()
    days, counts = [], []
    september, january, cut_day = datetime(2026, 9, 1), datetime(2026, 1, 1), datetime(2026, 10, 2)
    for start, cut in ((september, cut_day), (september, cut_day), (january, cut_day)):
        query = replace(query_maker(workspace.store, parse_period("2026-10"), {})(()),
                        values=(("start", start), ("cut", cut)))
        days.append(compiled.run("gap", gap, query)[0]["days"])
    assert days == [31, 31, 274]
    for cut in (datetime(2026, 10, 1), datetime(2026, 10, 1), datetime(2026, 11, 5)):
        query = replace(query_maker(workspace.store, parse_period("2026-10"), {})(()), values=(("cut", cut),))
        counts.append(compiled.run("first of month", first_of_month, query)[0]["n"])
    total = workspace.store.connection.execute("SELECT count(*) FROM deals").fetchall()[0][0]
    assert counts[2] == total and counts[0] == counts[1] < total


def test_a_table_read_twice_may_be_computed_in_each_reader(workspace: Workspace) -> None:
    """``inline``: a common table expression (the deals in view, read for two picks) is computed in
    each reader with its own filters, not once whole; the answers are the same either way, and
    the kept text says so."""

    def build(q: Query) -> Any:
        d = q.deals()
        won = d.filter((d.status == "won") & q.in_period(d.closed_at)).select("deal_id")
        new = d.filter(q.in_period(d.created_at)).select("deal_id")
        both = d.filter(d.deal_id.isin(won.deal_id) | d.deal_id.isin(new.deal_id))
        return both.aggregate(n=both.count())

    compiled.clear()
    con = workspace.store.connection
    for label in ("2026-10", "2026-09", "2026-Q3", "2026-10-03..2026-10-09") * 2:
        query = query_maker(workspace.store, parse_period(label), {})(())
        start, end = query.period.start_at, query.period.end_at
        expected = con.execute(
            "SELECT count(*) FROM deals WHERE (status = 'won' AND closed_at >= $1 AND closed_at < $2) "
            "OR (created_at >= $1 AND created_at < $2)", [start, end]).fetchall()[0][0]
        assert compiled.run("twice", build, query) == [{"n": expected}], label
        assert compiled.run("twice", build, query, inline=True) == [{"n": expected}], label
    texts = {inline: compiled._get(compiled._key(name, query))
             for inline, name in ((False, "twice"), (True, "twice (inlined)"))}
    assert all(isinstance(t, compiled.Compiled) for t in texts.values())
    assert "NOT MATERIALIZED" in texts[True].sql and "AS (" in texts[False].sql
    assert "NOT MATERIALIZED" not in texts[False].sql
