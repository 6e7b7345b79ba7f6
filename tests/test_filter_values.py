"""Filter values and reps as people type them: an unknown value is refused with the closest ones
(never a silent zero), a rep is found by id or full name, a name two reps share is refused with
their ids. In every face: CLI (exit 2), API (400 ``unknown_value``), pages, Python.

The workspace is tests/webdata.py's: jim "Jim Halpert" and bob "Bob Vance" in east, ann "Ann
Perkins" in west; products P1, P2; sources inbound, referral; pipelines new, expansion; activity
types call, email, demo. October 2026: jim won 1000.10, ann won 2000.20.
"""

from __future__ import annotations

import html
import inspect
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import Cli, write_csv
from salesmetrics import AmbiguousValueError, UnknownValueError, Viewer, Workspace
from salesmetrics.web.app import create_app
from webdata import make_workspace


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "web.duckdb")


@pytest.fixture
def cli(db: Path) -> Cli:
    return Cli(db)


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, warm=False)) as c:
        yield c


@pytest.fixture
def twins(tmp_path: Path) -> Path:
    """Two reps called Sam Lee (s1 in east, s2 in west), each with one won deal in October."""
    folder = tmp_path / "twins"
    write_csv(folder / "reps.csv", [
        {"rep_id": "s1", "name": "Sam Lee", "team": "east"},
        {"rep_id": "s2", "name": "Sam Lee", "team": "west"},
        {"rep_id": "kim", "name": "Kim Park", "team": "west"},
    ])
    write_csv(folder / "deals.csv", [
        {"deal_id": "d1", "rep_id": "s1", "created_at": "2026-10-01T09:00:00",
         "closed_at": "2026-10-02T09:00:00", "status": "won", "amount": "100.00", "currency": "USD"},
        {"deal_id": "d2", "rep_id": "s2", "created_at": "2026-10-01T09:00:00",
         "closed_at": "2026-10-03T09:00:00", "status": "won", "amount": "200.00", "currency": "USD"},
    ])
    path = tmp_path / "twins.duckdb"
    with Workspace.open(path) as ws:
        ws.import_files(folder)
    return path


def revenue(cli: Cli, *filters: str) -> Any:
    args = [a for f in filters for a in ("--filter", f)]
    return cli.value("--period", "2026-10", "--kpi", "total_revenue", *args)


# -- the command line ------------------------------------------------------------------------------
def test_a_mistyped_team_is_refused_with_the_closest_one(cli: Cli) -> None:
    result = cli("report", "--period", "2026-10", "--filter", "team=East", ok=False)
    assert result.exit_code == 2, result.output
    assert "no team 'East'" in result.stderr and "did you mean 'east'?" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_a_label_in_another_case_names_the_one_so_spelled(cli: Cli) -> None:
    """The import writes a label one way (source "web" for Web and WEB): ``source=Web`` was refused,
    "did you mean 'web'?". A source or pipeline in another case names the one so spelled, said in the
    JSON; a team stays exact (test_team_ids_are_exact)."""
    found = cli.report("--period", "2026-10", "--kpi", "total_revenue", "--filter", "source=Inbound",
                       "--filter", "pipeline=NEW")
    assert found["filters"] == {"source": ["inbound"], "pipeline": ["new"]}
    assert found["rows"][0]["value"] == cli.value("--period", "2026-10", "--kpi", "total_revenue",
                                                  "--filter", "source=inbound", "--filter", "pipeline=new")


@pytest.mark.parametrize(("typed", "suggested"), [
    ("team=Eest", "'east'"),
    ("rep=jimm", "'jim'"),
    ("rep=Jim Halpret", "'Jim Halpert'"),
    ("product=p1", "'P1'"),
    ("source=inbund", "'inbound'"),
    ("pipeline=expanson", "'expansion'"),
    ("activity_type=cal", "'call'"),
])
def test_every_dimension_refuses_a_value_the_workspace_does_not_know(
        cli: Cli, typed: str, suggested: str) -> None:
    dim, _, value = typed.partition("=")
    result = cli("report", "--period", "2026-10", "--filter", typed, ok=False)
    assert result.exit_code == 2, result.output
    assert f"no {dim.replace('_', ' ')} '{value}'" in result.stderr and "did you mean" in result.stderr
    assert suggested in result.stderr


def test_a_value_far_from_any_says_which_there_are(cli: Cli) -> None:
    result = cli("report", "--period", "2026-10", "--filter", "team=zzzz", ok=False)
    assert result.exit_code == 2
    assert "no team 'zzzz'" in result.stderr and "teams are: east, west" in result.stderr


def test_the_refusal_in_german(cli: Cli) -> None:
    result = cli("report", "--period", "2026-10", "--filter", "team=East", "--lang", "de", ok=False)
    assert result.exit_code == 2
    assert "kein Team 'East'" in result.stderr and "Meinten Sie 'east'?" in result.stderr


def test_a_known_value_without_records_is_a_real_zero(cli: Cli) -> None:
    assert revenue(cli, "rep=bob") == 0  # bob only has an open deal in October
    assert revenue(cli, "pipeline=expansion") == 0
    row = cli.report("--period", "2026-10", "--kpi", "total_revenue", "--filter", "rep=bob")["rows"][0]
    assert (row["n"], row["flags"]) == (0, [])


def test_a_rep_by_full_name_any_case(cli: Cli) -> None:
    assert revenue(cli, "rep=jim") == 1000.10
    assert revenue(cli, "rep=Jim Halpert") == 1000.10
    assert revenue(cli, "rep=jim halpert") == 1000.10
    assert revenue(cli, "rep=Jim Halpert,Ann Perkins") == 3000.30
    data = cli.report("--period", "2026-10", "--kpi", "total_revenue", "--filter", "rep=ANN PERKINS")
    assert data["filters"] == {"rep": ["ann"]}  # the stored id, as the rows name reps
    assert data["rows"][0]["value"] == 2000.20


def test_a_script_asking_a_report_for_a_rep_s_name_is_told_rows_hold_ids(db: Path) -> None:
    with Workspace.open(db) as ws:
        report = ws.report("2026-10", by="rep", kpis=["total_revenue"])
        assert report.value("total_revenue", rep="jim") == Decimal("1000.10")
        # A bare KeyError "no row" sent the script's author looking for a missing figure.
        with pytest.raises(KeyError) as named:
            report.value("total_revenue", rep="Jim Halpert")
        assert ("no row for total_revenue {'rep': 'Jim Halpert'}; its rows have rep 'ann', 'bob', 'jim' "
                "(as stored: ids, not names)") in str(named.value)
        with pytest.raises(KeyError, match="no row for nps: the report's KPIs are total_revenue"):
            report.value("nps", rep="jim")
        # Without the rep, the first rep's figure was given as if it were the company's.
        with pytest.raises(KeyError) as unnamed:
            report.value("total_revenue")
        assert "total_revenue is by rep: name the row's rep, e.g. value('total_revenue', rep='ann')" \
            in str(unnamed.value)
        company = ws.report("2026-10", kpis=["total_revenue", "revenue_per_rep"])
        assert company.value("total_revenue") == Decimal("3000.30")
        with pytest.raises(KeyError, match="revenue_per_rep is by rep: name the row's rep"):
            company.value("revenue_per_rep")
        assert company.value("revenue_per_rep", rep="ann") == Decimal("2000.20")


def test_a_rep_without_a_name_is_named_by_the_id_in_any_case(tmp_path: Path) -> None:
    """An export that names its owners only (Maven's sales agents): the rep's id is their name, so
    it is matched as a name is, in any case; a rep with a name is still matched by id exactly."""
    cli = Cli(tmp_path / "agents.duckdb")
    cli.import_(write_csv(tmp_path / "reps.csv", [{"rep_id": "Darcel Schlecht"}, {"rep_id": "Moses Frase"},
                                                  {"rep_id": "jim", "name": "Jim Halpert"}]),
                write_csv(tmp_path / "deals.csv", [
                    {"deal_id": "d1", "rep_id": "Darcel Schlecht", "created_at": "2026-10-01",
                     "closed_at": "2026-10-02", "status": "won", "amount": "120.00", "currency": "USD"}]))
    assert revenue(cli, "rep=darcel schlecht") == 120.0
    assert revenue(cli, "rep=MOSES  FRASE") == 0
    assert "Darcel Schlecht" in cli("rep", "darcel schlecht", "--period", "2026-10").stdout
    assert cli("report", "--period", "2026-10", "--filter", "rep=JIM", ok=False).exit_code == 2


def test_a_product_by_its_name_any_case(cli: Cli, client: TestClient) -> None:
    """A tester: the filter lists show products by name, but `product=Gadget` was refused ("products
    are: P1, P2"). A name names its product, as a rep's does; the JSON says the stored id."""
    by_id = cli.report("--period", "2026-10", "--kpi", "total_revenue", "--filter", "product=P2")
    by_name = cli.report("--period", "2026-10", "--kpi", "total_revenue", "--filter", "product=gadget")
    assert by_name["filters"] == {"product": ["P2"]}
    assert by_name["rows"][0]["value"] == by_id["rows"][0]["value"] == 1000.0
    refused = cli("report", "--period", "2026-10", "--filter", "product=Gadgte", ok=False)
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 2 and "did you mean 'Gadget'?" in said, said
    far = " ".join(cli("report", "--period", "2026-10", "--filter", "product=zzzz", ok=False).stderr.split())
    assert "products are: Gadget (P2), Widget (P1)" in far, far
    api = client.get("/api/v1/report",
                     params={"period": "2026-10", "kpi": "total_revenue", "product": "Widget"})
    assert api.json()["filters"] == {"product": ["P1"]}


def test_a_product_name_two_products_share_names_neither(cli: Cli, tmp_path: Path) -> None:
    """The review: a name two products share was refused with itself as the suggestion."""
    cli.import_(write_csv(tmp_path / "more" / "products.csv", [
        {"product_id": "P3", "name": "gadget", "unit_price": "10.00", "currency": "USD"}]))
    refused = cli("report", "--period", "2026-10", "--filter", "product=Gadget", ok=False)
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 2
    assert "'Gadget' is the name of 2 products (P2, P3); name one by its id" in said, said
    assert revenue(cli, "product=P3") == 0


def test_team_ids_are_exact(cli: Cli) -> None:
    # Ids are matched as stored: 'East' could be another team than 'east' in someone's records.
    assert cli("report", "--period", "2026-10", "--filter", "team=EAST", ok=False).exit_code == 2
    assert cli("report", "--period", "2026-10", "--filter", "rep=JIM", ok=False).exit_code == 2


def test_scorecard_by_name(cli: Cli) -> None:
    by_id = json.loads(cli("scorecard", "jim", "--period", "2026-10", "--format", "json").stdout)
    by_name = json.loads(cli("scorecard", "jim halpert", "--period", "2026-10", "--format",
                             "json").stdout)
    assert by_name["rep"] == "jim" and by_name == by_id
    mistyped = cli("scorecard", "Jim Halpret", "--period", "2026-10", ok=False)
    assert mistyped.exit_code == 2 and "did you mean 'Jim Halpert'?" in mistyped.stderr
    # The rep is checked first: a mistyped name is what to fix, whatever else is wrong.
    both = cli("rep", "Jim Halpret", "--period", "2026-13", ok=False)
    assert both.exit_code == 2 and "did you mean 'Jim Halpert'?" in both.stderr


def test_targets_name_a_known_rep_or_team(cli: Cli) -> None:
    cli("target", "set", "win_rate", "0.5", "--rep", "Ann Perkins")
    listed = json.loads(cli("target", "list", "--format", "json").stdout)
    assert [(t["scope"], t["scope_id"]) for t in listed] == [("rep", "ann")]
    unknown = cli("target", "set", "win_rate", "0.5", "--rep", "R999", ok=False)
    assert unknown.exit_code == 2 and "no rep 'R999'" in unknown.stderr
    team = cli("target", "set", "win_rate", "0.5", "--team", "Eest", ok=False)
    assert team.exit_code == 2 and "no team 'Eest'" in team.stderr and "'east'" in team.stderr
    assert len(json.loads(cli("target", "list", "--format", "json").stdout)) == 1  # nothing written
    cli("target", "unset", "win_rate", "--rep", "ann perkins")
    assert json.loads(cli("target", "list", "--format", "json").stdout) == []
    assert cli("target", "unset", "win_rate", "--team", "Eest", ok=False).exit_code == 2


def test_an_ambiguous_name_is_refused_with_the_ids(twins: Path) -> None:
    cli = Cli(twins)
    result = cli("report", "--period", "2026-10", "--filter", "rep=Sam Lee", ok=False)
    assert result.exit_code == 2
    assert "'Sam Lee'" in result.stderr and "s1" in result.stderr and "s2" in result.stderr
    card = cli("scorecard", "sam lee", "--period", "2026-10", ok=False)
    assert card.exit_code == 2 and "s1" in card.stderr and "s2" in card.stderr
    target = cli("target", "set", "win_rate", "0.5", "--rep", "Sam Lee", ok=False)
    assert target.exit_code == 2 and "s1" in target.stderr
    assert revenue(cli, "rep=s2") == 200  # the id still picks one of them
    assert revenue(cli, "rep=Kim Park") == 0  # a unique name with no deals: a real zero


# -- the Python API: every core function that takes filters or a rep ------------------------------
def _calls(ws: Workspace, filters: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "report": lambda: ws.report("2026-10", filters=filters),
        "summary": lambda: ws.summary("2026-10", filters=filters),
        "dashboard": lambda: ws.dashboard("2026-10", filters=filters),
        "records_behind": lambda: ws.records_behind("total_revenue", "2026-10", filters=filters),
        "won_lost": lambda: ws.won_lost("2026-10", filters=filters),
        "activity_effectiveness": lambda: ws.activity_effectiveness("2026-10", filters=filters),
        "funnel": lambda: ws.funnel("2026-10", filters=filters),
        "satisfaction": lambda: ws.satisfaction("2026-10", filters=filters),
        "targets": lambda: ws.targets("2026-10", filters=filters),
        "revenue_trend": lambda: ws.revenue_trend("2026-10", filters=filters),
        "digest": lambda: ws.digest("2026-10", filters=filters),
        "add_schedule": lambda: ws.add_schedule("x", every="mon 08:00", period="last-week",
                                                to=["a@example.com"], filters=filters),
        "forecast": lambda: ws.forecast("2026-Q4", filters=filters),
        "forecast_accuracy": lambda: ws.forecast_accuracy(filters=filters),
        "slippage": lambda: ws.slippage("2026-Q4", filters=filters),
        "losses": lambda: ws.losses("2026-10", filters=filters),
        "cycle": lambda: ws.cycle("2026-10", filters=filters),
    }


def test_every_core_function_refuses_an_unknown_value(db: Path) -> None:
    # A question added to Workspace with filters must be added here (and resolve them).
    takes_filters = {name for name, member in inspect.getmembers(Workspace, inspect.isfunction)
                     if "filters" in inspect.signature(member).parameters}
    # Open for writing: add_schedule and set_target change the workspace, which one opened
    # read_only refuses before reading their filters (the refusals here write nothing).
    with Workspace.open(db) as ws:
        assert set(_calls(ws, {})) == takes_filters
        for call in _calls(ws, {"team": ["Eest"]}).values():
            with pytest.raises(UnknownValueError) as caught:
                call()
            err = caught.value
            assert (err.dimension, err.value, err.suggestions) == ("team", "Eest", ("east", "west"))
        for rep_call in (lambda: ws.scorecard("nobody", "2026-10"),
                         lambda: ws.rep_comparison("nobody", "2026-10"),
                         lambda: ws.set_target("win_rate", "0.3", rep="nobody")):
            with pytest.raises(UnknownValueError, match="no rep 'nobody'"):
                rep_call()


def test_every_core_function_takes_a_rep_by_name(db: Path) -> None:
    with Workspace.open(db) as ws:
        assert ws.report("2026-10", kpis=["total_revenue"],
                         filters={"rep": ["Ann Perkins"]}).rows[0]["value"] == Decimal("2000.20")
        assert ws.dashboard("2026-10", filters={"rep": ["ann perkins"]}).filters == {"rep": ("ann",)}
        behind = ws.records_behind("total_revenue", "2026-10", filters={"rep": ["Ann Perkins"]})
        assert [r["deal_id"] for r in behind.rows] == ["d2"]
        assert ws.activity_effectiveness("2026-10", filters={"rep": ["Ann Perkins"]}).as_json() == \
            ws.activity_effectiveness("2026-10", filters={"rep": ["ann"]}).as_json()
        assert ws.rep_comparison("Ann Perkins", "2026-10").rep == "ann"
        assert ws.scorecard("ANN PERKINS", "2026-10").rep == "ann"
        ws.set_target("win_rate", "0.4", rep="Ann Perkins")
        assert ws.targets("2026-10", filters={"rep": ["Ann Perkins"]}) == {"win_rate": Decimal("0.4")}
        assert ws.forecast("2026-Q4", filters={"rep": ["Ann Perkins"]}).filters == {"rep": ("ann",)}
        assert ws.losses("2026-10", filters={"rep": ["ann perkins"]}).filters == {"rep": ("ann",)}


def test_an_ambiguous_name_in_python(twins: Path) -> None:
    with Workspace.open(twins, read_only=True) as ws:
        with pytest.raises(AmbiguousValueError) as caught:
            ws.report("2026-10", filters={"rep": ["sam lee"]})
        assert (caught.value.dimension, caught.value.suggestions) == ("rep", ("s1", "s2"))
        with pytest.raises(AmbiguousValueError):
            ws.scorecard("Sam Lee", "2026-10")


def test_an_id_is_matched_before_another_reps_name(tmp_path: Path) -> None:
    # "kim" is one rep's id and another's name: the id wins, as the README says, and the other rep
    # is still found by their own id.
    folder = tmp_path / "ids"
    write_csv(folder / "reps.csv", [{"rep_id": "kim", "name": "Kim Park", "team": "west"},
                                    {"rep_id": "k2", "name": "Kim", "team": "east"}])
    write_csv(folder / "deals.csv", [
        {"deal_id": "d1", "rep_id": "kim", "created_at": "2026-10-01T09:00:00",
         "closed_at": "2026-10-02T09:00:00", "status": "won", "amount": "100.00", "currency": "USD"},
        {"deal_id": "d2", "rep_id": "k2", "created_at": "2026-10-01T09:00:00",
         "closed_at": "2026-10-03T09:00:00", "status": "won", "amount": "250.00", "currency": "USD"}])
    path = tmp_path / "ids.duckdb"
    with Workspace.open(path) as ws:
        ws.import_files(folder)
        def won(rep: str) -> Any:
            return ws.report("2026-10", kpis=["total_revenue"], filters={"rep": [rep]}).rows[0]["value"]
        assert (won("kim"), won("k2"), won("Kim Park")) == (Decimal("100.00"), Decimal("250.00"),
                                                            Decimal("100.00"))


def test_a_viewer_is_told_only_what_they_may_see(db: Path) -> None:
    east = Viewer("east lead", teams=frozenset({"east"}))
    with Workspace.open(db, read_only=True) as ws:
        with pytest.raises(UnknownValueError) as team:
            ws.report("2026-10", filters={"team": ["wes"]}, viewer=east)
        assert "west" not in team.value.suggestions and "west" not in str(team.value)
        with pytest.raises(UnknownValueError) as rep:
            ws.report("2026-10", filters={"rep": ["Ann Perkins"]}, viewer=east)
        assert "ann" not in str(rep.value) and "Ann" not in " ".join(rep.value.suggestions)
        assert ws.report("2026-10", kpis=["total_revenue"], filters={"rep": ["Jim Halpert"]},
                         viewer=east).rows[0]["value"] == Decimal("1000.10")


def test_known_values_follow_an_import(db: Path, tmp_path: Path) -> None:
    with Workspace.open(db) as ws:
        with pytest.raises(UnknownValueError):
            ws.report("2026-10", filters={"team": ["north"]})
        write_csv(tmp_path / "more" / "reps.csv", [{"rep_id": "ned", "name": "Ned", "team": "north"}])
        ws.import_files(tmp_path / "more")
        assert ws.report("2026-10", kpis=["total_revenue"],
                         filters={"team": ["north"]}).rows[0]["value"] == 0


# -- the API -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/report", "/api/v1/dashboard", "/api/v1/summary",
                                  "/api/v1/records", "/api/v1/records.csv"])
def test_the_api_refuses_an_unknown_value(client: TestClient, path: str) -> None:
    # Only the report and the records take a KPI (any other route refuses kpi= as unknown_parameter).
    kpi = {"kpi": "nps"} if path in ("/api/v1/report", "/api/v1/records", "/api/v1/records.csv") else {}
    r = client.get(path, params={"period": "2026-10", **kpi, "team": "Eest"})
    assert r.status_code == 400, r.text
    assert r.json() == {"error": {
        "type": "unknown_value", "dimension": "team", "value": "Eest", "suggestions": ["east", "west"],
        "message": "no team 'Eest' in this workspace; did you mean 'east' or 'west'?"}}
    via_filter = client.get(path, params={"period": "2026-10", **kpi, "filter": "team=Eest"})
    assert via_filter.json()["error"]["type"] == "unknown_value"


def test_the_api_takes_a_rep_by_name(client: TestClient) -> None:
    def revenue(**params: Any) -> Decimal:
        r = client.get("/api/v1/report", params={"period": "2026-10", "kpi": "total_revenue", **params})
        assert r.status_code == 200, r.text
        value: Decimal = json.loads(r.text, parse_float=Decimal)["rows"][0]["value"]
        return value

    assert revenue(rep="Jim Halpert") == revenue(rep="jim") == Decimal("1000.10")
    assert revenue(rep="bob") == 0
    one = client.get("/api/v1/reps/Jim Halpert", params={"period": "2026-10"})
    assert one.status_code == 200 and one.json()["rep"] == "jim"
    card = client.get("/api/v1/reps/jim halpert/scorecard", params={"period": "2026-10"})
    assert card.status_code == 200 and card.json()["rep"] == "jim"
    missing = client.get("/api/v1/reps/Jim Halpret").json()["error"]
    assert missing["type"] == "unknown_rep" and missing["suggestions"] == ["Jim Halpert"]


def test_the_api_refuses_an_ambiguous_name(twins: Path) -> None:
    with TestClient(create_app(twins, warm=False)) as client:
        r = client.get("/api/v1/report", params={"period": "2026-10", "rep": "Sam Lee"})
        assert r.status_code == 400
        body = r.json()["error"]
        assert (body["type"], body["dimension"], body["value"], body["suggestions"]) == (
            "ambiguous_value", "rep", "Sam Lee", ["s1", "s2"])
        path = client.get("/api/v1/reps/Sam Lee/scorecard", params={"period": "2026-10"})
        assert path.status_code == 400 and path.json()["error"]["suggestions"] == ["s1", "s2"]


# -- the pages ---------------------------------------------------------------------------------
def test_the_pages_show_the_refusal(client: TestClient) -> None:
    for page in ("/", "/insights", "/drill"):
        r = client.get(page, params={"period": "2026-10", "team": "Eest"})
        assert r.status_code == 400, (page, r.text[:300])
        text = html.unescape(r.text)
        assert "no team 'Eest' in this workspace; did you mean 'east' or 'west'?" in text, page
        assert "Traceback" not in text
    german = html.unescape(client.get("/", params={"period": "2026-10", "team": "Eest",
                                                   "lang": "de"}).text)
    assert "kein Team 'Eest'" in german and "Meinten Sie 'east' oder 'west'?" in german


def test_the_rep_page_by_name(client: TestClient) -> None:
    r = client.get("/reps/Jim Halpert", params={"period": "2026-10"})
    assert r.status_code == 200
    # links from the page carry the rep's id, whatever was typed
    assert "Jim Halpert" in r.text and "&amp;rep=jim&amp;" in r.text and "rep=Jim" not in r.text
    page = client.get("/", params={"period": "2026-10", "rep": "Jim Halpert"})
    assert page.status_code == 200 and 'data-kpi="total_revenue" data-value="1000.10"' in page.text
    assert '<option value="jim" selected>' in page.text and "&amp;rep=jim&amp;kpi=" in page.text


def test_a_team_with_a_quota_but_no_reps_yet_is_known(db: Path, tmp_path: Path) -> None:
    write_csv(tmp_path / "more" / "quotas.csv", [
        {"team": "north", "period_start": "2026-10-01", "period_end": "2026-10-31", "amount": "500.00",
         "currency": "USD"}])
    with Workspace.open(db) as ws:
        ws.import_files(tmp_path / "more")
        row = ws.report("2026-10", kpis=["quota_attainment"], filters={"team": ["north"]}).rows[0]
        assert (row["value"], row["n"]) == (0, 0)  # no revenue against its quota of 500
        assert ("north", "north") in ws.dimension_values()["team"]


def test_pages_of_whole_deals_offer_no_product_filter(client: TestClient) -> None:
    """The insights' and the forecast's parts count whole deals and refuse a product: their filter
    bars do not offer one (the insights page did, and answered it with a 400 page)."""
    assert 'name="product"' in client.get("/?period=2026-10").text
    for path in ("/insights", "/forecast"):
        page = client.get(f"{path}?period=2026-10").text
        assert 'name="product"' not in page and 'name="team"' in page, path
    typed = client.get("/insights?period=2026-10&product=P1&lang=en")
    assert typed.status_code == 400 and "cannot filter" in typed.text


def test_the_activities_filtered_by_type_show_that_type(cli: Cli, client: TestClient, tmp_path: Path) -> None:
    """activity_type=call was checked (zzz refused) and then passed over: the answer was every type's,
    byte for byte. Now the lines are of the types asked for, and the activities per won deal
    (2 calls and an email on d1, a call on d2) count that type alone."""
    write_csv(tmp_path / "acts" / "activities.csv", [
        {"activity_id": f"x{i}", "rep_id": rep, "type": kind, "occurred_at": "2026-10-02T09:00:00",
         "deal_id": deal} for i, (rep, kind, deal) in enumerate(
            [("jim", "call", "d1"), ("jim", "call", "d1"), ("jim", "email", "d1"), ("ann", "call", "d2")])])
    cli.import_(tmp_path / "acts")

    def types(found: Any) -> set[str]:
        if isinstance(found, dict):
            return ({found["activity_type"]} if isinstance(found.get("activity_type"), str) else set()) | {
                t for v in found.values() for t in types(v)}
        return {t for v in found for t in types(v)} if isinstance(found, list) else set()

    every = client.get("/api/v1/activities", params={"period": "2026-10"})
    calls = client.get("/api/v1/activities", params={"period": "2026-10", "activity_type": "call"})
    assert every.status_code == calls.status_code == 200
    assert types(every.json()) >= {"call", "email"} and types(calls.json()) == {"call"}
    assert every.json()["groups"][0]["activities_per_won_deal"] == 2.0  # 4 activities, 2 won deals
    assert calls.json()["groups"][0]["activities_per_won_deal"] == 1.5


def test_comparing_reps_as_teams_says_to_compare_reps(cli: Cli) -> None:
    # "no team 'Jim Halpert'" listed the teams and never said how to compare reps.
    refused = cli("compare", "Jim Halpert", "Ann Perkins", "--period", "2026-10", ok=False)
    assert refused.exit_code == 2
    assert "'Jim Halpert' is a rep, not a team: compare reps (--reps on the command line" in refused.stderr
    reps = cli("compare", "Jim Halpert", "Ann Perkins", "--reps", "--period", "2026-10")
    assert "Jim Halpert" in reps.stdout


def test_a_rep_beside_a_team_they_are_not_on_is_refused(cli: Cli, client: TestClient) -> None:
    """A rep's records count in their own team's: west's rep under team east read $0.00 in every
    tile, with the company's target beside it, and not a word."""
    asked = cli("report", "--period", "2026-10", "--filter", "team=east", "--filter", "rep=ann", ok=False)
    assert asked.exit_code == 2
    said = " ".join(asked.stderr.split())
    assert "rep Ann Perkins (ann) is on team west, not east: the two filters together match no record" in said
    german = cli("report", "--period", "2026-10", "--filter", "team=east", "--filter", "rep=ann", "--lang",
                 "de", ok=False)
    assert "Ann Perkins (ann) ist im Team west, nicht east" in " ".join(german.stderr.split())
    # On their own team, or with both teams, the rep's figure stands.
    assert revenue(cli, "team=west,east", "rep=ann") == revenue(cli, "rep=ann") == 2000.20
    page = client.get("/", params={"period": "2026-10", "team": "east", "rep": "ann", "lang": "en"})
    assert page.status_code == 400 and "is on team west, not east" in html.unescape(page.text)
    api = client.get("/api/v1/report", params={"period": "2026-10", "team": "east", "rep": "ann"})
    assert api.status_code == 400 and "not east" in api.json()["error"]["message"]


def test_a_lost_reason_in_another_case_names_the_one_so_spelled(tmp_path: Path) -> None:
    """The import writes Price, price and PRICE one way; ``lost_reason=Price`` was refused, "did
    you mean 'PRICE'?", while ``source=WEB`` was read (the analyst tester)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "reps.csv").write_text("rep_id\nr1\n", encoding="utf-8")
    (folder / "deals.csv").write_text(
        "deal_id,rep_id,created_at,closed_at,status,amount,currency,lost_reason\n"
        "d1,r1,2026-10-01,2026-10-05,lost,10.00,USD,PRICE\nd2,r1,2026-10-01,2026-10-06,lost,15.00,USD,price\n"
        "d3,r1,2026-10-01,2026-10-07,lost,5.00,USD,Timing\n", encoding="utf-8")
    cli = Cli(tmp_path / "work.duckdb")
    cli.import_(folder)
    found = cli.report("--period", "2026-10", "--kpi", "lost_value", "--filter", "lost_reason=Price")
    assert found["filters"] == {"lost_reason": ["PRICE"]} and found["rows"][0]["value"] == 25.0
