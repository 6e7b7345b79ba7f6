"""A first import of someone else's files: defaults in a mapping file, what `--inspect` proposes for
files shaped like the public Maven and Olist CRM data, and a folder of files that are not named for a
table. The rows are small fixtures written here, with the real files' headers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import Cli
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
    assert rows(cli, "SELECT count(*) FROM deals") == [(0,)]


def test_defaults_name_only_columns_of_the_table(cli: Cli, tmp_path: Path) -> None:
    mapping = write(tmp_path / "m.toml", DEFAULTS_MAPPING.replace('amount = "0"', 'ammount = "0"'))
    path = write(tmp_path / "sales_pipeline.csv", PIPELINE)

    result = cli("import", "--quiet", "--mapping", str(mapping), str(path), ok=False)

    assert result.exit_code == 1
    assert "[defaults] names ammount, which deals does not have" in " ".join(result.stderr.split())
