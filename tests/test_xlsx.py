"""Excel workbooks read back with openpyxl: numbers are numbers (with money, percent and date
formats), the header is frozen, a cover sheet names the period and filters, and text that a
spreadsheet would run as a formula stays text. Figures from tests/webdata.py (October 2026)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from helpers import Cli, write_csv
from webdata import make_workspace


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(make_workspace(tmp_path / "work.duckdb"))


def rows_of(sheet: object) -> list[dict[str, object]]:
    cells = list(sheet.iter_rows())  # type: ignore[attr-defined]
    header = [c.value for c in cells[0]]
    return [dict(zip(header, row, strict=True)) for row in cells[1:]]


def test_a_report_workbook_keeps_numbers_numbers(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = cli("report", "--period", "2026-10", "--by", "team", "--filter", "team=east,west",
                 "--compare", "--format", "xlsx", "--output", str(out))
    assert f"wrote {out}" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Cover", "Report"]
    cover = {r[0]: r[1] for r in book["Cover"].iter_rows(min_row=3, values_only=True)}
    assert cover["Period"] == "2026-10" and cover["First day"] == datetime(2026, 10, 1)
    assert cover["Last day"] == datetime(2026, 10, 31) and cover["Filters"] == "Team = east, west"
    assert cover["Compared with"] == "2026-09-01..2026-09-30" and cover["Currency"] == "USD"
    sheet = book["Report"]
    assert sheet.freeze_panes == "A2"
    rows = {(r["kpi"].value, r["team"].value): r for r in rows_of(sheet)}  # type: ignore[union-attr]
    east = rows[("total_revenue", "east")]
    assert east["value"].value == pytest.approx(1000.10) and east["value"].data_type == "n"  # type: ignore[union-attr]
    assert east["value"].number_format == '#,##0.00 "USD"'  # type: ignore[union-attr]
    assert east["previous"].value == pytest.approx(700.00)  # type: ignore[union-attr]
    west_rate = rows[("win_rate", "west")]
    assert west_rate["value"].value == pytest.approx(0.5) and west_rate["value"].number_format == "0.0%"  # type: ignore[union-attr]
    assert rows[("activity_count", "east")]["value"].value == 3  # type: ignore[union-attr]
    # A rate's change in percentage points, as every other face says it: "+25.0%" read as relative.
    said = {(r["kpi"], r["team"]): r for r in cli.report("--period", "2026-10", "--by", "team", "--filter",
                                                         "team=east,west", "--compare")["rows"]}
    change = rows[("win_rate", "east")]["change"]
    assert change.value == pytest.approx(said[("win_rate", "east")]["change"] * 100)  # type: ignore[union-attr]
    assert change.number_format == '+0.0" pp";-0.0" pp"'  # type: ignore[union-attr]
    assert east["change"].number_format == "+0.0%;-0.0%"  # type: ignore[union-attr]
    assert east["change"].value == pytest.approx(said[("total_revenue", "east")]["change"])  # type: ignore[union-attr]
    assert east["n"].value == 1 and east["n"].data_type == "n"  # type: ignore[union-attr]
    # In German too the test's answer is a boolean, not the words "ja"/"nein" (a tester).
    german = tmp_path / "bericht.xlsx"
    cli("report", "--period", "2026-10", "--by", "team", "--filter", "team=east,west", "--compare",
        "--lang", "de", "--format", "xlsx", "--output", str(german))
    answers = [r["Jenseits des Rauschens"].value for r in rows_of(openpyxl.load_workbook(german)["Bericht"])]
    assert False in answers and set(answers) <= {True, False, None}


def test_records_workbook_neutralises_formulas(cli: Cli, tmp_path: Path) -> None:
    deals = write_csv(tmp_path / "evil" / "deals.csv", [
        {"deal_id": "d9", "rep_id": "jim", "account": '=HYPERLINK("http://evil.example","x")',
         "created_at": "2026-10-01T10:00:00", "closed_at": "2026-10-25T10:00:00", "status": "won",
         "amount": "5.00", "currency": "USD", "source": "+inbound"}])  # negative amounts are refused
    cli.import_(deals)
    out = tmp_path / "records.xlsx"
    cli("records", "total_revenue", "--period", "2026-10", "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    records = {r["deal_id"].value: r for r in rows_of(book["Records"])}  # type: ignore[union-attr]
    evil = records["d9"]
    # Text as written, stored as text and marked typed so (no ' in the value: a filter or a lookup
    # against the CRM's own "+inbound" finds it; the output tester), and no formula in the file.
    assert evil["account"].value == "=HYPERLINK(\"http://evil.example\",\"x\")"  # type: ignore[union-attr]
    assert evil["account"].data_type == "s" and evil["account"].quotePrefix  # type: ignore[union-attr]
    assert evil["source"].value == "+inbound" and evil["source"].data_type == "s"  # type: ignore[union-attr]
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets)
    assert evil["amount"].value == 5 and evil["amount"].data_type == "n"  # a number stays one  # type: ignore[union-attr]
    d1 = records["d1"]
    # The rep's name beside the id, as the CSV has it (the workbook had ids alone).
    assert (d1["rep"].value, d1["rep_name"].value) == ("jim", "Jim Halpert")  # type: ignore[union-attr]
    assert d1["amount"].value == pytest.approx(1000.10)  # type: ignore[union-attr]
    assert d1["closed_at"].value == datetime(2026, 10, 5, 10, 0)  # type: ignore[union-attr]
    assert d1["closed_at"].number_format == "yyyy-mm-dd hh:mm"  # type: ignore[union-attr]
    assert sum(float(r["amount"].value) for r in records.values()) == pytest.approx(3005.30)  # type: ignore[union-attr, arg-type]


def test_the_records_behind_quota_attainment_name_the_quota(cli: Cli, tmp_path: Path) -> None:
    """Found by a tester: the workbook listed the won deals alone, where the command and the JSON
    set their sum against the quota: nothing in it led to the figure (42.9 %)."""
    said = "sum $3,000.30 against a quota of $7,000.00: 42.9 %"
    assert said in cli("records", "quota_attainment", "--period", "2026-10").stdout
    for lang, sheet, key in (("en", "Cover", "Set against"), ("de", "Deckblatt", "Verglichen mit")):
        out = tmp_path / f"quota-{lang}.xlsx"
        cli("records", "quota_attainment", "--period", "2026-10", "--format", "xlsx", "--output", str(out),
            "--lang", lang)
        book = openpyxl.load_workbook(out)
        cover = {r[0]: r[1] for r in book[sheet].iter_rows(min_row=3, values_only=True)}
        line = str(cover[key]).replace("\xa0", " ")
        assert line == said if lang == "en" else ("3.000,30 $" in line and "7.000,00 $" in line), line
    plain = tmp_path / "revenue.xlsx"
    wrote = cli("records", "total_revenue", "--period", "2026-10", "--filter", "rep=jim", "--format", "xlsx",
                "--output", str(plain)).stdout
    assert wrote.strip() == f"wrote {plain} (1 deal)"  # "1 deals"
    keys = {r[0] for r in openpyxl.load_workbook(plain)["Cover"].iter_rows(values_only=True)}
    assert "Set against" not in keys


def test_xlsx_needs_an_output_file(cli: Cli) -> None:
    result = cli("report", "--format", "xlsx", ok=False)
    assert result.exit_code == 2 and "--output FILE.xlsx" in result.stderr
    assert cli("report", "--output", "x.xlsx", ok=False).exit_code == 2
    # A workbook under another name opened as garbage in whatever the name promised.
    for command in (("report",), ("records", "total_revenue")):
        named = cli(*command, "--format", "xlsx", "--output", "report.csv", ok=False)
        assert named.exit_code == 2
        assert "--output report.csv: a workbook is written as FILE.xlsx" in named.stderr


def test_the_dashboard_downloads_excel(cli: Cli) -> None:
    from salesmetrics.web.app import create_app

    with TestClient(create_app(cli.db, warm=False, schedules=False)) as client:
        got = client.get("/api/v1/report.xlsx", params={"period": "2026-10", "compare": "true", "lang": "de"})
        assert got.status_code == 200
        assert got.headers["content-disposition"] == (
            'attachment; filename="report-2026-10-01-2026-10-31.xlsx"')
        book = openpyxl.load_workbook(io.BytesIO(got.content))
        assert book.sheetnames == ["Deckblatt", "Bericht"]
        rows = {r["kpi"].value: r for r in rows_of(book["Bericht"])}  # type: ignore[union-attr]
        assert rows["total_revenue"]["Wert"].value == pytest.approx(3000.30)  # type: ignore[union-attr]
        assert rows["total_revenue"]["Titel"].value == "Gesamtumsatz"  # type: ignore[union-attr]
        # In German throughout: the heads, the flags in words, a rate's change in Pp., days as written.
        win = rows["win_rate"]
        assert win["Einheit"].value == "Anteil" and win["Hinweise"].value == "kleine Stichprobe"
        assert win["Änderung"].number_format == '+0.0" Pp.";-0.0" Pp."'
        cover_cells = {r[0].value: r[1] for r in book["Deckblatt"].iter_rows() if len(r) > 1}
        assert cover_cells["Erster Tag"].number_format == "dd.mm.yyyy"
        assert cover_cells["Verglichen mit"].value == "01.09.2026 – 30.09.2026"
        # A period typed relative to today is named in German on the cover.
        got = client.get("/api/v1/report.xlsx", params={"period": "last-month", "as_of": "2026-11-15",
                                                        "lang": "de"})
        cover = {r[0].value: r[1].value for r in openpyxl.load_workbook(io.BytesIO(got.content))["Deckblatt"]
                 .iter_rows() if len(r) > 1}
        assert cover["Zeitraum"] == "Letzter Monat (01.10.2026 – 31.10.2026)"
        drill = client.get("/drill", params={"kpi": "total_revenue", "period": "2026-10"}).text
        assert 'href="/api/v1/records.xlsx?period=2026-10&amp;kpi=total_revenue&amp;lang=en"' in drill
        records = client.get("/api/v1/records.xlsx", params={"kpi": "total_revenue", "period": "2026-10"})
        assert records.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(records.content))["Records"]
        assert sheet.max_row == 3  # the header and d1, d2


def test_the_records_of_a_running_period_say_the_days_they_cover(cli: Cli, tmp_path: Path) -> None:
    """A period still running is read as of today: the cover and the file names say so, not the
    period's last day, which the records do not reach."""
    import json
    from datetime import date

    from salesmetrics.web.app import create_app

    period = "2026-10-01..2099-12-31"
    # Today where the workspace's records are dated (its time zone), as the answer says it.
    today = date.fromisoformat(json.loads(cli("records", "total_revenue", "--period", period,
                                              "--format", "json").stdout)["as_of"])
    out = tmp_path / "records.xlsx"
    cli("records", "total_revenue", "--period", period, "--format", "xlsx", "--output", str(out))
    cover = {r[0]: r[1] for r in openpyxl.load_workbook(out)["Cover"].iter_rows(min_row=3, values_only=True)}
    assert cover["First day"] == datetime(2026, 10, 1)
    assert cover["Last day"] == datetime.combine(today, datetime.min.time())
    assert cover["As of (end of day)"] == datetime.combine(today, datetime.min.time())
    with TestClient(create_app(cli.db, warm=False, schedules=False)) as client:
        for ext in ("csv", "xlsx"):
            got = client.get(f"/api/v1/records.{ext}", params={"kpi": "total_revenue", "period": period})
            assert got.status_code == 200
            assert got.headers["content-disposition"] == (
                f'attachment; filename="total_revenue-2026-10-01-{today.isoformat()}.{ext}"')
        ended = client.get("/api/v1/records.csv", params={"kpi": "total_revenue", "period": "2026-10"})
        assert 'filename="total_revenue-2026-10-01-2026-10-31.csv"' in ended.headers["content-disposition"]


def test_a_report_by_rep_names_the_reps_beside_their_ids(cli: Cli, tmp_path: Path) -> None:
    """Found by the output tester: a workbook by rep held R001 ... R022 and no name anywhere; the
    records' workbook had a name column. Ids stay (what a lookup joins on), a name beside each."""
    out = tmp_path / "by-rep.xlsx"
    cli("report", "--period", "2026-10", "--by", "rep", "--kpi", "total_revenue", "--format", "xlsx",
        "--output", str(out))
    rows = rows_of(openpyxl.load_workbook(out)["Report"])
    got = {r["rep"].value: (r["rep_name"].value, r["value"].value) for r in rows}  # type: ignore[union-attr]
    assert got == {"jim": ("Jim Halpert", pytest.approx(1000.10)),
                   "ann": ("Ann Perkins", pytest.approx(2000.20)), "bob": ("Bob Vance", 0)}, got
    from salesmetrics.web.app import create_app

    with TestClient(create_app(cli.db, warm=False, schedules=False)) as client:
        got = client.get("/api/v1/report.xlsx", params={"period": "2026-10", "by": "team,product",
                                                        "kpi": "revenue_per_product", "lang": "de"})
        sheet = openpyxl.load_workbook(io.BytesIO(got.content))["Bericht"]
        head = [c.value for c in next(sheet.iter_rows())]
        assert head[2:5] == ["Produkt", "Produktname", "Team"], head  # a team has no name of its own
        names = {r["Produkt"].value: r["Produktname"].value for r in rows_of(sheet)}  # type: ignore[union-attr]
        assert names == {"P1": "Widget", "P2": "Gadget"}
