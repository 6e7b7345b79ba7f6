"""A quota typed again with one day less (31 March written as 30 March) is a second quota, not a
change of the first: its key is its rep, team and days. Quota attainment summed both, 1,000.10 won
against 6,000.00 (16.7 %) where the quota is 3,000.00. Either may be meant, so the import writes it
and says so on every face; quotas that follow each other are said nothing of."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from helpers import Cli, form_token, write_csv
from salesmetrics.web.app import create_app

EXAMPLE = {"rep": "r1", "spans": [["2026-01-01", "2026-03-30"], ["2026-01-01", "2026-03-31"]]}


def _quota(start: str, end: str) -> dict[str, str]:
    return {"rep_id": "r1", "period_start": start, "period_end": end, "amount": "3000.00", "currency": "USD"}


def test_overlapping_quotas_are_said_on_every_face(tmp_path: Path) -> None:
    first = tmp_path / "first"
    write_csv(first / "reps.csv", [{"rep_id": "r1", "name": "Ann"}])
    write_csv(first / "deals.csv", [{"deal_id": "d1", "rep_id": "r1", "created_at": "2026-01-05",
                                     "closed_at": "2026-02-10", "status": "won", "amount": "1000.10"}])
    # Months that follow each other, and a quarter of another team: nothing to say.
    write_csv(first / "quotas.csv", [_quota("2026-01-01", "2026-03-31"), _quota("2026-04-01", "2026-04-30"),
                                     {**_quota("2026-01-01", "2026-03-31"), "team": "other"}])
    cli = Cli(tmp_path / "w.duckdb")
    assert "warning" not in cli("import", str(first)).stdout
    fixed = write_csv(tmp_path / "fixed" / "quotas.csv", [_quota("2026-01-01", "2026-03-30")])
    said = " ".join(cli("import", str(fixed.parent)).stdout.split())
    assert ("warning: 1 rep(s) with quotas whose days overlap, which quota attainment adds up (e.g. r1: "
            "2026-01-01..2026-03-30 and 2026-01-01..2026-03-31).") in said
    german = " ".join(cli("import", str(fixed.parent), "--lang", "de").stdout.split())
    assert "Warnung: 1 Mitarbeiter mit Quoten, deren Tage sich überschneiden" in german
    with TestClient(create_app(cli.db, warm=False)) as client:
        upload = [("files", ("quotas.csv", fixed.read_bytes(), "text/csv"))]
        answer = client.post("/api/v1/import", files=upload)
        assert answer.status_code == 200, answer.text
        assert answer.json()["overlapping"] == {"quotas": {"reps": 1, "example": EXAMPLE}}
        token = form_token(client.get("/upload").text)
        page = client.post("/upload?lang=en", data={"csrf": token},
                           files=[("files", ("quotas.csv", fixed.read_bytes(), "text/csv"))])
    assert page.status_code == 200, page.text
    assert "with quotas whose days overlap" in " ".join(page.text.split())
