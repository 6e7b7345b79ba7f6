"""Tables fit the terminal: at 80 and 120 columns every money figure is printed whole (text wraps,
and the least needed columns go first, said in the caption), `ramp` is readable at 100 columns, and
German output translates every header. The figures are 7-digit amounts with long rep and product names,
so that a table of them cannot fit 80 columns as it is."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from helpers import Cli, write_csv
from salesmetrics.kpis import REGISTRY
from salesmetrics.text.numbers import format_delta, format_value

REPS = [
    {"rep_id": "R1", "name": "Alexandra Montgomery-Fitzgerald", "team": "enterprise-east",
     "hired_on": "2025-01-10"},
    {"rep_id": "R2", "name": "Bartholomew Okonkwo-Delacroix", "team": "enterprise-west",
     "hired_on": "2025-02-03"},
    {"rep_id": "R3", "name": "Christina Vandenberghe", "team": "enterprise-east", "hired_on": "2024-01-01"},
]
PRODUCTS = [
    {"product_id": "P-ENTERPRISE-ANNUAL", "name": "Enterprise subscription (annual, per seat)",
     "unit_price": "1000000.00", "currency": "USD"},
    {"product_id": "P-SUPPORT", "name": "Premium support contract (annual)", "unit_price": "45678.90",
     "currency": "USD"},
]


def deal(deal_id: str, rep: str, status: str, created: str, closed: str, amount: str) -> dict[str, str]:
    return {"deal_id": deal_id, "rep_id": rep, "account": f"Account {deal_id}",
            "created_at": f"{created}T09:00:00", "closed_at": f"{closed}T15:00:00" if closed else "",
            "status": status, "amount": amount, "currency": "USD"}


DEALS = [
    deal("D0", "R3", "lost", "2024-12-01", "2024-12-20", "250000.00"),  # before R1 and R2 were hired
    deal("D1", "R1", "won", "2026-05-02", "2026-07-20", "1453827.55"),
    deal("D2", "R2", "won", "2026-06-10", "2026-08-15", "2345678.91"),
    deal("D3", "R3", "won", "2026-07-01", "2026-09-03", "987654.32"),
    deal("D4", "R1", "lost", "2026-06-01", "2026-08-01", "777777.77"),
    deal("D5", "R2", "lost", "2026-06-05", "2026-09-10", "123456.78"),
    deal("D6", "R3", "open", "2026-08-01", "", "555555.55"),
    deal("D7", "R1", "won", "2026-02-01", "2026-05-05", "1111111.11"),
    deal("D8", "R2", "won", "2026-03-01", "2026-06-06", "2222222.22"),
    deal("D9", "R3", "lost", "2026-03-01", "2026-04-04", "300000.00"),
    deal("D10", "R1", "won", "2025-12-01", "2026-02-02", "3333333.33"),
    deal("D11", "R1", "won", "2025-09-01", "2025-11-11", "4444444.44"),
]
ITEMS = [
    {"deal_id": "D1", "product_id": "P-ENTERPRISE-ANNUAL", "quantity": "1", "unit_price": "1408148.65"},
    {"deal_id": "D1", "product_id": "P-SUPPORT", "quantity": "1", "unit_price": "45678.90"},
    {"deal_id": "D2", "product_id": "P-ENTERPRISE-ANNUAL", "quantity": "2", "unit_price": "1150000.00"},
    {"deal_id": "D2", "product_id": "P-SUPPORT", "quantity": "1", "unit_price": "45678.91"},
    {"deal_id": "D3", "product_id": "P-ENTERPRISE-ANNUAL", "quantity": "1", "unit_price": "941975.42"},
    {"deal_id": "D3", "product_id": "P-SUPPORT", "quantity": "1", "unit_price": "45678.90"},
]
ACTIVITIES = [
    {"activity_id": f"A{i}", "rep_id": rep, "type": kind, "occurred_at": f"2026-07-{10 + i:02d}T10:00:00",
     "deal_id": deal_id}
    for i, (rep, kind, deal_id) in enumerate([
        ("R1", "call", "D1"), ("R1", "meeting", "D1"), ("R1", "demo", "D1"), ("R2", "call", "D2"),
        ("R2", "meeting", "D2"), ("R3", "call", "D3"), ("R1", "call", "D4"), ("R2", "email", "D5"),
        ("R2", "enterprise-architecture-workshop", "D2"),  # a long type one may filter by
    ])
]
# Long stage names (typed in --probability STAGE=P): D1 to D5 through them, D6 still open.
STAGES = [
    {"deal_id": deal_id, "stage": stage, "entered_at": f"2026-{month:02d}-{day:02d}T09:00:00"}
    for deal_id, path in (("D1", (5, 6, 7)), ("D2", (6, 7, 8)), ("D3", (7, 8)), ("D4", (6,)),
                          ("D5", (6, 7)), ("D6", (8,)))
    for (stage, month, day) in zip(("qualification", "technical-evaluation", "commercial-negotiation"),
                                   path, (3, 10, 20), strict=False)
]
QUOTAS = [
    {"rep_id": rep, "period_start": f"{year}-{month:02d}-01",
     "period_end": f"{year + month // 12}-{month % 12 + 1:02d}-01", "amount": "400000.00", "currency": "USD"}
    for rep in ("R1", "R2", "R3") for year in (2025, 2026) for month in range(1, 13)
]
NPS = [
    {"response_id": f"N{i}", "account": f"Account {deal_id}", "score": score,
     "responded_at": f"2026-09-{20 + i}T10:00:00", "rep_id": rep}
    for i, (deal_id, score, rep) in enumerate([("D1", "10", "R1"), ("D2", "9", "R2"), ("D3", "3", "R3")])
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wide")
    files = [write_csv(folder / "records" / f"{name}.csv", rows) for name, rows in (
        ("reps", REPS), ("products", PRODUCTS), ("deals", DEALS), ("deal_items", ITEMS),
        ("activities", ACTIVITIES), ("nps_responses", NPS), ("stage_history", STAGES))]
    # Quotas end the day before the next month starts (inclusive ends).
    quotas = [{**q, "period_end": _day_before(q["period_end"])} for q in QUOTAS]
    files.append(write_csv(folder / "records" / "quotas.csv", quotas))
    cli = Cli(folder / "wide.duckdb")
    cli.import_(folder / "records")
    cli("target", "set", "total_revenue", "5000000", "--period", "2026-Q3")
    cli("target", "set", "average_deal_size", "1500000", "--team", "enterprise-east", "--period", "2026-Q3")
    return cli.db


def _day_before(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


MONEY = re.compile(r"\$[\d,.]+")
WHOLE = re.compile(r"\$\d{1,3}(,\d{3})*\.\d\d")


def dollars(value: Any) -> str:
    return format_value(Decimal(str(value)), "money", "USD", "en")


BOX = re.compile("[│┃┏┗└┌├┡╇┳┻┃━─]")


def check_fits(text: str, width: int) -> None:
    """No line of a table wider than the terminal (prose may run on, the terminal wraps it), and
    every amount printed whole: not cut with "…", not broken over two lines."""
    for line in text.splitlines():
        if BOX.search(line):
            assert cell_len(line) <= width, line
    for found in MONEY.findall(text):
        assert WHOLE.fullmatch(found.rstrip(".")), f"cut: {found!r}\n{text}"
    assert not re.search(r"[\d$]…", text), text


@pytest.mark.parametrize("width", [80, 120])
def test_report_tables_fit_with_every_amount_whole(db: Path, width: int) -> None:
    cli = Cli(db, columns=width)
    texts = {}
    for by in ("team", "team,rep,product"):
        text = texts[by] = cli("report", "--period", "2026-Q3", "--by", by).stdout
        data = json.loads(cli("report", "--period", "2026-Q3", "--by", by, "--format", "json").stdout)

        check_fits(text, width)
        for row in data["rows"]:
            if row["unit"] == "money" and row["value"] is not None:
                assert dollars(row["value"]) in text, (row, text)
    # R1's and R2's Q3 revenue, by team and rep
    assert "$1,453,827.55" in texts["team"] and "$2,345,678.91" in texts["team"]


def test_a_narrow_report_says_which_columns_it_left_out(db: Path) -> None:
    narrow = Cli(db, columns=80)("report", "--period", "2026-Q3", "--by", "team,rep").stdout
    wide = Cli(db, columns=200)("report", "--period", "2026-Q3", "--by", "team,rep").stdout

    assert "not shown at 80 columns: 95 %" in " ".join(narrow.split())
    assert "95 %" in wide and "not shown" not in wide


@pytest.mark.parametrize("width", [80, 120])
def test_summary_and_insight_tables_fit_with_every_amount_whole(db: Path, width: int) -> None:
    cli = Cli(db, columns=width)
    summary = cli("summary", "--period", "2026-Q3").stdout
    card = cli("scorecard", "R1", "--period", "2026-Q3").stdout
    card_json = json.loads(cli("scorecard", "R1", "--period", "2026-Q3", "--format", "json").stdout)
    acts = cli("activities", "--period", "2026-Q3").stdout
    acts_json = json.loads(cli("activities", "--period", "2026-Q3", "--format", "json").stdout)
    status = cli("target", "status", "--period", "2026-Q3").stdout
    status_json = json.loads(cli("target", "status", "--period", "2026-Q3", "--format", "json").stdout)
    happy = cli("satisfaction", "--period", "2026-Q3").stdout

    for text in (summary, card, acts, status, happy):
        check_fits(text, width)
    # Won in Q3: 1,453,827.55 + 2,345,678.91 + 987,654.32; the best rep; the enterprise subscription's
    # 1,408,148.65 + 2 x 1,150,000.00 + 941,975.42.
    assert "$4,787,160.78" in summary and "$2,345,678.91" in summary and "$4,650,124.07" in summary
    for line in card_json["kpis"]:
        if line["unit"] == "money":
            assert dollars(line["value"]) in card and dollars(line["team_median"]) in card
    for kind in acts_json["groups"][0]["types"]:
        assert dollars(kind["revenue_with"]) in acts
    for s in status_json:
        if s["unit"] == "money":
            assert dollars(s["value"]) in status and dollars(s["target"]) in status


@pytest.mark.parametrize("width", [100, 120])
def test_ramp_is_readable(db: Path, width: int) -> None:
    text = Cli(db, columns=width)("ramp", "--as-of", "2026-10-15").stdout

    check_fits(text, width)
    header = next(line for line in text.splitlines() if "cohort" in line)
    months = re.findall(r"M(\d+)", header)
    # Tenure months from hire: R1 and R2's cohorts are 21 months old; the first 18 are the table's.
    assert {"1", "2", "3", "6", "9", "12", "15", "18"} <= set(months)
    assert len(months) <= 18
    if len(months) < 18:
        assert f"not shown at {width} columns: M" in " ".join(text.split())
    assert "2025-01" in text and "2025-02" in text


ENGLISH_HEADERS = {"rep", "product", "team", "Notes", "Value", "Revenue", "Rep", "Product", "id", "title",
                   "unit", "formula", "dimensions", "type", "won", "revenue", "before", "change", "value",
                   "target", "pace", "for", "group", "accounts", "orders", "cohort", "ramped", "stage"}


def test_german_output_translates_every_header(db: Path) -> None:
    from salesmetrics.cli import app

    cli = Cli(db, columns=120)
    report = cli("report", "--period", "2026-Q3", "--by", "team,rep,product", "--lang", "de").stdout
    summary = cli("summary", "--period", "2026-Q3", "--lang", "de").stdout
    others = [cli(*args, "--lang", "de").stdout for args in (
        ("scorecard", "R1", "--period", "2026-Q3"), ("activities", "--period", "2026-Q3"),
        ("target", "status", "--period", "2026-Q3"), ("satisfaction", "--period", "2026-Q3"),
        ("ramp", "--as-of", "2026-10-15"))]
    catalogue = cli.runner.invoke(app, ["kpis", "--lang", "de"], env={"COLUMNS": "120"}).stdout

    for text in (report, summary, catalogue, *others):
        headers = [cell.strip() for line in text.splitlines() if line.startswith("┃")
                   for cell in line.strip("┃").split("┃")]
        assert headers and not ENGLISH_HEADERS & set(headers), headers
    assert "Mitarbeiter" in report and "Produkt" in report and "Hinweise" in report
    assert "Mitarbeiter" in summary and "Produkt" in summary
    # R1's Q3 revenue of the enterprise subscription, German money, whole
    assert "1.408.148,65\xa0$" in report
    # The comparison's title in German: not the period's key in English.
    compared = cli("compare", "enterprise-east", "enterprise-west", "--period", "2026-07-01..2026-09-30",
                   "--lang", "de").stdout
    assert compared.splitlines()[0].strip() == "01.07.2026 – 30.09.2026", compared


# Every table of the command line, with the words in it one types afterwards: ids (KPIs, reps, teams,
# products, deals, stages, activity types). None may be cut, wrapped or folded.
TABLES = [
    ("funnel", "--period", "2026-Q3"),
    ("funnel", "--period", "2026-Q3", "--by", "rep"),
    ("activities", "--period", "2026-Q3"),
    ("activities", "--period", "2026-Q3", "--by", "team"),
    ("records", "total_revenue", "--period", "2026-Q3"),
    ("records", "win_rate", "--period", "2026-Q3"),
    ("records", "activity_count", "--period", "2026-Q3"),
    ("trend", "--period", "2026"),
    ("rep", "R1", "--period", "2026-Q3"),
    ("compare", "R1", "R2", "R3", "--reps", "--period", "2026-Q3"),
    ("compare", "enterprise-east", "enterprise-west", "--period", "2026-Q3"),
    ("target", "list"),
    ("config",),
    # Eleven columns of 7-digit amounts: at 80 columns most must go, and no figure may be cut.
    ("forecast", "--period", "2026-Q3", "--as-of", "2026-08-20"),
    ("forecast", "--period", "2026-Q3", "--as-of", "2026-08-20", "--by", "team", "--deals"),
    ("forecast", "--period", "2026-Q3", "--as-of", "2026-08-20", "--by", "rep"),
    ("forecast", "--accuracy", "--as-of", "2026-10-15", "--by", "team"),
    ("slippage", "--period", "2026-Q3"),
    ("losses", "--period", "2026-Q3"),
]
TYPED = ("R1", "R2", "R3", "enterprise-east", "enterprise-west", "qualification", "technical-evaluation",
         "commercial-negotiation", "enterprise-architecture-workshop", "P-ENTERPRISE-ANNUAL",
         "average_deal_size", "total_revenue", "fiscal_year_start", "ramp_threshold")


def check_whole(text: str, width: int) -> None:
    """check_fits, and no text cut with "…" (a word too long for its column wraps or folds)."""
    check_fits(text, width)
    lines = [line for line in text.splitlines() if BOX.search(line)]
    assert not any("…" in line for line in lines), text


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("width", [80, 120])
def test_every_table_fits_without_cutting_a_figure_or_an_id(db: Path, width: int, lang: str) -> None:
    cli = Cli(db, columns=width)
    for args in TABLES:
        takes_lang = args[0] not in ("records", "target", "config")
        text = cli(*args, *(("--lang", lang) if takes_lang else ())).stdout
        check_whole(text, width)
        # An id is printed whole, on one line: no cell holds only its beginning.
        cells = {c.strip() for line in text.splitlines() for c in line.split("│")}
        for word in TYPED:
            if any(c and word.startswith(c) and c != word and len(c) >= 3 for c in cells):
                raise AssertionError(f"{word!r} cut or wrapped in {' '.join(args)}:\n{text}")


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("width", [80, 120])
def test_the_funnel_keeps_its_stages_and_every_rate_whole(db: Path, width: int, lang: str) -> None:
    cli = Cli(db, columns=width)
    data = json.loads(cli("funnel", "--period", "2026-Q3", "--format", "json").stdout)
    text = cli("funnel", "--period", "2026-Q3", "--lang", lang).stdout
    by_rep = cli("funnel", "--period", "2026-Q3", "--by", "rep", "--lang", lang).stdout
    for stage in data["stages"]:
        assert stage["stage"] in text and stage["stage"] in by_rep
        if stage["conversion"] is not None:
            assert format_value(stage["conversion"], "ratio", None, lang) in text
    assert data["weighted_pipeline"]["value"] is not None
    assert format_value(Decimal(str(data["weighted_pipeline"]["value"])), "money", "USD", lang) in text
    grouped = json.loads(cli("funnel", "--period", "2026-Q3", "--by", "rep", "--format", "json").stdout)
    for group in grouped["groups"]:  # the money of each rep's pipeline, whole (inputs may be left out)
        for value in (group["velocity"]["per_day"], group["weighted_pipeline"]["open_amount"],
                      group["weighted_pipeline"]["value"]):
            if value is not None:
                assert format_value(Decimal(str(value)), "money", "USD", lang) in by_rep, by_rep
        assert group["rep"] in by_rep


@pytest.mark.parametrize("width", [80, 120])
def test_the_kpi_catalogue_shows_every_id_whole(width: int) -> None:
    from typer.testing import CliRunner

    from salesmetrics.cli import app
    from salesmetrics.kpis import REGISTRY

    for lang in ("en", "de"):
        text = CliRunner().invoke(app, ["kpis", "--lang", lang], env={"COLUMNS": str(width)}).stdout
        check_whole(text, width)
        ids = {cell.strip() for line in text.splitlines() for cell in line.split("│")[1:2]}
        assert set(REGISTRY) <= ids, ids
        title = REGISTRY["total_revenue"].title.get(lang)
        assert title in text  # "Gesamtumsatz", whole


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_terminal_too_narrow_for_the_columns_gets_one_record_after_another(db: Path, lang: str) -> None:
    """At 44 columns no table of figures fits side by side: each row is printed as a record, a line
    per column, with every column (none left out), every amount whole and every rep and team named."""
    cli = Cli(db, columns=44)
    report = cli("report", "--period", "2026-Q3", "--by", "team,rep", "--lang", lang).stdout
    rows = json.loads(cli("report", "--period", "2026-Q3", "--by", "team,rep", "--format", "json").stdout)
    forecast = cli("forecast", "--period", "2026-Q3", "--as-of", "2026-08-20", "--by", "team",
                   "--lang", lang).stdout
    bars = json.loads(cli("forecast", "--period", "2026-Q3", "--as-of", "2026-08-20", "--by", "team",
                          "--format", "json").stdout)

    check_whole(report, 44)
    check_whole(forecast, 44)
    assert "not shown" not in report and "nicht gezeigt" not in report
    records = [_record(text) for text in re.split(r"\n[├┌].*(?=\n)", report)[1:]]
    revenue = [r for r in rows["rows"] if r["kpi"] == "revenue_per_rep"]
    assert len(revenue) == 3
    for row in revenue:  # each record names its KPI, team and rep again, beside the figure
        money = format_value(Decimal(str(row["value"])), "money", "USD", lang)
        said = [REGISTRY["revenue_per_rep"].title.get(lang), row["team"], row["rep"], " ".join(money.split())]
        assert said in [record[:4] for record in records], report
    for team in bars["rows"] + [bars["total"]]:  # all eleven figures of each team and the total
        for key in ("closed_won", "commit", "best_case", "pipeline", "weighted", "quota", "gap",
                    "call_commit", "call_best_case", "overdue"):
            if team[key] is not None:
                assert format_value(Decimal(str(team[key])), "money", "USD", lang) in forecast, key
    assert "enterprise-east" in forecast and "enterprise-west" in forecast


def _record(text: str) -> list[str]:
    """A stacked record's values, a value wrapped over lines joined again."""
    values: list[str] = []
    for line in text.splitlines()[1:]:
        if line.count("│") != 3:
            continue
        _, head, value, _ = line.split("│")
        if head.strip():
            values.append(" ".join(value.split()))
        elif values:
            values[-1] = " ".join([values[-1], *value.split()])
    return values


def test_a_narrow_table_keeps_its_caption_beside_the_columns_it_leaves_out(db: Path) -> None:
    """The accuracy's caption explains its error; leaving a column out at 80 columns says so after it."""
    narrow = Cli(db, columns=80)("forecast", "--accuracy", "--as-of", "2026-10-15", "--by", "team").stdout
    wide = Cli(db, columns=200)("forecast", "--accuracy", "--as-of", "2026-10-15", "--by", "team").stdout

    joined = " ".join(narrow.split())
    assert "Error: (call - closed won) / closed won" in joined
    assert "not shown at 80 columns: Error (middle)" in joined
    assert "Error (middle)" in " ".join(wide.split()) and "not shown" not in wide


@pytest.mark.parametrize("width", [80, 160])
def test_schedules_and_alerts_keep_every_address_and_command_whole(db: Path, tmp_path: Path,
                                                                    width: int) -> None:
    """Nine columns of settings at 80 columns folded every word ("last-w" / "eek", addresses over
    four lines): where their words do not fit side by side, one record after another, each word
    whole; wide enough, side by side."""
    import shutil

    cli = Cli(Path(shutil.copy(db, tmp_path / "own.duckdb")), columns=width)
    to = "enterprise-east.leader@example.com"
    cli("schedule", "add", "monthly-east", "--every", "month 1 07:00", "--period", "last-month", "--to", to,
        "--filter", "team=enterprise-east")
    cli("alert", "add", "total_revenue", "--when", "off_track", "--period", "this-quarter", "--team",
        "enterprise-west", "--to", to)
    schedules, alerts = cli("schedule", "list").stdout, cli("alert", "list").stdout
    for text, words in ((schedules, (to, "last-month", "team=enterprise-east", "month 1 07:00")),
                        (alerts, (to, "total_revenue", "off_track", "this-quarter", "salesmetrics",
                                  "--team enterprise-west"))):
        check_whole(text, width)
        lines = [line for line in text.splitlines() if BOX.search(line)]
        for word in words:
            assert any(word in line for line in lines), (word, text)
        # Side by side at 160 (a header row of names), one record after another at 80.
        assert any(re.search(r"┃ (name|id) +┃", line) for line in lines) == (width == 160), text


def test_a_negative_figure_that_rounds_to_nothing_reads_as_zero() -> None:
    # The demo's NPS interval for team central started at "-0" (a low of -0.04).
    assert [format_value(-0.04, "score", None, lang) for lang in ("en", "de")] == ["0", "0"]
    assert format_value(-0.0004, "ratio", None, "de") == "0,0 %"
    assert format_value(-0.4, "score", None, "en") == "-0.4" and format_value(-10, "days", None) == "-10 days"


def test_a_fall_that_rounds_to_nothing_reads_as_no_change() -> None:
    # A program's interval in a tester's seasonal scenario read "-0.0 pp to +0.0 pp".
    assert [format_delta(-0.00001, "ratio", lang) for lang in ("en", "de")] == ["+0.0 pp", "+0,0 Pp."]
    assert format_delta(-0.0004, "money") == "+0.0 %" and format_delta(-0.01, "score") == "+0.0"
    assert format_delta(-0.02, "ratio") == "-2.0 pp" and format_delta(-0.06, "score", "de") == "-0,1"


def test_a_forecast_at_120_columns_keeps_the_calls(db: Path) -> None:
    """Found by the forecast tester: at 120 columns the commit and best-case calls, the numbers a
    forecast call is about, were the first left out, while the quota the gap already says stayed."""
    text = " ".join(Cli(db, columns=120)("forecast", "--period", "2026-Q3", "--as-of", "2026-08-20",
                                         "--by", "team").stdout.split())
    shown = text[text.index("not shown at 120 columns:"):]
    assert "Commit call" in text and "Best-case call" in text
    assert "Commit call" not in shown and "Quota" in shown and "Overdue" in shown, shown
    # By rep, the reps by name, as the page shows them (R1 ... had to be looked up).
    by_rep = " ".join(Cli(db, columns=200)("forecast", "--period", "2026-Q3", "--as-of", "2026-08-20",
                                           "--by", "rep").stdout.split())
    assert "│ Alexandra Montgomery-Fitzgerald │" in by_rep and "│ R1 │" not in by_rep, by_rep
