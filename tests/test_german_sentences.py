"""German sentences write numbers the German way, through Babel (text/numbers.py), and translate
their words (issue 10 follow-up, defect 10): the scorecard's diagnosis, the activities' titles, the
cycle's explanation. On the demo workspace (seed 42, as of 2026-10-15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Cli


def test_the_diagnosis_writes_german_numbers(demo_db: Path) -> None:
    cli = Cli(demo_db, columns=200)
    card = json.loads(cli("scorecard", "R004", "--period", "2026-Q3", "--format", "json").stdout)
    figures = card["diagnosis"]["figures"]
    # R004 in the third quarter: 1,009 activities over 44 closed deals (22.93 each); the team's
    # median rep 11.59.
    assert (figures["activities"], figures["activities_per_closed_deal"]) == (1009, 22.93)
    german = " ".join(cli("scorecard", "R004", "--period", "2026-Q3", "--lang", "de").stdout.split())
    english = " ".join(cli("scorecard", "R004", "--period", "2026-Q3").stdout.split())

    assert "1.009 Aktivitäten (Team-Median 363), 22,93 je abgeschlossenem Deal (Team 11,59)" in german
    assert "1,009 activities (team median 363), 22.93 per closed deal (team 11.59)" in english
    assert "1.009 Aktivitäten" in card["diagnosis"]["text_de"] and "22,93" in card["diagnosis"]["text_de"]


def test_the_activities_titles_are_german(demo_db: Path) -> None:
    cli = Cli(demo_db, columns=200)
    german = " ".join(cli("activities", "--period", "2026-Q3", "--by", "team", "--lang", "de").stdout.split())
    english = " ".join(cli("activities", "--period", "2026-Q3", "--by", "team").stdout.split())

    assert "Team: central, abgeschlossene Deals:" in german and "Termin→Gewinn" in german
    assert "Demo→Gewinn" in german
    assert "meeting→win" not in german and "team: central" not in german
    assert "Team: central, closed deals:" in english and "meeting→win" in english



def test_the_import_says_its_counts_and_problems_in_german(tmp_path: Path) -> None:
    """`import --lang de`: a German team's sales ops reads the refusal, each problem with its
    line, column and value, and then the counts in German; nothing is written by the refusal."""
    cli = Cli(tmp_path / "ws.duckdb", columns=300)
    (tmp_path / "reps.csv").write_text("rep_id;name;team;hired_on\nR1;Anna Berg;Nord;2024-02-01\n",
                                       encoding="utf-8")
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id;rep_id;status;amount;created_at;closed_at\n"
                     "D1;R1;won;1234.50;2026-01-03;2026-02-05\nD2;R1;won;abc;2026-01-03;2026-02-05\n",
                     encoding="utf-8")
    (tmp_path / "notizen.csv").write_text("x;y\n1;2\n", encoding="utf-8")
    refused = cli("import", "--quiet", "--lang", "de", str(tmp_path / "reps.csv"), str(deals),
                  str(tmp_path / "notizen.csv"), ok=False)
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 1
    assert "Import abgelehnt, nichts wurde geschrieben: 2 Problem(e) gefunden." in said
    assert "deals.csv, Zeile 3, Spalte 'amount': keine Zahl;" in said and "(Wert 'abc')" in said
    assert "1 Datei(en) nicht erkannt" in said and "notizen.csv: keine Tabelle heißt 'notizen'" in said
    assert f"salesmetrics import --db {tmp_path / 'ws.duckdb'} --mapping notizen.toml" in said
    assert "line" not in said and "refused" not in said

    deals.write_text(deals.read_text(encoding="utf-8").replace("abc", "100.00"), encoding="utf-8")
    done = " ".join(cli("import", "--quiet", "--lang", "de", str(tmp_path / "reps.csv"),
                        str(deals)).stdout.split())
    assert done.startswith("Importiert in /")  # the title wraps at the table's width
    # Both inserted now: the refusal wrote nothing.
    assert "Tabelle" in done and "unverändert" in done and "deals │ 2 │ 0 │ 0" in done
    assert "reps │ 1 │ 0 │ 0" in done
    assert "Verlauf festgehalten für Deals" in done and "Phase): 2" in done
    assert cli.value("--period", "2026-02", "--kpi", "total_revenue") == 1334.5
    english = " ".join(cli("import", "--quiet", str(deals)).stdout.split())
    assert "deals │ 0 │ 0 │ 2" in english and "unchanged" in english and "Tabelle" not in english


def test_a_spreadsheets_empty_rows_are_skipped_and_said_so(tmp_path: Path) -> None:
    """Excel saves rows it once formatted as ";;;;;": no record, so not five "required value is
    empty" problems a row (a tester's German export), but left out and counted, in German too;
    importing the file again changes nothing. A row with one value is still a row to check."""
    cli = Cli(tmp_path / "ws.duckdb", columns=300)
    (tmp_path / "reps.csv").write_text("rep_id;name;team\nR1;Anna Berg;Nord\n;;\n", encoding="utf-8")
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id;rep_id;status;amount;created_at;closed_at\n;;;;;\n"
                     "D1;R1;won;1.234,50;03.01.2026;05.02.2026\n;;;;;\n ; ;;; ;\n", encoding="utf-8")
    args = ["import", "--quiet", "--decimal-comma", "--date-format", "dd.mm.yyyy",
            str(tmp_path / "reps.csv"), str(deals)]
    done = " ".join(cli(*args, "--lang", "de").stdout.split())
    assert "deals │ 1 │ 0 │ 0" in done and "reps │ 1 │ 0 │ 0" in done
    assert "3 leere Zeilen (kein Wert in den gelesenen Spalten) in" in done
    assert f"{deals} übersprungen" in done
    assert "1 leere Zeilen (kein Wert in den gelesenen Spalten) in" in done
    again = " ".join(cli(*args).stdout.split())
    assert "deals │ 0 │ 0 │ 1" in again
    assert f"skipped 3 empty rows (no value in any column read) in {deals}" in again
    assert cli.value("--period", "2026-02", "--kpi", "total_revenue") == 1234.5

    deals.write_text(deals.read_text(encoding="utf-8").replace(" ; ;;; ;", ";R1;;;;"), encoding="utf-8")
    refused = " ".join(cli(*args, ok=False).stderr.split())
    assert "deals.csv, line 5, column 'deal_id': required value is empty" in refused
    assert "line 3" not in refused and "line 2," not in refused


def test_an_amount_with_its_currency_is_refused_for_the_sign_not_its_separators(tmp_path: Path) -> None:
    """"12.500,00 €" was told to "write plain numbers such as 1234.56 (no thousands separators or
    currency symbols)": a file whose mapping reads 12.500,00 was sent to rewrite every amount (a
    tester). The sign is named as what is in the way, with where the currency goes."""
    cli = Cli(tmp_path / "ws.duckdb", columns=300)
    (tmp_path / "reps.csv").write_text("rep_id;name\nR1;Anna\n", encoding="utf-8")
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id;rep_id;status;amount;created_at;closed_at\n"
                     "D1;R1;won;12.500,00 €;2026-01-03;2026-02-05\n"
                     "D2;R1;won;EUR 1200;2026-01-03;2026-02-05\n", encoding="utf-8")
    args = ["import", "--quiet", str(tmp_path / "reps.csv"), str(deals)]
    said = " ".join(cli(*args, ok=False).stderr.split())
    assert ("line 2, column 'amount': not a number: a currency (€) beside the amount; the currency goes in "
            "a column of its own (currency), not beside the amount (value '12.500,00 €')") in said
    assert "line 3, column 'amount': not a number: a currency (EUR) beside the amount;" in said
    assert "thousands" not in said
    german = " ".join(cli(*args, "--lang", "de", ok=False).stderr.split())
    assert ("Zeile 2, Spalte 'amount': keine Zahl: eine Währung (€) beim Betrag; die Währung gehört in eine "
            "eigene Spalte (currency), nicht neben den Betrag (Wert '12.500,00 €')") in german
    # Under --decimal-comma the sign was said only inside the value; a code without a space, or
    # one of another country, not at all; "12 TBD" is no currency (a tester).
    deals.write_text("deal_id;rep_id;status;amount;created_at;closed_at\n"
                     "D1;R1;won;12.500,00 €;2026-01-03;2026-02-05\n"
                     "D2;R1;won;1200 SEK;2026-01-03;2026-02-05\nD3;R1;won;12 TBD;2026-01-03;2026-02-05\n",
                     encoding="utf-8")
    comma = " ".join(cli(*args, "--decimal-comma", ok=False).stderr.split())
    assert ("line 2, column 'amount': not a number: a currency (€) beside the amount; write numbers such as "
            "1.234,56; the currency goes in a column of its own") in comma
    assert "line 3, column 'amount': not a number: a currency (SEK) beside the amount;" in comma
    assert "line 4, column 'amount': not a number; write numbers such as 1.234,56 (value '12 TBD')" in comma
    german = " ".join(cli(*args, "--decimal-comma", "--lang", "de", ok=False).stderr.split())
    assert ("Zeile 2, Spalte 'amount': keine Zahl: eine Währung (€) beim Betrag; Zahlen schreiben wie "
            "1.234,56; die Währung gehört") in german


def test_a_missing_workspace_and_a_written_file_are_said_in_german(tmp_path: Path, demo_db: Path) -> None:
    """`--lang de` still said "no workspace at ..." and "wrote r.xlsx (19 rows)" in English (a
    tester)."""
    missing = Cli(tmp_path / "nix.duckdb")("report", "--lang", "de", ok=False)
    assert missing.exit_code != 0
    assert (f"kein Arbeitsbereich unter {tmp_path / 'nix.duckdb'}; einen mit `salesmetrics import` oder "
            "`demo` anlegen") in " ".join(missing.stderr.split())
    cli = Cli(demo_db, columns=300)
    book = tmp_path / "r.xlsx"
    wrote = cli("report", "--period", "2026-Q3", "--kpi", "total_revenue", "--by", "team", "--format", "xlsx",
                "--output", str(book), "--lang", "de").stdout
    assert " ".join(wrote.split()) == f"{book} geschrieben (3 Zeilen)"
    page = tmp_path / "d.html"
    assert cli("digest", "--period", "2026-Q3", "--output", str(page), "--lang", "de").stdout.strip() \
        == f"{page} geschrieben"


def test_a_placeholder_date_is_refused_in_german(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "ws.duckdb", columns=300)
    (tmp_path / "reps.csv").write_text("rep_id;name\nR1;Anna Berg\n", encoding="utf-8")
    (tmp_path / "deals.csv").write_text("deal_id;rep_id;status;amount;created_at;closed_at\n"
                                        "D1;R1;won;100.00;0000-01-01;2026-02-05\n", encoding="utf-8")
    refused = cli("import", "--quiet", "--lang", "de", str(tmp_path / "reps.csv"),
                  str(tmp_path / "deals.csv"), ok=False)
    said = " ".join(refused.stderr.split())
    assert ("deals.csv, Zeile 2, Spalte 'created_at': es gibt kein Jahr 0000; ein Platzhalter für "
            "ein unbekanntes Datum? leer lassen") in said


def test_a_probability_and_an_unknown_account_are_refused_in_german(tmp_path: Path) -> None:
    """Found by a tester: the German took the probability's advice into "darf höchstens 1; write a
    share ... sein", and an account not among the accounts was said in English."""
    cli = Cli(tmp_path / "ws.duckdb", columns=300)
    (tmp_path / "accounts.csv").write_text("account_id;name\nA1;Acme\n", encoding="utf-8")
    (tmp_path / "reps.csv").write_text("rep_id;name\nR1;Anna Berg\n", encoding="utf-8")
    (tmp_path / "deals.csv").write_text(
        "deal_id;rep_id;account;status;amount;created_at;probability\n"
        "D1;R1;A1;open;100.00;2026-01-03;50\nD2;R1;A9;open;100.00;2026-01-03;0.5\n", encoding="utf-8")
    refused = cli("import", "--quiet", "--lang", "de", *(str(tmp_path / f"{t}.csv") for t in
                                                         ("accounts", "reps", "deals")), ok=False)
    said = " ".join(refused.stderr.split())
    assert ("Spalte 'probability': darf höchstens 1 sein; einen Anteil von 0 bis 1 (0.6) oder einen "
            "Prozentwert mit Zeichen (60%) schreiben") in said
    assert ("Spalte 'account': nicht gefunden in accounts: Sobald accounts importiert sind, muss account "
            "eines Datensatzes (deal) eine ihrer account_id sein") in said
    assert "write" not in said and "once" not in said


def test_a_forecast_by_what_it_is_not_by_is_refused_in_german(demo_db: Path) -> None:
    refused = Cli(demo_db)("forecast", "--by", "segment", "--lang", "de", ok=False)
    assert refused.exit_code == 2
    assert ("die Prognose gibt es nach Mitarbeiter oder Team, nicht nach 'segment'"
            in " ".join(refused.stderr.split()))
    # So are losses, the funnel and the activities, in the command and the API (a tester: English).
    for command, said in (("losses", "Verluste gibt es nach Mitarbeiter, Team oder Segment, nicht nach"),
                          ("funnel", "den Trichter gibt es nach Mitarbeiter, Team oder Pipeline, nicht nach"),
                          ("activities", "die Wirkung der Aktivitäten gibt es nach Mitarbeiter oder Team, "
                                         "nicht nach")):
        refused = Cli(demo_db)(command, "--by", "industry", "--lang", "de", ok=False)
        assert refused.exit_code == 2 and f"{said} 'industry'" in " ".join(refused.stderr.split())
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    with TestClient(create_app(demo_db, warm=False, schedules=False)) as client:
        api = client.get("/api/v1/losses", params={"by": "industry", "lang": "de"})
    assert api.status_code == 400
    assert api.json()["error"]["message"].startswith("Verluste gibt es nach Mitarbeiter, Team oder Segment")


CRM = Path(__file__).parent / "fixtures" / "crm"


def test_the_import_says_what_is_wrong_with_whole_files_in_german(tmp_path: Path) -> None:
    """`import --lang de` beyond single values: a file whose dates could be read two ways, a CRM
    export given without --from, a file that is no text, and an export's rows left out on purpose."""
    cli = Cli(tmp_path / "ws.duckdb", columns=300)
    # A HubSpot export whose dates put no day above the 12th: 03/04/2026 is March 4th or April 3rd.
    (tmp_path / "hubspot").mkdir()
    (tmp_path / "hubspot" / "deals.csv").write_text(
        "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,Deal owner\n"
        "9001,Acme renewal,Closed Won,Sales Pipeline,12000,03/04/2026,03/04/2026,Jane Doe\n",
        encoding="utf-8")
    said = " ".join(cli("import", "--quiet", "--lang", "de", "--from", "hubspot",
                        str(tmp_path / "hubspot"), ok=False).stderr.split())
    assert ("mehrdeutiges Datum: '03/04/2026' kann Tag/Monat oder Monat/Tag sein, und kein Wert der "
            "Datei entscheidet es; --date-format dd/mm/yyyy oder --date-format mm/dd/yyyy angeben") in said
    assert "ambiguous" not in said and "could be" not in said

    said = " ".join(cli("import", "--quiet", "--lang", "de", str(CRM / "close" / "opportunities.csv"),
                        ok=False).stderr.split())
    assert ("das sieht aus wie ein Close-Export (Close opportunities); mit --from close importieren"
            in said)
    (tmp_path / "reps.csv").write_bytes(b"rep_id\x00\x01name\n" * 20)  # binary data: many NULs
    said = " ".join(cli("import", "--quiet", "--lang", "de", str(tmp_path / "reps.csv"),
                        ok=False).stderr.split())
    assert "keine CSV-Textdatei (Binärdaten oder ein UTF-16-Export); als CSV (UTF-8) speichern" in said
    (tmp_path / "reps.csv").write_bytes(b"rep_id\x00name\n")  # one stray NUL: its line
    said = " ".join(cli("import", "--quiet", "--lang", "de", str(tmp_path / "reps.csv"),
                        ok=False).stderr.split())
    assert "reps.csv, Zeile 1: enthält ein NUL-Byte (Binärdaten, kein Text)" in said

    done = " ".join(cli("import", "--quiet", "--lang", "de", "--from", "pipedrive",
                        str(CRM / "pipedrive")).stdout.split())
    assert f"1 gelöschte Deals in {CRM / 'pipedrive' / 'deals.csv'} übersprungen" in done
    assert (f"1 noch nicht erledigte Aktivitäten (geplant) in {CRM / 'pipedrive' / 'activities.csv'} "
            "übersprungen") in done
    english = " ".join(cli("import", "--quiet", "--from", "pipedrive", str(CRM / "pipedrive")).stdout.split())
    assert f"skipped 1 deleted deals in {CRM / 'pipedrive' / 'deals.csv'}" in english


def test_a_period_named_relative_to_today_is_said_in_german(demo_db: Path) -> None:
    """'this-quarter' and 'last-month' are what a user types; a German reader reads 'Dieses Quartal'
    in titles and sentences, as the dashboard's period choices say them."""
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    cli = Cli(demo_db, columns=200)
    as_of = ("--as-of", "2026-10-15")
    forecast = " ".join(cli("forecast", "--period", "this-quarter", *as_of, "--lang", "de").stdout.split())
    assert "Prognose Dieses Quartal" in forecast and "this-quarter" not in forecast
    losses = " ".join(cli("losses", "--period", "last-month", *as_of, "--lang", "de").stdout.split())
    assert "Letzter Monat" in losses and "last-month" not in losses
    week = " ".join(cli("losses", "--period", "last-week", *as_of, "--lang", "de").stdout.split())
    assert "Letzte Woche" in week
    days = " ".join(cli("losses", "--period", "last-30-days", *as_of, "--lang", "de").stdout.split())
    assert "Letzte 30 Tage bis 15.10.2026" in days
    english = " ".join(cli("forecast", "--period", "this-quarter", *as_of).stdout.split())
    assert "Forecast this-quarter (2026-10-01..2026-12-31)" in english  # as typed: scripts read it
    with TestClient(create_app(demo_db, warm=False)) as client:
        page = client.get("/forecast", params={"period": "this-quarter", "as_of": "2026-10-15", "lang": "de"})
    assert page.status_code == 200
    # The page names it in the reader's dates, its chart's title (what a screen reader says) too.
    assert "Prognose: 1. Okt.\u2009–\u200931. Dez. 2026</h2>" in page.text
    assert 'aria-label="Prognose: 1. Okt.' in page.text
    assert 'aria-label="Prognose this-quarter' not in page.text


def test_an_unknown_kpi_or_grouping_is_refused_in_german(demo_db: Path) -> None:
    cli = Cli(demo_db, columns=200)
    kpi = cli("report", "--period", "2026-09", "--kpi", "umsatz", "--lang", "de", ok=False)
    assert kpi.exit_code == 2
    assert "unbekannte Kennzahl 'umsatz'; bekannte Kennzahlen: total_revenue," in " ".join(kpi.stderr.split())
    by = cli("report", "--period", "2026-09", "--by", "verkäufer", "--lang", "de", ok=False)
    said = " ".join(by.stderr.split())
    assert "Gruppieren nach 'verkäufer' geht nicht; Dimensionen sind: rep, team," in said
    english = cli("report", "--period", "2026-09", "--kpi", "umsatz", ok=False)
    assert "unknown KPI 'umsatz'; known KPIs: total_revenue," in " ".join(english.stderr.split())


def test_the_records_behind_a_figure_read_in_german(demo_db: Path) -> None:
    cli = Cli(demo_db, columns=240)
    asked = ("records", "win_rate", "--period", "2026-09")
    german = " ".join(cli(*asked, "--lang", "de", "--limit", "5").stdout.split())
    assert german.startswith("Gewinnrate (abgeschlossen) 2026-09:")
    assert "┃ Deal ┃ Abgeschlossen" in german and "┃ Betrag ┃" in german
    assert ("gewonnen" in german or "verloren" in german) and " won " not in german
    rows = json.loads(cli(*asked, "--format", "json").stdout)["rows"][:5]
    first = rows[0]["amount"]
    # 1234.5 is written 1.234,50 in German.
    whole, cents = f"{first:.2f}".split(".")
    assert f"{int(whole):,}".replace(",", ".") + "," + cents in german


@pytest.mark.parametrize(("p", "en", "de"), [
    (0.0001, "p < 0.001", "p < 0,001"),
    (0.034, "p = 0.034", "p = 0,034"),
    # Just under the 5 % level: rounded it read "p = 0.050" beside "beyond noise".
    (200 / 4001, "p < 0.05", "p < 0,05"),
    (0.0501, "p = 0.050", "p = 0,050"),
])
def test_a_p_value_never_reads_as_the_level_it_is_under(p: float, en: str, de: str) -> None:
    from salesmetrics.text.digest import format_p
    from salesmetrics.text.programs import p_text

    assert p_text(p) == en and p_text(p, "de") == de
    assert format_p(p, "en") == en.replace("0.050", "0.05")  # the digest drops trailing zeros


def test_what_a_german_reader_is_given_writes_days_and_numbers_in_german(demo_db: Path,
                                                                        tmp_path: Path) -> None:
    """Found by a tester playing a German sales leader: the records' moments, the funnel's cycle,
    a probability's source, the titles' days and the digest's chart were written the English way."""
    import re

    cli = Cli(demo_db, columns=250)
    records = cli("records", "win_rate", "--period", "2026-09", "--lang", "de").stdout
    assert re.search(r"\b\d\d\.09\.2026 \d\d:\d\d\b", records)
    assert not re.search(r"2026-\d\d-\d\d \d\d:\d\d:\d\d", records)
    funnel = cli("funnel", "--period", "2026-09", "--lang", "de").stdout
    cycle = next(line for line in funnel.splitlines() if "Zyklus (Tage)" in line)
    assert re.search(r"\d+,\d\b", cycle) and not re.search(r"\d\.\d", cycle), cycle
    assert "(Verlauf)" in funnel and "(history)" not in funnel
    report = cli("report", "--period", "2026-09", "--kpi", "total_revenue", "--compare", "--lang", "de")
    assert "Kennzahlen 01.09.2026 – 30.09.2026, gegenüber 01.08.2026 – 31.08.2026" in report.stdout
    cli("digest", "--period", "2026-Q3", "--lang", "de", "--output", str(tmp_path / "d.html"))
    digest = (tmp_path / "d.html").read_text(encoding="utf-8")
    caption = re.search(r"Umsatz nach Monat, ([^<]*)</p>", digest)
    assert caption is not None and caption[1].startswith("Okt. 2025 bis Sept. 2026: höchster Wert "), caption
    assert "(Juni 2026)" in caption[1]


def test_the_api_words_each_import_problem_in_german(tmp_path: Path) -> None:
    """`POST /api/v1/import?lang=de` answered a German summary over English problems ("must be one of
    open, won, lost"); the upload page words them (a German first-use tester)."""
    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    cli = Cli(tmp_path / "ws.duckdb")
    (tmp_path / "reps.csv").write_text("rep_id;name\nr1;A\n", encoding="utf-8")
    cli.import_(tmp_path / "reps.csv")
    deals = "deal_id;rep_id;account;created_at;closed_at;status;amount\nx1;r1;A;2026-10-01;;offen;1.000,00\n"
    with TestClient(create_app(cli.db, warm=False)) as client:
        for asked in ({"params": {"lang": "de"}}, {"headers": {"Accept-Language": "de-DE"}}):
            refused = client.post("/api/v1/import", files=[("files", ("deals.csv", deals.encode()))],
                                  data={"decimal_comma": "true"}, **asked)  # type: ignore[arg-type]
            assert refused.status_code == 422, refused.text
            problems = refused.json()["error"]["problems"]
            assert [(p["line"], p["column"], p["message"]) for p in problems] == [
                (2, "status", "muss einer dieser Werte sein: open, won, lost; eigene Wörter? ein Mapping "
                              "schreiben, das jeden Wert von status zuordnet (`salesmetrics import --inspect "
                              "DATEI` schlägt eines vor)")], problems


def test_a_file_named_for_a_table_but_someone_elses_is_said_in_german(tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text("Kunde;Betrag\nA;1\n", encoding="utf-8")
    refused = Cli(tmp_path / "ws.duckdb")("import", "--lang", "de", str(tmp_path / "deals.csv"), ok=False)
    said = " ".join(refused.stderr.split())
    assert ("deals.csv: nach deals benannt, aber ihre Kopfzeile (Kunde, Betrag) hat keine ihrer "
            "Pflichtspalten (deal_id, rep_id, created_at, status, amount)") in said
    assert "named for" not in said


def test_a_german_page_s_period_field_is_written_in_german(demo_db: Path) -> None:
    """The period fields of the German pages showed "last-month" and "this-quarter", where their help
    proposes "letzte-30-tage" (the phone tester): written as a German types it, and read back alike."""
    import re

    from fastapi.testclient import TestClient

    from salesmetrics.web.app import create_app

    def tiles(page: str) -> list[str]:
        return re.findall(r'data-kpi="(\w+)" data-value="([^"]*)"', page)

    with TestClient(create_app(demo_db, warm=False)) as client:
        german = client.get("/", params={"lang": "de", "as_of": "2026-10-15"}).text
        assert 'name="period" value="letzter-monat"' in german
        assert 'data-default-period="letzter-monat"' in german
        assert '<option value="dieses-quartal">Dieses Quartal</option>' in german
        again = client.get("/", params={"lang": "de", "as_of": "2026-10-15", "period": "letzter-monat"}).text
        assert tiles(again) == tiles(german) and len(tiles(german)) >= 6
        forecast = client.get("/forecast", params={"lang": "de", "as_of": "2026-10-15"}).text
        assert 'name="period" value="dieses-quartal"' in forecast
        english = client.get("/", params={"lang": "en", "as_of": "2026-10-15"}).text
        assert 'name="period" value="last-month"' in english


def test_a_file_with_a_header_and_no_rows_is_said(tmp_path: Path) -> None:
    """An export filtered to nothing imported "0 new" without a word (a German first-use tester)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "reps.csv").write_text("rep_id;name\nr1;Anna\n", encoding="utf-8")
    (tmp_path / "in" / "deals.csv").write_text("deal_id;rep_id;created_at;closed_at;status;amount\n",
                                               encoding="utf-8")
    cli = Cli(tmp_path / "ws.duckdb", columns=200)
    said = " ".join(cli("import", "--lang", "de", str(tmp_path / "in")).stdout.split())
    assert "deals.csv hat eine Kopfzeile und keine Zeilen: nichts daraus wurde importiert" in said
    assert "reps.csv hat" not in said
    from salesmetrics import Workspace

    with Workspace.open(cli.db) as ws:
        summary = ws.import_files(tmp_path / "in")
    assert summary.as_json()["files_without_rows"] == [str(tmp_path / "in" / "deals.csv")]
