"""A survey exported twice: the second export writes each answer's time with its fraction of a
second, and the mapping takes the time for the id (as `import --inspect` proposes for a survey
without one), so every answer is stored twice under two ids. NPS counts each copy; the import writes
them (nothing about a pair is wrong on its own) and says so on every face."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from helpers import Cli, form_token, write_csv
from salesmetrics.web.app import create_app
from salesmetrics.workspace import Workspace

QUESTION = "How likely are you to recommend us?"
# 3 promoters, 1 passive, 2 detractors: NPS (3 - 2) / 6 = 16.6667, the same for the copies.
SCORES = [("11/2/2026 8:51:12", "10"), ("11/2/2026 9:05:13", "9"), ("11/3/2026 14:00:00", "9"),
          ("11/3/2026 15:30:07", "7"), ("11/4/2026 10:15:49", "3"), ("11/4/2026 11:18:30", "0")]


def _mapping(path: Path, date_format: str | None) -> Path:
    fmt = f'[format]\ndate_format = "{date_format}"\n\n' if date_format else ""
    path.write_text(f'table = "nps_responses"\n\n{fmt}[columns]\nresponse_id = "Timestamp"\n'
                    f'score = "{QUESTION}"\nresponded_at = "Timestamp"\n', encoding="utf-8")
    return path


def _exports(folder: Path) -> tuple[list[str], list[str]]:
    """The two exports' import arguments: US dates in the first, ISO times with milliseconds in the
    second (a different tool's export of the same answers)."""
    first = write_csv(folder / "first" / "survey.csv",
                      [{"Timestamp": t, QUESTION: s} for t, s in SCORES])
    iso = []
    for i, (t, s) in enumerate(SCORES):
        day, clock = t.split(" ")
        month, d, year = day.split("/")
        hours, minutes, seconds = clock.split(":")
        iso.append({"Timestamp": f"{year}-{int(month):02}-{int(d):02} {int(hours):02}:{minutes}:{seconds}"
                                 f".{(137 * i + 402) % 1000:03}", QUESTION: s})
    second = write_csv(folder / "second" / "survey.csv", iso)
    return (["--mapping", str(_mapping(folder / "us.toml", "mm/dd/yyyy")), str(first)],
            ["--mapping", str(_mapping(folder / "iso.toml", None)), str(second)])


def _said(result: object) -> str:
    return " ".join(str(getattr(result, "stdout", "")).split())


def test_a_survey_imported_twice_under_other_ids_is_said_on_every_face(cli: Cli, tmp_path: Path) -> None:
    first, second = _exports(tmp_path)
    assert "copies" not in _said(cli("import", "--quiet", *first))
    assert cli.value("--period", "2026-11", "--kpi", "nps") == 16.6667
    said = _said(cli("import", "--quiet", *second))
    assert ("warning: answers in the workspace that look like copies of others (the same score, account, "
            "rep and second under another id, e.g. '11/2/2026 8:51:12' and '2026-11-02 08:51:12.402'): 6. "
            "The same survey imported twice, its ids made differently? NPS counts each copy") in said
    # Written and counted, as the records say: the figure is the same, its count doubled.
    row = cli.report("--period", "2026-11", "--kpi", "nps")["rows"][0]
    assert (row["value"], row["n"]) == (16.6667, 12)
    # Again, in German: the same file again changes nothing, and the copies are still there.
    german = _said(cli("import", "--quiet", "--lang", "de", *second))
    assert ("Warnung: Antworten im Arbeitsbereich, die wie Kopien anderer aussehen (gleiche Bewertung, "
            "gleicher Kunde, gleicher Mitarbeiter, gleiche Sekunde, andere ID, z. B. '11/2/2026 8:51:12' "
            "und '2026-11-02 08:51:12.402'): 6.") in german
    with Workspace.open(cli.db) as ws:
        summary = ws.import_files(Path(second[-1]), mapping=Path(second[1]))
    assert summary.as_json()["look_alike"] == {
        "nps_responses": {"records": 6, "example": ["11/2/2026 8:51:12", "2026-11-02 08:51:12.402"]}}
    with TestClient(create_app(cli.db, warm=False)) as client:
        # A canonical upload of other answers: the copies already stored are still said.
        other = write_csv(tmp_path / "nps_responses.csv", [
            {"response_id": "r1", "score": "8", "responded_at": "2026-11-20T09:00:00"}])
        answer = client.post("/api/v1/import",
                             files=[("files", ("nps_responses.csv", other.read_bytes(), "text/csv"))])
        assert answer.status_code == 200, answer.text
        assert answer.json()["look_alike"] == {
            "nps_responses": {"records": 6, "example": ["11/2/2026 8:51:12", "2026-11-02 08:51:12.402"]}}
        token = form_token(client.get("/upload").text)
        page = client.post("/upload?lang=de", data={"csrf": token},
                           files=[("files", ("nps_responses.csv", other.read_bytes(), "text/csv"))])
    assert page.status_code == 200, page.text
    assert "die wie Kopien anderer aussehen" in " ".join(page.text.split())


def test_answers_alike_only_in_part_are_not_copies(cli: Cli, tmp_path: Path) -> None:
    """Two accounts giving the same score in the same second, one answer a second later, and a new
    survey's answers at other times: none is a copy, and no import says so."""
    write_csv(tmp_path / "nps_responses.csv", [
        {"response_id": "a", "account": "Acme", "score": "9", "responded_at": "2026-11-02T08:51:12"},
        {"response_id": "b", "account": "Globex", "score": "9", "responded_at": "2026-11-02T08:51:12"},
        {"response_id": "c", "account": "Acme", "score": "9", "responded_at": "2026-11-02T08:51:13"},
        {"response_id": "d", "account": "Acme", "score": "8", "responded_at": "2026-11-02T08:51:12"}])
    said = _said(cli("import", "--quiet", str(tmp_path / "nps_responses.csv")))
    assert "copies" not in said and "nps_responses" in said
    result = cli("import", "--quiet", str(tmp_path / "nps_responses.csv"))
    assert "copies" not in _said(result)
    with Workspace.open(cli.db, read_only=True) as ws:
        assert ws.connection.execute("SELECT count(*) FROM nps_responses").fetchone() == (4,)
    # Answers dated without a time (midnight): the same score the same day is two people.
    write_csv(tmp_path / "days" / "nps_responses.csv", [
        {"response_id": f"d{i}", "score": "9", "responded_at": "2026-11-05"} for i in range(3)])
    assert "copies" not in _said(cli("import", "--quiet", str(tmp_path / "days" / "nps_responses.csv")))
    # The same answer under a second id, and the figure that counts both.
    write_csv(tmp_path / "again" / "nps_responses.csv", [
        {"response_id": "a-2", "account": "Acme", "score": "9", "responded_at": "2026-11-02T08:51:12.250"}])
    said = _said(cli("import", "--quiet", str(tmp_path / "again" / "nps_responses.csv")))
    assert "e.g. 'a' and 'a-2'): 1." in said
    assert json.loads(cli("report", "--period", "2026-11", "--kpi", "nps", "--format", "json").stdout
                      )["rows"][0]["n"] == 8
