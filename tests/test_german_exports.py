"""A German sales leader's exports: dates with two-digit years ("3.9.26"), which a four-digit format
read as the year 26 without a word, and `import --inspect` proposing the date format the file
writes when its amounts leave the decimal open."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import Cli

HEADER = "Nr;Verkäufer;Erstellt am;Abgeschlossen am;Status;Betrag\n"


def _said(result: object) -> str:
    return " ".join(str(getattr(result, "stderr", "")).split())


def test_a_two_digit_year_is_refused_by_a_four_digit_format_and_read_by_a_two_digit_one(
        cli: Cli, tmp_path: Path) -> None:
    deals = tmp_path / "deals.csv"
    deals.write_text(HEADER + "1;Anna;3.9.26;3.11.26;won;1.234,56\n2;Anna;4.9.26;5.11.26;lost;700,00\n",
                     encoding="utf-8")
    mapping = tmp_path / "deals.toml"
    proposed = cli("import", "--inspect", str(deals)).stdout
    mapping.write_text(proposed.replace('thousands = "."', 'thousands = "."\ndate_format = "dd.mm.yyyy"'),
                       encoding="utf-8")
    refused = cli("import", "--quiet", "--mapping", str(mapping), str(deals), ok=False)
    assert refused.exit_code == 1
    assert ("deals.csv, line 2, column 'Erstellt am': not a date and time in the format dd.mm.yyyy; a year "
            "of two digits? the format dd.mm.yy reads it (value '3.9.26')") in _said(refused)
    german = cli("import", "--quiet", "--lang", "de", "--mapping", str(mapping), str(deals), ok=False)
    assert ("Spalte 'Erstellt am': kein Datum mit Uhrzeit im Format dd.mm.yyyy; eine zweistellige "
            "Jahreszahl? das Format dd.mm.yy liest sie (Wert '3.9.26')") in _said(german)
    with_format = cli("import", "--quiet", "--date-format", "dd.mm.yyyy", "--mapping", str(mapping),
                      str(deals), ok=False)
    assert "a year of two digits? the format dd.mm.yy reads it" in _said(with_format)
    # Nothing was written; read as two digits, the deals are November 2026's.
    assert not cli.db.exists()
    mapping.write_text(proposed.replace('thousands = "."', 'thousands = "."\ndate_format = "dd.mm.yy"'),
                       encoding="utf-8")
    cli("import", "--quiet", "--mapping", str(mapping), str(deals))
    assert cli.value("--period", "2026-11", "--kpi", "total_revenue") == 1234.56


def _refused_in_german(cli: Cli, folder: Path, line: str) -> str:
    """One deal's line imported with the mapping --inspect proposes for it, under --lang de: refused."""
    deals = folder / "deals.csv"
    deals.write_text(HEADER + line + "\n", encoding="utf-8")
    mapping = folder / "deals.toml"
    mapping.write_text(cli("import", "--inspect", str(deals)).stdout, encoding="utf-8")
    return _said(cli("import", "--quiet", "--lang", "de", "--mapping", str(mapping), str(deals), ok=False))


def test_a_two_digit_year_without_a_format_names_the_one_that_reads_it(cli: Cli, tmp_path: Path) -> None:
    said = _refused_in_german(cli, tmp_path, "1;Anna;3.9.26;3.11.26;won;1.234,56")
    assert "ein Datum wie 31.12.26? mit --date-format dd.mm.yy importieren (Wert '3.9.26')" in said


def test_inspect_proposes_the_date_format_the_file_writes_when_amounts_leave_the_decimal_open(
        cli: Cli, tmp_path: Path) -> None:
    """Every amount is '12.000'-like (a thousand or twelve?) and every day is 12 or less: the decimal
    is left to the user, but dotted dates are day first, as everyone writes them, and the proposal
    says so instead of a commented 'dd/mm/yyyy' that would refuse every date."""
    deals = tmp_path / "deals.csv"
    deals.write_text(HEADER + "1;Anna;03.09.2026;03.11.2026;won;12.000\n2;Anna;04.09.2026;05.11.2026;lost;"
                     "7.000\n", encoding="utf-8")
    proposed = cli("import", "--inspect", str(deals)).stdout
    assert 'date_format = "dd.mm.yyyy"\n' in proposed
    assert '# decimal = ","' in proposed and "dd/mm/yyyy" not in proposed
    mapping = tmp_path / "deals.toml"
    mapping.write_text(proposed.replace('# decimal = ","', 'decimal = ","\nthousands = "."'),
                       encoding="utf-8")
    cli("import", "--quiet", "--mapping", str(mapping), str(deals))
    rows = json.loads(cli("records", "total_revenue", "--period", "2026-11", "--format", "json").stdout)
    assert [(r["amount"], r["closed_at"][:10]) for r in rows["rows"]] == [(12000, "2026-11-03")]


def test_a_refund_is_refused_in_german_too(cli: Cli, tmp_path: Path) -> None:
    said = _refused_in_german(cli, tmp_path, "1;Anna;03.09.2026;03.11.2026;won;-50,00")
    assert ("negativer Betrag; ein Deal ist, was ein Kunde zu zahlen zusagt (Erstattungen und Gutschriften "
            "sind keine Deals: aus dem Export weglassen)") in said


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


WORKBOOK_HEADER: list[object] = ["Nr", "Verkäufer", "Erstellt am", "Abgeschlossen am", "Status", "Betrag"]


def test_a_number_cell_is_the_number_it_holds_whatever_the_text_cells_write(cli: Cli, tmp_path: Path) -> None:
    """Excel keeps a number cell's value, not its look: 1234.5 shown as 1.234,50 in German Excel.
    Beside text cells written '1.234,56' the file is read with a decimal comma; a number cell was
    written out with a decimal point and then read that way: 2.125 as 2125.00, and 1234.5 refused as
    'not a number' under --decimal-comma, a value the user never typed."""
    book = _workbook(tmp_path / "deals.xlsx", [
        WORKBOOK_HEADER,
        [1, "Anna", "03.11.2026", "10.11.2026", "won", 1234.5],
        [2, "Anna", "03.11.2026", "11.11.2026", "won", "1.234,56"],
        [3, "Anna", "03.11.2026", "12.11.2026", "won", 5000]])
    mapping = tmp_path / "deals.toml"
    mapping.write_text(cli("import", "--inspect", str(book)).stdout, encoding="utf-8")
    assert 'decimal = ","' in mapping.read_text(encoding="utf-8")
    cli("import", "--quiet", "--mapping", str(mapping), str(book))
    assert cli.value("--period", "2026-11", "--kpi", "total_revenue") == 7469.06
    # Told by the option, too: the number cell is 1234.50, not refused.
    again = _workbook(tmp_path / "again.xlsx",
                      [WORKBOOK_HEADER, [4, "Anna", "03.11.2026", "13.11.2026", "won", 99.5]])
    cli("import", "--quiet", "--decimal-comma", "--mapping", str(mapping), str(again))
    assert cli.value("--period", "2026-11", "--kpi", "total_revenue") == 7568.56


def test_a_number_cell_with_three_decimals_is_never_read_as_thousands(cli: Cli, tmp_path: Path) -> None:
    book = _workbook(tmp_path / "deals.xlsx", [
        WORKBOOK_HEADER,
        [1, "Anna", "03.11.2026", "10.11.2026", "won", 2.125],
        [2, "Anna", "03.11.2026", "11.11.2026", "won", "1.234,56"]])
    mapping = tmp_path / "deals.toml"
    mapping.write_text(cli("import", "--inspect", str(book)).stdout, encoding="utf-8")
    refused = cli("import", "--quiet", "--mapping", str(mapping), str(book), ok=False)
    said = " ".join(refused.stderr.split())
    assert "deals.xlsx, line 2, column 'Betrag': more than 2 decimal places; values must be exact" in said
    assert "(value '2,125')" in said
    assert not cli.db.exists()  # nothing written


def test_inspect_reads_a_german_hire_date_column(cli: Cli, tmp_path: Path) -> None:
    reps = tmp_path / "mitarbeiter.csv"
    reps.write_text("ID;Name;Team;Eintritt\nv1;Anna;Nord;01.03.2025\n", encoding="utf-8")
    proposed = cli("import", "--inspect", str(reps)).stdout
    assert 'table = "reps"' in proposed and 'hired_on = "Eintritt"' in proposed


def test_excel_date_cells_are_read_as_the_dates_they_show(cli: Cli, tmp_path: Path) -> None:
    """openpyxl gives a date cell as a datetime at midnight, which was written '2025-01-01 00:00:00'
    and refused by every date-only column (a quota's days, a hire date) as a value the user never
    typed; a date-and-time column reads it as that midnight, as before."""
    from datetime import date, datetime

    folder = tmp_path / "book"
    folder.mkdir()
    _workbook(folder / "reps.xlsx", [["rep_id", "name", "team", "hired_on"],
                                     ["r1", "Anna Müller", "nord", date(2024, 1, 15)]])
    _workbook(folder / "deals.xlsx", [
        ["deal_id", "rep_id", "created_at", "closed_at", "status", "amount", "currency"],
        ["d1", "r1", datetime(2025, 1, 2), datetime(2025, 1, 31, 23, 30), "won", 4500, "EUR"],
        ["d2", "r1", datetime(2025, 1, 3), datetime(2025, 2, 1), "won", 1000, "EUR"]])
    _workbook(folder / "quotas.xlsx", [["rep_id", "period_start", "period_end", "amount", "currency"],
                                       ["r1", date(2025, 1, 1), date(2025, 3, 31), 9000, "EUR"]])
    cli("import", "--quiet", str(folder))
    assert cli.value("--period", "2025-01", "--kpi", "total_revenue") == 4500.0  # d2 closed on Feb 1
    # 5,500 of 9,000 over the quarter's quota.
    assert cli.value("--period", "2025-Q1", "--kpi", "quota_attainment") == 0.611111
    hired = json.loads(cli("rep", "r1", "--period", "2025-Q1", "--format", "json").stdout)
    assert hired["hired_on"] == "2024-01-15"


def test_a_csv_saved_by_excel_with_nameless_columns_at_the_end_is_read(cli: Cli, tmp_path: Path) -> None:
    """Excel saves a column for each cell right of the table it ever formatted ("amount;;"): refused
    as "column 8 has no name"; the workbook itself was read. A nameless column between named ones is
    still refused (a header cell deleted by mistake)."""
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "reps.csv").write_text("rep_id;name;team;;\nr1;Anna;nord;;\n", encoding="utf-8")
    (folder / "deals.csv").write_text(
        "deal_id;rep_id;created_at;closed_at;status;amount;currency;;\n"
        "d1;r1;2025-01-02;2025-01-05;won;100,50;EUR;;\nd2;r1;2025-01-02;2025-01-06;won;50,00;EUR;;\n",
        encoding="utf-8")
    cli("import", "--quiet", "--decimal-comma", str(folder))
    assert cli.value("--period", "2025-01", "--kpi", "total_revenue") == 150.5
    (folder / "deals.csv").write_text("deal_id;rep_id;;closed_at;status;amount;currency\n"
                                      "d3;r1;2025-01-02;2025-01-05;won;1,00;EUR\n", encoding="utf-8")
    refused = cli("import", "--quiet", "--decimal-comma", str(folder / "deals.csv"), ok=False)
    assert "column 3 has no name" in " ".join(refused.stderr.split())


def test_advice_never_names_what_was_done_already(cli: Cli, tmp_path: Path) -> None:
    """Under --decimal-comma, 12,345 (three decimals) was told "a decimal comma? import with
    --decimal-comma"; a canonical deals file named d1.csv, given without --from, was told to import
    it "without --from or --mapping"."""
    folder = tmp_path / "advice"
    folder.mkdir()
    (folder / "reps.csv").write_text("rep_id;name;team\nr1;Anna;nord\n", encoding="utf-8")
    (folder / "deals.csv").write_text("deal_id;rep_id;created_at;closed_at;status;amount;currency\n"
                                      "d1;r1;2025-01-01;2025-01-05;won;12,345;EUR\n", encoding="utf-8")
    said = _said(cli("import", "--decimal-comma", str(folder), ok=False))
    assert ("line 2, column 'amount': more than 2 decimal places; values must be exact "
            "(value '12,345')") in said
    assert "--decimal-comma?" not in said and "import with --decimal-comma" not in said
    misnamed = tmp_path / "d1.csv"
    misnamed.write_text("deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
                        "d1,r1,2025-01-01,2025-01-05,won,12.34,EUR\n", encoding="utf-8")
    for lang, advice in (("en", "d1.csv: this looks like a canonical deals file; name it deals.csv"),
                         ("de", "d1.csv: das sieht aus wie eine Standarddatei für deals; benennen Sie sie "
                                "deals.csv")):
        said = _said(cli("import", "--lang", lang, str(misnamed), ok=False))
        assert advice in said and "--from" not in said, said


def test_a_month_first_date_in_a_day_first_file_is_named(tmp_path: Path) -> None:
    """06/25/2026 read with --date-format dd/mm/yyyy was said to be "a year of two digits?" alone
    (the analyst tester): with slashes, a month first is the likelier slip, and both are named."""
    (tmp_path / "reps.csv").write_text("rep_id\nr1\n", encoding="utf-8")
    (tmp_path / "deals.csv").write_text("deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
                                        "d1,r1,24/06/2026,,open,10.00,USD\nd2,r1,06/25/2026,,open,10.00,USD\n",
                                        encoding="utf-8")
    cli = Cli(tmp_path / "work.duckdb")
    files = (str(tmp_path / "reps.csv"), str(tmp_path / "deals.csv"))
    refused = cli("import", "--quiet", "--date-format", "dd/mm/yyyy", *files, ok=False)
    # Its year has four digits: not asked whether it has two.
    assert ("line 3, column 'created_at': not a date and time in the format dd/mm/yyyy; the month first? "
            "the format mm/dd/yyyy reads it (value '06/25/2026')") in _said(refused)
    german = cli("import", "--quiet", "--lang", "de", "--date-format", "dd/mm/yyyy", *files, ok=False)
    assert "der Monat zuerst? das Format mm/dd/yyyy liest ihn (Wert '06/25/2026')" in _said(german)
    # Read month first, the day first is the slip named.
    american = cli("import", "--quiet", "--date-format", "mm/dd/yyyy", *files, ok=False)
    assert ("line 2, column 'created_at': not a date and time in the format mm/dd/yyyy; the day first? the "
            "format dd/mm/yyyy reads it (value '24/06/2026')") in _said(american)
    # A year of two digits too: both said, in German whole (a greedy pattern left the year's English).
    (tmp_path / "deals.csv").write_text("deal_id,rep_id,created_at,closed_at,status,amount,currency\n"
                                        "d1,r1,06/25/26,,open,10.00,USD\n", encoding="utf-8")
    german = cli("import", "--quiet", "--lang", "de", "--date-format", "dd/mm/yyyy", *files, ok=False)
    assert ("kein Datum mit Uhrzeit im Format dd/mm/yyyy; eine zweistellige Jahreszahl? das Format dd/mm/yy "
            "liest sie; der Monat zuerst? das Format mm/dd/yyyy liest ihn (Wert '06/25/26')") in _said(german)


def test_an_hour_past_the_day_is_named_not_a_year_of_two_digits(tmp_path: Path) -> None:
    """30.09.2026 24:00 was asked whether its year had two digits, which dd.mm.yy would not read
    either (a German first-use tester)."""
    (tmp_path / "reps.csv").write_text("rep_id\nr1\n", encoding="utf-8")
    (tmp_path / "deals.csv").write_text(
        "deal_id;rep_id;created_at;closed_at;status;amount\n"
        "d1;r1;01.09.2026 10:00;30.09.2026 24:00;won;10\nd2;r1;01.09.26 10:00;30.09.2026 10:00;won;10\n",
        encoding="utf-8")
    cli = Cli(tmp_path / "work.duckdb")
    files = (str(tmp_path / "reps.csv"), str(tmp_path / "deals.csv"))
    refused = _said(cli("import", "--quiet", "--date-format", "dd.mm.yyyy HH:MM", *files, ok=False))
    assert ("line 2, column 'closed_at': not a date and time: no such time as 24:00; a day runs from 00:00 "
            "to 23:59 (24:00 is 00:00 of the next day) (value '30.09.2026 24:00')") in refused
    assert ("line 3, column 'created_at': not a date and time in the format dd.mm.yyyy HH:MM; a year of two "
            "digits? the format dd.mm.yy HH:MM reads it (value '01.09.26 10:00')") in refused
    german = _said(cli("import", "--quiet", "--lang", "de", "--date-format", "dd.mm.yyyy HH:MM", *files,
                       ok=False))
    assert "kein Datum mit Uhrzeit: die Uhrzeit 24:00 gibt es nicht; ein Tag reicht von 00:00 bis" in german
    # ISO 8601 too: DuckDB read 2026-10-31 24:00 as November 1st, a deal moved into the next month.
    (tmp_path / "deals.csv").write_text("deal_id;rep_id;created_at;closed_at;status;amount\n"
                                        "d1;r1;2026-09-01;2026-10-31 24:00;won;10\n", encoding="utf-8")
    iso = _said(cli("import", "--quiet", *files, ok=False))
    assert ("line 2, column 'closed_at': not a date and time: no such time as 24:00; a day runs from 00:00 "
            "to 23:59 (24:00 is 00:00 of the next day) (value '2026-10-31 24:00')") in iso
