"""Values that would change the figures without anyone noticing are refused with file, line, column
and value: a rate of 0, a zone offset no place has, a negative deal, a NUL byte (issue 18, item 10)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers import Cli

REPS = [{"rep_id": "r1", "name": "Ann"}]


def _deal(deal_id: str, **over: str) -> dict[str, str]:
    return {"deal_id": deal_id, "rep_id": "r1", "created_at": "2026-09-01T10:00:00",
            "closed_at": "2026-10-05T10:00:00", "status": "won", "amount": "500000.00",
            "currency": "EUR"} | over


def _refused(cli: Cli, folder: Path) -> str:
    result = cli.import_(folder, ok=False)
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.stderr
    assert not cli.db.exists()  # a first import refused: not even an empty workspace
    return str(result.stderr)


def test_fx_rate_of_zero_is_refused(cli: Cli, csvs: Callable[..., Path]) -> None:
    csvs("reps", REPS)
    csvs("deals", [_deal("d1")])
    folder = csvs("fx_rates", [{"date": "2026-01-01", "currency": "EUR", "rate_to_base": "0"},
                               {"date": "2026-02-01", "currency": "EUR", "rate_to_base": "-1.1"}]).parent
    stderr = _refused(cli, folder)
    assert "fx_rates.csv, line 2, column 'rate_to_base': must be more than 0" in stderr
    assert "(value '0')" in stderr
    assert "line 3, column 'rate_to_base': must be at least 0 (value '-1.1')" in stderr
    # A real rate converts: 500,000 EUR at 1.1 is 550,000 USD.
    csvs("fx_rates", [{"date": "2026-01-01", "currency": "EUR", "rate_to_base": "1.1"}])
    cli.import_(folder)
    cli("config", "set", "base_currency", "USD")
    assert cli.value("--period", "2026-10", "--kpi", "total_revenue") == 550000


def test_a_zone_offset_no_place_has_is_refused(cli: Cli, csvs: Callable[..., Path]) -> None:
    csvs("reps", REPS)
    folder = csvs("deals", [_deal("d1", created_at="2026-09-01T10:00:00+25:00"),
                            _deal("d2", closed_at="2026-10-05T10:00:00-13:00"),
                            _deal("d3", closed_at="2026-10-05T10:00:00+01:60"),
                            _deal("d4", closed_at="2026-10-05T10:00:00+14:00"),
                            _deal("d5", closed_at="2026-10-05T10:00:00-12:00")]).parent
    stderr = _refused(cli, folder)
    assert "line 2, column 'created_at': time zone offset out of range" in stderr
    assert "(value '2026-09-01T10:00:00+25:00')" in stderr
    assert "line 3, column 'closed_at'" in stderr and "line 4, column 'closed_at'" in stderr
    assert "line 5" not in stderr and "line 6" not in stderr  # +14:00 and -12:00 exist
    assert "3 problem(s)" in stderr


def test_negative_deal_amounts_are_refused(cli: Cli, csvs: Callable[..., Path]) -> None:
    csvs("reps", REPS)
    folder = csvs("deals", [_deal("d1"), _deal("d2", amount="-200.00")]).parent
    stderr = _refused(cli, folder)
    assert "deals.csv, line 3, column 'amount': negative amount" in stderr
    assert "refunds and credit notes are not deals" in stderr and "(value '-200.00')" in stderr


def test_a_nul_byte_anywhere_is_refused(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "nul"
    folder.mkdir()
    (folder / "reps.csv").write_text("rep_id,name\nr1,Ann\n", encoding="utf-8")
    # The NUL comes after the first 8 KB, past the check for binary files.
    rows = "".join(f"d{i},r1,Acme,2026-09-01,2026-10-05,won,10.00\n" for i in range(400))
    data = ("deal_id,rep_id,account,created_at,closed_at,status,amount\n" + rows).encode()
    data += b"d999,r1,Ac\x00me,2026-09-01,2026-10-05,won,10.00\n"
    assert data.index(b"\x00") > 8192
    (folder / "deals.csv").write_bytes(data)
    stderr = _refused(cli, folder)
    assert "line 402, column 'account': contains a NUL byte" in stderr
    assert "(value 'Ac\\x00me')" in stderr
