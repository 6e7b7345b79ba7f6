"""A mapping file's ``[format]`` says how its files are opened, as docs/mapping.md promises: the
encoding, the delimiter and, for a workbook, the sheet. The file was opened as the command line
said before the mapping was chosen, so a cp1252 file mapped with ``encoding = "cp1252"`` was refused
as "not UTF-8 text", and ``sheet = "Deals"`` read the first sheet."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from helpers import Cli, write_csv
from salesmetrics.workspace import Workspace

MAPPING = """table = "deals"

[format]
encoding = "cp1252"
delimiter = ";"
decimal = ","
date_format = "dd.mm.yyyy"
{sheet}

[columns]
deal_id = "Nr"
rep_id = "Verkäufer"
created_at = "Erstellt am"
closed_at = "Abgeschlossen am"
status = "Status"
amount = "Betrag"
currency = {{ value = "EUR" }}

[values.status]
"Gewonnen" = "won"
"Verloren" = "lost"
"""

ROWS = [("A-1", "Jürgen", "02.01.2026", "15.01.2026", "Gewonnen", "1.234,56"),
        ("A-2", "Jürgen", "03.01.2026", "20.01.2026", "Verloren", "99,90")]
HEADER = ("Nr", "Verkäufer", "Erstellt am", "Abgeschlossen am", "Status", "Betrag")


def _deals(cli: Cli) -> list[tuple[Any, ...]]:
    with Workspace.open(cli.db, read_only=True) as ws:
        return ws.connection.execute("SELECT deal_id, rep_id, status, amount, CAST(closed_at AS DATE) "
                                     "FROM deals ORDER BY 1").fetchall()


EXPECTED = [("A-1", "Jürgen", "won", Decimal("1234.56"), date(2026, 1, 15)),
            ("A-2", "Jürgen", "lost", Decimal("99.90"), date(2026, 1, 20))]


def _reps(cli: Cli, tmp_path: Path) -> None:
    cli.import_(write_csv(tmp_path / "reps" / "reps.csv", [{"rep_id": "Jürgen", "name": "Jürgen Weiß"}]))


def _cp1252(path: Path) -> Path:
    text = "\r\n".join(";".join(row) for row in [HEADER, *ROWS]) + "\r\n"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_a_mapping_says_the_encoding_and_delimiter_its_file_is_opened_with(cli: Cli, tmp_path: Path) -> None:
    mapping = tmp_path / "erp.toml"
    mapping.write_text(MAPPING.format(sheet=""), encoding="utf-8")
    _reps(cli, tmp_path)
    result = cli("import", "--mapping", str(mapping), str(_cp1252(tmp_path / "export.csv")))
    assert "deals" in result.stdout
    assert _deals(cli) == EXPECTED
    # Imported again, the same file changes nothing.
    cli("import", "--quiet", "--mapping", str(mapping), str(_cp1252(tmp_path / "export.csv")))
    assert _deals(cli) == EXPECTED


def test_the_command_line_still_wins_over_the_mapping(cli: Cli, tmp_path: Path) -> None:
    mapping = tmp_path / "erp.toml"
    mapping.write_text(MAPPING.format(sheet=""), encoding="utf-8")
    utf8 = tmp_path / "export.csv"
    utf8.write_text("\n".join(";".join(row) for row in [HEADER, *ROWS]) + "\n", encoding="utf-8")
    _reps(cli, tmp_path)
    cli("import", "--quiet", "--encoding", "utf-8", "--mapping", str(mapping), str(utf8))
    assert _deals(cli) == EXPECTED


def _workbook(path: Path, sheets: dict[str, list[tuple[str, ...]]]) -> Path:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def _mapped_to_sheet(cli: Cli, tmp_path: Path, sheet: str) -> Path:
    mapping = tmp_path / "erp.toml"
    mapping.write_text(MAPPING.format(sheet=f'sheet = "{sheet}"'), encoding="utf-8")
    _reps(cli, tmp_path)
    return mapping


def test_a_mapping_says_the_sheet_of_a_workbook(cli: Cli, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "export.xlsx", {"Notes": [("Exported by the ERP on 2026-02-01",)],
                                                 "Deals": [HEADER, *ROWS]})
    mapping = _mapped_to_sheet(cli, tmp_path, "Deals")
    cli("import", "--quiet", "--mapping", str(mapping), str(path))
    assert _deals(cli) == EXPECTED


def test_a_file_no_mapping_opens_is_refused_as_before(cli: Cli, tmp_path: Path) -> None:
    """A file that neither UTF-8 nor the mapping's encoding reads is still refused, naming the way
    out; nothing is written."""
    mapping = tmp_path / "erp.toml"
    mapping.write_text(MAPPING.format(sheet="").replace('encoding = "cp1252"\n', ""), encoding="utf-8")
    result = cli("import", "--mapping", str(mapping), str(_cp1252(tmp_path / "export.csv")), ok=False)
    assert result.exit_code != 0
    assert "not UTF-8" in " ".join(result.output.split()) and "--encoding" in result.output
    assert not cli.db.exists()  # nothing written, not even an empty workspace


def test_a_sheet_the_workbook_lacks_is_said_not_passed_over(cli: Cli, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "export.xlsx", {"Deals 2025": [HEADER, *ROWS]})
    mapping = _mapped_to_sheet(cli, tmp_path, "Deals 2026 (final)")
    result = cli("import", "--mapping", str(mapping), str(path), ok=False)
    assert result.exit_code != 0 and "Deals 2026 (final)" in result.output
    assert _deals(cli) == []


def test_what_a_file_lacks_is_said_once_its_encoding_reads_it(cli: Cli, tmp_path: Path) -> None:
    """A cp1252 file without its Status column, mapped as cp1252 (alone, or beside a mapping of
    another file that opens files otherwise): the missing column is said, not "not UTF-8"."""
    no_status = tmp_path / "export.csv"
    no_status.write_bytes("\r\n".join(";".join(row[:4] + row[5:]) for row in [HEADER, *ROWS])
                          .encode("cp1252"))
    deals = tmp_path / "erp.toml"
    deals.write_text(MAPPING.format(sheet=""), encoding="utf-8")
    reps = tmp_path / "people.toml"
    reps.write_text('table = "reps"\n\n[columns]\nrep_id = "Person"\n', encoding="utf-8")
    for mappings in ([deals], [reps, deals]):
        args = [a for m in mappings for a in ("--mapping", str(m))]
        result = cli("import", *args, str(no_status), ok=False)
        said = " ".join(result.output.split())
        assert "'Status'" in said and "missing" in said and "not UTF-8" not in said, (mappings, said)


def test_utf8_files_beside_a_cp1252_one_are_read_as_utf8(cli: Cli, tmp_path: Path) -> None:
    """`--encoding cp1252` for a folder whose deals came from Excel on Windows: the UTF-8 reps file
    beside it (and one with a byte order mark) was transcoded too, storing "JÃ¼rgen MaÃŸ" beside
    "Jürgen Maß": one person as two reps, the revenue under one, nothing said."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "reps.csv").write_bytes("rep_id,name,team\nr1,Jürgen Maß,süd\n".encode())
    (folder / "deals.csv").write_bytes(("deal_id;rep_id;created_at;closed_at;status;amount;currency\n"
                                        "d1;r1;2025-03-01;2025-03-04;won;100.00;EUR\n").encode("cp1252"))
    (folder / "activities.csv").write_bytes(("activity_id,rep_id,type,occurred_at\n"
                                             "a1,r1,call,2025-03-04T10:00:00\n").encode("utf-8-sig"))
    cli("import", "--quiet", "--encoding", "cp1252", str(folder))
    names = json.loads(cli("report", "--period", "2025-03", "--kpi", "activity_count", "--by", "rep",
                           "--format", "json").stdout)
    assert [(r["rep"], r["value"]) for r in names["rows"]] == [("r1", 1)]
    reps = cli("report", "--period", "2025-03", "--kpi", "total_revenue", "--by", "team").stdout
    assert "süd" in reps and "Ã" not in reps
    # A cp1252 file with umlauts is still read as cp1252.
    (folder / "reps.csv").write_bytes("rep_id,name,team\nr1,Jürgen Maß,süd\n".encode("cp1252"))
    cli("import", "--quiet", "--encoding", "cp1252", str(folder / "reps.csv"))
    assert "süd" in cli("report", "--period", "2025-03", "--kpi", "total_revenue", "--by", "team").stdout


def test_a_values_table_named_for_the_file_s_column_says_which_name_it_takes(cli: Cli,
                                                                             tmp_path: Path) -> None:
    """Found by the first-hour tester: [values.product] beside product_id = "product" was refused
    as "maps a column that [columns] does not name", with no word of the name it takes."""
    mapping = tmp_path / "erp.toml"
    mapping.write_text(MAPPING.format(sheet="").replace("[values.status]", "[values.Status]"),
                       encoding="utf-8")
    refused = cli("import", "--mapping", str(mapping), str(_cp1252(tmp_path / "export.csv")), ok=False)
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 2, said
    assert ("[values.Status] maps a column that [columns] does not name: a [values] table is named for "
            "the canonical column, as [columns] names it (deal_id, rep_id, created_at, closed_at, status, "
            "amount, currency); did you mean [values.status]?") in said, said


def test_two_mappings_of_the_same_encoding_each_open_their_own_file(cli: Cli, tmp_path: Path) -> None:
    """Reps in UTF-8 with a BOM, deals and quotas in cp1252 each mapped so, one import: the second
    cp1252 mapping was passed over as "tried" and its file refused as not UTF-8 (a tester)."""
    files = tmp_path / "export"
    files.mkdir()
    (files / "mitarbeiter.csv").write_bytes("\ufeffNr;Name\r\nJürgen;Jürgen Weiß\r\n".encode())
    _cp1252(files / "abschluesse.csv")
    quotas = "Verkäufer;Beginn;Ende;Quote\r\nJürgen;01.01.2026;31.01.2026;2.000,00\r\n"
    (files / "quoten.csv").write_bytes(quotas.encode("cp1252"))
    reps, deals, quota = tmp_path / "reps.toml", tmp_path / "deals.toml", tmp_path / "quotas.toml"
    reps.write_text('table = "reps"\n[format]\ndelimiter = ";"\n[columns]\nrep_id = "Nr"\nname = "Name"\n',
                    encoding="utf-8")
    deals.write_text(MAPPING.format(sheet=""), encoding="utf-8")
    quota.write_text('table = "quotas"\n[format]\nencoding = "cp1252"\ndelimiter = ";"\ndecimal = ","\n'
                     'date_format = "dd.mm.yyyy"\n[columns]\nrep_id = "Verkäufer"\nperiod_start = "Beginn"\n'
                     'period_end = "Ende"\namount = "Quote"\ncurrency = { value = "EUR" }\n',
                     encoding="utf-8")
    for order in ((reps, deals, quota), (quota, deals, reps)):
        args = [a for m in order for a in ("--mapping", str(m))]
        cli("import", "--quiet", *args, str(files))
    assert _deals(cli) == EXPECTED
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.connection.execute("SELECT rep_id, amount FROM quotas").fetchall() == [
            ("Jürgen", Decimal("2000.00"))]


def test_a_status_the_mapping_does_not_name_is_told_where_to_name_it(cli: Cli, tmp_path: Path) -> None:
    """"Storniert", which the mapping's [values.status] did not name, was told only "must be one of
    open, won, lost" (a German first-use tester): now where the mapping names it, in both languages."""
    _reps(cli, tmp_path)
    mapping = tmp_path / "erp.toml"
    mapping.write_text(MAPPING.format(sheet=""), encoding="utf-8")
    rows = [*ROWS, ("A-3", "Jürgen", "04.01.2026", "21.01.2026", "Storniert", "5,00")]
    (tmp_path / "export.csv").write_bytes(("\r\n".join(";".join(r) for r in [HEADER, *rows]) + "\r\n")
                                          .encode("cp1252"))
    args = ("import", "--quiet", "--mapping", str(mapping), str(tmp_path / "export.csv"))
    said = " ".join(cli(*args, ok=False).stderr.split())
    assert ("line 4, column 'Status': must be one of open, won, lost; a word of the export's own? name it "
            "in the mapping's [values.status] (\"your word\" = \"lost\") (value 'Storniert')") in said
    german = " ".join(cli(*args, "--lang", "de", ok=False).stderr.split())
    assert "im Mapping unter [values.status] zuordnen (\"Ihr Wort\" = \"lost\") (Wert 'Storniert')" in german
    assert _deals(cli) == []
