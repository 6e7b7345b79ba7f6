"""`import --inspect` proposes what imports (issue 10 follow-up, defects 5 and 6): it notices required
values the file leaves empty and proposes the skip that fixes them; it tells a survey of 0-10 answers,
a file of won deals and a data dictionary for what they are; and the commands an import suggests keep
the workspace it was given. Small fixtures with the headers of the public Maven, Olist and Sudzilla
files."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

from helpers import Cli
from salesmetrics.workspace import Workspace
from test_import_first_use import PIPELINE, write


def rows(cli: Cli, sql: str) -> list[tuple[Any, ...]]:
    with Workspace.open(cli.db, read_only=True) as ws:
        return ws.connection.execute(sql).fetchall()


# Maven's Prospecting deals have no engage_date (a required value: the deal's creation).
PROSPECTS = "".join(line + "\n" for line in PIPELINE.splitlines() if "Prospecting" not in line) + (
    "X1PROSP1,Zane Levy,GTXPro,Isdom,Prospecting,,,\n"
    "X2PROSP2,Moses Frase,MG Special,,Prospecting,,,\n")


def test_inspect_proposes_a_skip_for_rows_without_a_required_value(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "sales_pipeline.csv", PROSPECTS)

    proposal = cli("import", "--inspect", str(path)).stdout

    # Every row without engage_date is a Prospecting one, and those all lack it: skip them, said why.
    assert '[skip]\n"deal_stage" = ["Prospecting"]' in proposal
    assert "2 row(s) without engage_date (required for created_at) are all Prospecting" in proposal
    mapping = write(tmp_path / "proposal.toml", proposal)
    result = cli("import", "--quiet", "--mapping", str(mapping), str(path))
    assert "skipped 2 rows whose deal_stage is 'Prospecting'" in result.stdout
    assert rows(cli, "SELECT count(*) FROM deals") == [(5,)]


def test_inspect_skips_nothing_a_status_does_not_explain(cli: Cli, tmp_path: Path) -> None:
    # One Prospecting deal has its engage_date: skipping every Prospecting row would lose it.
    path = write(tmp_path / "sales_pipeline.csv",
                 PIPELINE + "X1PROSP1,Zane Levy,GTXPro,Isdom,Prospecting,,,\n")

    proposal = cli("import", "--inspect", str(path)).stdout

    assert '\n[skip]' not in proposal
    assert "1 row(s) without engage_date (required for created_at)" in proposal


def test_inspect_says_what_to_do_when_no_status_explains_the_empty_values(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "sales_pipeline.csv", PIPELINE + "X3,Zane Levy,GTXPro,Isdom,Won,,2017-04-01,10\n")

    proposal = cli("import", "--inspect", str(path)).stdout

    assert "\n[skip]" not in proposal
    assert "1 row(s) without engage_date (required for created_at)" in proposal
    assert "[defaults]" in proposal and "[skip]" in proposal  # named as the two ways out


def test_inspect_takes_a_0_to_10_survey_for_nps_answers(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "input_01.csv",
                 'Timestamp,"On a scale of 0-10, how would you rate Sudzilla?",...why?,'
                 '"On a scale of 0-10, how would you rate the opening keynote?",'
                 "How would you rate the food at Sudzilla (lunch)?\n"
                 "2019-11-01 08:51:12,0,Bad service,0,Horrendous\n"
                 "2019-11-01 09:05:13,9,Bubbly,1,Yum!\n"
                 "2019-11-01 09:15:49,10,Fun,7,Yum!\n")

    proposal = cli("import", "--inspect", str(path)).stdout

    assert 'table = "nps_responses"' in proposal
    assert 'score = "On a scale of 0-10, how would you rate Sudzilla?"' in proposal
    assert 'responded_at = "Timestamp"' in proposal
    # No id column: each answer's time stands for it, said so.
    assert 'response_id = "Timestamp"' in proposal and "no id column" in proposal
    mapping = write(tmp_path / "survey.toml", proposal)
    cli("import", "--quiet", "--mapping", str(mapping), str(path))
    # One detractor, two promoters: NPS (2 - 1) / 3.
    assert cli.value("--period", "2019-11", "--kpi", "nps") == pytest.approx(100 / 3, abs=1e-3)


def test_inspect_takes_a_file_of_won_deals_for_deals(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "olist_closed_deals_dataset.csv",
                 "mql_id,seller_id,sdr_id,sr_id,won_date,business_segment,lead_type,"
                 "declared_monthly_revenue\n"
                 "5420aad7,2c43fb51,a8387c01,4ef15afb,26-02-2018 19:58,pet,online_medium,0\n")

    proposal = cli("import", "--inspect", str(path)).stdout

    assert 'table = "deals"' in proposal
    assert 'deal_id = "mql_id"' in proposal and 'rep_id = "sr_id"' in proposal
    assert 'closed_at = "won_date"' in proposal
    assert 'status = { value = "won" }' in proposal  # a won date on every row: won deals
    assert 'type = "lead_type"' not in proposal
    assert 'amount = "declared_monthly_revenue"' not in proposal


def test_inspect_says_a_data_dictionary_holds_no_records(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "data_dictionary.csv",
                 "Table,Field,Description\naccounts,account,Company name\n"
                 "sales_pipeline,close_value,Revenue from the deal\n")

    proposal = cli("import", "--inspect", str(path)).stdout

    assert "table =" not in proposal and 'rep_id = ""' not in proposal
    assert "a data dictionary" in proposal and "nothing to import" in proposal
    # The proposal imports nothing, and says why, as the file does given to another file's mapping.
    mapping = write(tmp_path / "data_dictionary.toml", proposal)
    refused = cli("import", "--mapping", str(mapping), str(path), ok=False)
    assert refused.exit_code == 2
    assert "names no table" in refused.output and "the file holds no records, leave it out" in " ".join(
        refused.output.split())
    pipeline = write(tmp_path / "sales_pipeline.toml", cli("import", "--inspect", str(
        write(tmp_path / "sales_pipeline.csv", PIPELINE))).stdout)
    given = cli("import", "--mapping", str(pipeline), str(path), ok=False)
    assert "this looks like a data dictionary (Table, Field, Description)" in " ".join(given.output.split())
    assert not cli.db.exists()  # nothing written, not even an empty workspace


def test_the_commands_an_import_suggests_keep_its_workspace(tmp_path: Path) -> None:
    folder = write(tmp_path / "maven" / "sales_pipeline.csv", PIPELINE).parent
    db = tmp_path / "f 18.duckdb"
    cli = Cli(db)

    result = cli("import", "--quiet", str(folder), ok=False)

    path = folder / "sales_pipeline.csv"
    text = result.stderr
    assert f"salesmetrics import --inspect {path} > sales_pipeline.toml" in text
    assert (f"salesmetrics import --db {shlex.quote(str(db))} --mapping sales_pipeline.toml {path}"
            in text)
    assert not db.exists()  # nothing written, not even an empty workspace


def test_a_skipped_value_holding_or_is_not_translated(cli: Cli, tmp_path: Path) -> None:
    """Under --lang de the reason joined the skipped values with "oder" by replacing every " or ",
    a value's own too: 'Rock or Roll' read 'Rock oder Roll'. The values are quoted now, and only
    the joins between them are German."""
    path = write(tmp_path / "sales_pipeline.csv", PROSPECTS.replace("Prospecting", "Rock or Roll", 1))
    proposal = cli("import", "--inspect", str(path)).stdout
    assert '"deal_stage" = ["Prospecting", "Rock or Roll"]' in proposal
    mapping = write(tmp_path / "proposal.toml", proposal)
    english = cli("import", "--quiet", "--mapping", str(mapping), str(path)).stdout
    assert "skipped 2 rows whose deal_stage is 'Prospecting' or 'Rock or Roll'" in english
    german = cli("import", "--mapping", str(mapping), str(path), "--lang", "de").stdout
    assert "Zeilen, deren deal_stage 'Prospecting' oder 'Rock or Roll' ist" in " ".join(german.split())


def test_inspect_reads_a_german_crm_s_reps_quotas_activities_and_deals_and_they_import(
        cli: Cli, tmp_path: Path) -> None:
    """A German export, as a first-hour tester wrote it: its reps file was proposed as products
    (product_id = "Team"), its quotas as reps, Aktivitäts-ID, Wahrscheinlichkeit and Erwarteter
    Abschluss were left unused, and a duration of 00:15:00 was proposed as a plain number that the
    import refused. Each proposal, saved as it is, imports."""
    files = {
        "mitarbeiter.csv": "Nr;Name;Team;Eingestellt am\nR1;Anna Schmidt;Nord;01.02.2024\n",
        "quoten.csv": "Verkäufer;Beginn;Ende;Quote;Währung\nR1;01.10.2026;31.12.2026;30.000,00;EUR\n",
        "abschluesse.csv": "Nr;Verkäufer;Kunde;Erstellt am;Status;Betrag;Währung;Wahrscheinlichkeit;"
                           "Erwarteter Abschluss\nD1;R1;ACME;01.10.2026;Offen;1.000,00;EUR;60 %;15.12.2026\n",
        "aktivitaeten.csv": "Aktivitäts-ID;Verkäufer;Typ;Datum;Deal-Nr;Dauer\n"
                            "A7;R1;Termin;20.10.2026 10:00;D1;00:15:00\n",
    }
    expected = {"mitarbeiter.csv": ('table = "reps"', 'rep_id = "Nr"'),
                "quoten.csv": ('table = "quotas"', 'period_start = "Beginn"', 'amount = "Quote"'),
                "abschluesse.csv": ('probability = "Wahrscheinlichkeit"',
                                    'expected_close_on = "Erwarteter Abschluss"'),
                "aktivitaeten.csv": ('activity_id = "Aktivitäts-ID"',
                                     'duration_seconds = { column = "Dauer", unit = "hms" }')}
    for name, text in files.items():  # in the order their references need
        path = write(tmp_path / name, text)
        proposal = cli("import", "--inspect", str(path)).stdout
        assert all(line in proposal for line in expected[name]), proposal
        cli("import", "--quiet", "--mapping", str(write(tmp_path / f"{path.stem}.toml", proposal)), str(path))
    assert rows(cli, "SELECT team, hired_on::VARCHAR FROM reps") == [("Nord", "2024-02-01")]
    assert rows(cli, "SELECT amount::VARCHAR FROM quotas") == [("30000.00",)]
    assert rows(cli, "SELECT probability::VARCHAR, expected_close_on::VARCHAR FROM deals") == [
        ("0.600000", "2026-12-15")]
    assert rows(cli, "SELECT type, duration_seconds FROM activities") == [("meeting", 900)]


def test_inspect_tells_a_german_product_list_and_deals_with_von_bis_from_reps_and_quotas(
        cli: Cli, tmp_path: Path) -> None:
    """Nr is every table's id: a product list (Nr;Bezeichnung;Preis) was proposed as reps, and deals
    with Von;Bis as quotas (the review); a duration of 15:00 (minutes and seconds, or hours and
    minutes?) is not guessed as hms."""
    cases = {"artikel.csv": ("Nr;Bezeichnung;Preis\nA1;Lizenz;1.200,00\n", 'table = "products"'),
             "vorgaenge.csv": ("Nr;Kunde;Betrag;Von;Bis\nV1;ACME;100,00;01.10.2026;31.10.2026\n",
                               'table = "deals"'),
             "anrufe.csv": ("Aktivitäts-ID;Verkäufer;Typ;Datum;Dauer\nA1;R1;Anruf;01.10.2026 10:00;15:00\n",
                            'duration_seconds = "Dauer"')}
    for name, (text, expected) in cases.items():
        proposal = cli("import", "--inspect", str(write(tmp_path / name, text))).stdout
        assert expected in proposal and 'unit = "hms"' not in proposal, proposal
