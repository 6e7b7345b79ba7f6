"""Values that look right and are not: an id with a character that shows as nothing (a byte order
mark pasted before it, a zero-width space inside) made a second deal 'd9' beside d9 and doubled its
revenue; a created_at of 0999-01-05 (a typo of 1999 or 2009) is in no period a report can ask for,
yet made a sales cycle of 375,109 days. Both are refused on their line, in English and German."""

from __future__ import annotations

from pathlib import Path

from helpers import Cli


def test_an_invisible_character_in_an_id_and_a_year_before_1000_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "reps.csv").write_text("rep_id,name\nr1,Ann\n", encoding="utf-8")
    (folder / "deals.csv").write_text(
        "deal_id,rep_id,created_at,closed_at,status,amount\n"
        "d9,r1,2026-01-05,2026-02-10,won,10.00\n"
        "\ufeffd9,r1,2026-01-05,2026-02-10,won,10.00\n"
        "d\u200b8,r1,0999-01-05,2026-02-10,won,10.00\n"
        "mü1,r1,2026-01-05,2026-02-10,won,10.00\n"
        # A direction override shows 'X0\u202e01' as another id; ideographic spaces show nothing.
        "X0\u202e01,r1,2026-01-05,2026-02-10,won,10.00\n"
        "\u3000\u3000,r1,2026-01-05,2026-02-10,won,10.00\n"
        "d9\u3000,r1,2026-01-05,2026-02-10,won,10.00\n"
        "\u2003d7,r1,2026-01-05,2026-02-10,won,10.00\n"
        "d\u30006,r1,2026-01-05,2026-02-10,won,10.00\n", encoding="utf-8")
    cli = Cli(tmp_path / "w.duckdb")
    refused = cli("import", str(folder), ok=False)
    said = " ".join(refused.output.split())
    assert refused.exit_code == 1 and "7 problem(s) found" in said
    hidden = ("holds an invisible character (a zero-width space, a byte order mark, a direction mark): it "
              "would look like another id and not be it")
    assert f"line 3, column 'deal_id': {hidden} (value '\\ufeffd9')" in said
    assert f"line 4, column 'deal_id': {hidden} (value 'd\\u200b8')" in said
    assert ("line 4, column 'created_at': a year before 1000, which no period reaches; a typo? "
            "(value '0999-01-05')") in said
    assert f"line 6, column 'deal_id': {hidden} (value 'X0\\u202e01')" in said
    # An id of such spaces alone, or with one at an end, looks like another id (or none): 'd9' and
    # 'd9' + U+3000 were two deals, and doubled d9's revenue. One inside ('d' U+3000 '6') is seen.
    spaced = ("begins or ends with a space of another script (an ideographic or typographic one): it would "
              "look like another id and not be it")
    for line in (7, 8, 9):
        assert f"line {line}, column 'deal_id': {spaced}" in said
    assert "line 10" not in said
    german = " ".join(cli("import", "--lang", "de", str(folder), ok=False).output.split())
    assert "Zeile 8, Spalte 'deal_id': beginnt oder endet mit einem Leerzeichen einer anderen" in german
    (folder / "deals.csv").write_text("deal_id,rep_id,created_at,closed_at,status,amount\n"
                                      "mü1,r1,2026-01-05,2026-02-10,won,10.00\n", encoding="utf-8")
    cli.import_(folder)  # letters past ASCII are ids like any other
    assert cli.report("--period", "2026-02", "--kpi", "total_revenue")["rows"][0]["value"] == 10.0
