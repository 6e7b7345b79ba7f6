"""A first import of someone else's files: defaults in a mapping file, what `--inspect` proposes for
files shaped like the public Maven and Olist CRM data, and a folder of files that are not named for a
table. The rows are small fixtures written here, with the real files' headers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import Cli
from salesmetrics.workspace import Workspace


def rows(cli: Cli, sql: str) -> list[tuple[Any, ...]]:
    with Workspace.open(cli.db, read_only=True) as ws:
        return ws.connection.execute(sql).fetchall()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Maven Analytics' sales_pipeline.csv: open deals (Engaging, Prospecting) have no close date or value.
PIPELINE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054\n"
    "Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514\n"
    "EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Lost,2016-10-25,2017-03-07,0\n"
    "MV1LWRNH,Moses Frase,GTX Basic,Codehow,Engaging,2017-02-01,,\n"
    "PE84CX4O,Zane Levy,GTXPro,,Prospecting,2017-03-02,,\n"
    "ZNBS69V1,Anna Snelling,MG Special,Ron-tech,On hold,2017-01-05,,\n"
)

DEFAULTS_MAPPING = """
table = "deals"

[columns]
deal_id = "opportunity_id"
rep_id = "sales_agent"
account = "account"
created_at = "engage_date"
closed_at = "close_date"
status = "deal_stage"
amount = "close_value"
currency = { value = "USD" }

[values.status]
"Won" = "won"
"Lost" = "lost"
"Engaging" = "open"
"*" = "open"

[defaults]
amount = "0"
account = "(no account)"

[owners]
"""


def test_a_mapping_file_gives_defaults_for_empty_and_unmapped_values(cli: Cli, tmp_path: Path) -> None:
    mapping = write(tmp_path / "maven.toml", DEFAULTS_MAPPING)
    path = write(tmp_path / "sales_pipeline.csv", PIPELINE)

    cli("import", "--quiet", "--mapping", str(mapping), str(path))

    # "Prospecting" and "On hold" are listed nowhere: "*" makes them open. Open deals without a
    # close_value count as 0; the empty account gets its default.
    assert rows(cli, "SELECT deal_id, status, amount, account FROM deals ORDER BY deal_id") == [
        ("1C1I7A6R", "won", Decimal("1054.00"), "Cancity"),
        ("EC4QE1BX", "lost", Decimal("0.00"), "Cancity"),
        ("MV1LWRNH", "open", Decimal("0.00"), "Codehow"),
        ("PE84CX4O", "open", Decimal("0.00"), "(no account)"),
        ("Z063OYW0", "won", Decimal("4514.00"), "Isdom"),
        ("ZNBS69V1", "open", Decimal("0.00"), "Ron-tech"),
    ]
    assert cli.value("--period", "2017-03", "--kpi", "total_revenue") == 5568


def test_a_default_amount_never_makes_a_won_deal_worth_zero(cli: Cli, tmp_path: Path) -> None:
    mapping = write(tmp_path / "maven.toml", DEFAULTS_MAPPING)
    path = write(tmp_path / "sales_pipeline.csv",
                 PIPELINE + "9ZZZZZZZ,Zane Levy,GTXPro,Isdom,Won,2017-01-02,2017-03-20,\n")

    result = cli("import", "--quiet", "--mapping", str(mapping), str(path), ok=False)

    # Revenue would be silently short: a won deal without an amount is still refused.
    assert result.exit_code == 1
    text = " ".join(result.stderr.split())
    assert f"{path}, line 8, column 'close_value'" in text
    assert not cli.db.exists()  # a refused first import: not even an empty workspace


def test_defaults_name_only_columns_of_the_table(cli: Cli, tmp_path: Path) -> None:
    mapping = write(tmp_path / "m.toml", DEFAULTS_MAPPING.replace('amount = "0"', 'ammount = "0"'))
    path = write(tmp_path / "sales_pipeline.csv", PIPELINE)

    result = cli("import", "--quiet", "--mapping", str(mapping), str(path), ok=False)

    assert result.exit_code == 2
    assert "[defaults] names ammount, which deals does not have" in " ".join(result.stderr.split())


# -- import --inspect ------------------------------------------------------------------------------


def test_inspect_proposes_the_maven_pipeline_as_deals_that_import(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "sales_pipeline.csv", "\n".join(
        line for line in PIPELINE.splitlines() if "Prospecting" not in line and "On hold" not in line)
        + "\n")

    proposal = cli("import", "--inspect", str(path)).stdout

    assert 'table = "deals"' in proposal
    assert 'rep_id = "sales_agent"' in proposal  # the person column, by its name
    assert 'created_at = "engage_date"' in proposal
    assert 'status = "deal_stage"' in proposal and 'amount = "close_value"' in proposal
    assert '"Engaging" = "open"\n' in proposal  # a stage name of an open deal, no "check" needed
    assert '[defaults]\namount = "0"' in proposal  # the open deal has no close_value
    mapping = write(tmp_path / "proposal.toml", proposal)

    cli("import", "--quiet", "--mapping", str(mapping), str(path))

    assert rows(cli, "SELECT deal_id, rep_id, status, amount FROM deals ORDER BY 1") == [
        ("1C1I7A6R", "Moses Frase", "won", Decimal("1054.00")),
        ("EC4QE1BX", "Darcel Schlecht", "lost", Decimal("0.00")),
        ("MV1LWRNH", "Moses Frase", "open", Decimal("0.00")),
        ("Z063OYW0", "Darcel Schlecht", "won", Decimal("4514.00")),
    ]
    assert cli.value("--period", "2017-03", "--kpi", "win_rate") == 0.666667


def test_inspect_maps_person_columns_to_reps_and_never_customer_ids(cli: Cli, tmp_path: Path) -> None:
    english = write(tmp_path / "opportunities.csv",
                    "id,customer_id,owner,created,closed,state,value\n"
                    "1,C-17,Ann,2026-01-05,2026-02-01,won,100.00\n")
    german = write(tmp_path / "chancen.csv",
                   "Nr;Kunden-ID;Verkäufer;Erstellt am;Status;Betrag\n"
                   "1;K-9;Anna Weiß;03.04.2026;Offen;1.234,56\n")
    teams = write(tmp_path / "sales_teams.csv",
                  "sales_agent,manager,regional_office\nAnna Snelling,Dustin Brinkmann,Central\n")
    olist = write(tmp_path / "olist_closed_deals_dataset.csv",
                  "mql_id,seller_id,sdr_id,sr_id,won_date,business_segment,lead_type,"
                  "declared_monthly_revenue\n"
                  "5420aad7,2c43fb51,a8387c01,4ef15afb,26-02-2018 19:58,pet,online_medium,0\n")

    first = cli("import", "--inspect", str(english)).stdout
    second = cli("import", "--inspect", str(german)).stdout
    third = cli("import", "--inspect", str(teams)).stdout
    fourth = cli("import", "--inspect", str(olist)).stdout

    assert 'rep_id = "owner"' in first and 'created_at = "created"' in first
    assert 'rep_id = "Verkäufer"' in second
    assert 'table = "reps"' in third and 'rep_id = "sales_agent"' in third
    assert 'rep_id = "sr_id"' in fourth  # the sales rep; the seller is Olist's customer
    for proposal in (first, second, fourth):
        assert not any(line.startswith("rep_id = ") and ("customer" in line or "Kunden" in line
                                                          or "seller" in line)
                       for line in proposal.splitlines()), proposal
    assert 'amount = "declared_monthly_revenue"' not in fourth  # a customer's revenue, not a deal's


def test_inspect_proposes_a_file_of_companies_as_accounts(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "accounts.csv",
                 "account,sector,year_established,revenue,employees,office_location,subsidiary_of\n"
                 "Acme Corporation,technolgy,1996,1100.04,2822,United States,\n"
                 "Betasoloin,medical,1999,251.41,495,United States,\n")

    proposal = cli("import", "--inspect", str(path)).stdout

    assert 'table = "accounts"' in proposal and 'account_id = "account"' in proposal
    assert 'industry = "sector"' in proposal and 'country = "office_location"' in proposal
    assert 'employees = "employees"' in proposal and "revenue" not in proposal.split("# not used:")[0]
    # The proposal imports as it stands, and the accounts are there to group by.
    mapping = write(tmp_path / "accounts.toml", proposal)
    cli("import", "--quiet", "--mapping", str(mapping), str(path))
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.counts()["accounts"] == 2


def test_inspect_reads_a_products_price(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "products.csv", "product,series,sales_price\nGTX Basic,GTX,550\n")

    proposal = cli("import", "--inspect", str(path)).stdout

    assert 'product_id = "product"' in proposal and 'unit_price = "sales_price"' in proposal


# -- a folder of files that are not named for a table ----------------------------------------------


def test_a_folder_of_unrecognised_files_is_one_error_proposing_inspect_per_file(
        cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "maven"
    names = {
        "sales_pipeline.csv": PIPELINE,
        "accounts.csv": "account,sector,year_established,revenue,employees,office_location,"
                        "subsidiary_of\nAcme Corporation,technolgy,1996,1100.04,2822,United States,\n",
        "sales_teams.csv": "sales_agent,manager,regional_office\nMoses Frase,Dustin Brinkmann,Central\n",
        "data_dictionary.csv": "Table,Field,Description\naccounts,account,Company name\n",
        "products.csv": "product,series,sales_price\nGTX Basic,GTX,550\n",  # a table's name, not its header
    }
    for name, text in names.items():
        write(folder / name, text)

    result = cli("import", "--quiet", str(folder), ok=False)

    assert result.exit_code == 1
    text = result.stderr
    assert "4 file(s) not recognised" in text
    # The data dictionary holds no records: said so, with no mapping proposed to import it.
    dictionary = folder / "data_dictionary.csv"
    assert (f"{dictionary}: this looks like a data dictionary (Table, Field, Description): it "
            "describes the other files' columns and holds no records; leave it out of the import "
            "(name the other files, or move it out of the folder)") in " ".join(text.split())
    assert f"--inspect {dictionary}" not in text
    for name in set(names) - {"data_dictionary.csv"}:
        path = folder / name
        stem = path.stem
        assert f"salesmetrics import --inspect {path} > {stem}.toml" in text
        assert f"salesmetrics import --db {cli.db} --mapping {stem}.toml {path}" in text
    assert "no table is called 'sales_pipeline'" in text
    assert "named for products, but its header (product, series, sales_price)" in text
    # Said once, not as a problem per file and per column.
    assert "unknown column" not in text and "required column is missing" not in text
    assert text.count("the file name must be a table name") == 0
    assert not cli.db.exists()  # a refused first import: not even an empty workspace


def test_a_canonical_file_with_a_typo_still_names_the_column(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "reps.csv", "rep_id,nmae,team\nR1,Ann,east\n")

    result = cli("import", "--quiet", str(path), ok=False)

    assert "column 'nmae': unknown column for table reps; did you mean 'name'?" in result.stderr
    assert "not recognised" not in result.stderr


def test_a_refused_first_import_leaves_no_workspace_behind(cli: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path / "in" / "deals.csv",
                "deal_id,rep_id,created_at,closed_at,status,amount\n"
                "D1,anna,2025-01-05,2025-01-20,won,not money\n")
    refused = cli.import_(bad, ok=False)
    assert refused.exit_code == 1 and "nothing was written" in refused.output
    # Nothing to open: the next command says no workspace exists rather than answering "no records".
    assert not cli.db.exists() and not Path(f"{cli.db}.wal").exists()

    good = write(tmp_path / "in" / "deals.csv",
                 "deal_id,rep_id,created_at,closed_at,status,amount\n"
                 "D1,anna,2025-01-05,2025-01-20,won,1200\n")
    reps = write(tmp_path / "in" / "reps.csv", "rep_id,name\nanna,Anna\n")
    cli.import_(reps, good)
    # A refused import into the workspace that now exists keeps it and its records.
    cli.import_(bad, ok=False)
    assert rows(cli, "SELECT deal_id, amount FROM deals") == [("D1", Decimal("1200.00"))]


def test_a_german_export_named_deals_csv_is_told_to_inspect_not_column_by_column(
        cli: Cli, tmp_path: Path) -> None:
    """Its Status alone matched a column of deals: eleven column problems stood ("Betrag: did you
    mean 'stage'?") where --inspect is the way (a tester). A canonical file with typos keeps them."""
    header = "Nr;Verkäufer;Kunde;Erstellt am;Abgeschlossen am;Status;Betrag;Währung\n"
    path = write(tmp_path / "deals.csv", header + "D1;R1;ACME;01.10.2026;15.10.2026;Gewonnen;1.234,56;EUR\n")
    text = " ".join(cli("import", "--quiet", str(path), ok=False).stderr.split())
    assert ("named for deals, but its header (Nr, Verkäufer, Kunde, Erstellt am, Abgeschlossen am, Status, "
            "Betrag, Währung) lacks most of its columns, the required among them (deal_id, rep_id, "
            "created_at, amount)") in text
    assert f"salesmetrics import --inspect {path} > deals.toml" in text
    assert "unknown column" not in text and "did you mean 'stage'" not in text
    german = " ".join(cli("import", "--quiet", "--lang", "de", str(path), ok=False).stderr.split())
    assert ("fehlen die meisten Spalten, darunter die Pflichtspalten (deal_id, rep_id, created_at, "
            "amount)") in german
    typos = write(tmp_path / "typos" / "deals.csv", "dela_id,rep_id,craeted_at,staus,amnout,curency\n")
    said = cli("import", "--quiet", str(typos), ok=False).stderr
    assert "column 'amnout': unknown column for table deals; did you mean 'amount'" in " ".join(said.split())
    assert "not recognised" not in said
