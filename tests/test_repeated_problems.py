"""One problem on many lines, said once. A deals file whose rep ids no reps file has was refused
with 50 lines of "not found in reps", one per deal, then "... and 30 more": which reps to add could
not be read from it, and a real problem further down (a bad amount) was hidden. Now the repeated
problem is one line with its count and its values, most frequent first, in every face."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from helpers import Cli, form_token
from salesmetrics.web.app import create_app

REPS = [{"rep_id": "ann", "name": "Ann", "team": "East"}]
# 80 deals of 23 reps nobody imported (rep1 to rep11 on four deals each, the others on three),
# then one of Ann's with an amount that is no number.
DEALS = [{"deal_id": f"d{i}", "rep_id": f"rep{i % 23}", "created_at": "2026-09-01",
          "closed_at": "2026-10-05", "status": "won", "amount": "100.00", "currency": "EUR"}
         for i in range(1, 81)]
DEALS.append({"deal_id": "d99", "rep_id": "ann", "created_at": "2026-09-01", "closed_at": "2026-10-05",
              "status": "won", "amount": "1x0.00", "currency": "EUR"})
MISSING = "not found in reps (neither in the workspace nor in this import)"


def test_the_command_says_a_problem_of_80_lines_once_with_its_values(
        cli: Cli, csvs: Callable[..., Path]) -> None:
    reps, deals = csvs("reps", REPS), csvs("deals", DEALS)
    result = cli("import", str(reps), str(deals), ok=False)
    assert result.exit_code != 0
    said = [line.strip() for line in result.output.replace(f"{deals.parent}/", "").splitlines()]
    assert said[:3] == [
        "Error: Import refused, nothing was written: 81 problem(s) found.",
        f"deals.csv, column 'rep_id', 80 lines from line 2: {MISSING}; 23 different values: "
        + ", ".join(f"'rep{i}'" for i in range(1, 21)) + " and 3 more",
        "deals.csv, line 82, column 'amount': not a number; write plain numbers such as 1234.56 "
        "(no thousands separators or currency symbols) (value '1x0.00')",
    ]
    assert len(said) == 3  # nothing left unsaid: no "... and N more"
    german = cli("import", str(reps), str(deals), "--lang", "de", ok=False)
    assert ("deals.csv, Spalte 'rep_id', 80 Zeilen ab Zeile 2: nicht gefunden in reps (weder im "
            "Arbeitsbereich noch in diesem Import); 23 verschiedene Werte: 'rep1'") in german.output
    assert "'rep20' und 3 weitere" in german.output
    # Three lines of one problem are still listed one by one.
    few = cli("import", str(csvs("deals", DEALS[:3])), ok=False)
    assert [line.strip() for line in few.output.replace(f"{deals.parent}/", "").splitlines()][1:] == [
        f"deals.csv, line {n}, column 'rep_id': {MISSING} (value 'rep{n - 1}')" for n in (2, 3, 4)]


def test_the_api_and_the_upload_page_say_it_once_too(cli: Cli, csvs: Callable[..., Path]) -> None:
    cli.import_(csvs("reps", [{"rep_id": "bob", "name": "Bob", "team": "West"}]))
    files = [("reps.csv", csvs("reps", REPS).read_bytes()), ("deals.csv", csvs("deals", DEALS).read_bytes())]
    with TestClient(create_app(cli.db, warm=False)) as client:
        token = {"X-CSRF-Token": form_token(client.get("/upload").text)}
        answer = client.post("/api/v1/import", headers=token,
                             files=[("files", (name, body, "text/csv")) for name, body in files])
        assert answer.status_code == 422
        error = answer.json()["error"]
        assert error["total"] == 81
        assert error["repeated"] == [{
            "file": "deals.csv", "column": "rep_id", "message": MISSING, "lines": 80, "first_line": 2,
            "distinct": 23, "values": [f"rep{i}" for i in range(1, 21)]}]
        # Its first three lines, then the other problem: room for what the rep ids hid.
        assert [(p["line"], p["column"]) for p in error["problems"]] == [
            (2, "rep_id"), (3, "rep_id"), (4, "rep_id"), (82, "amount")]
        page = client.post("/upload?lang=de", data={"csrf": token["X-CSRF-Token"]},
                           files=[("files", (name, body, "text/csv")) for name, body in files])
        assert page.status_code == 422
        # The cells' phone labels (data-label) are the browser test's; here, what they hold.
        text = re.sub(r' data-label="[^"]*"', "", html.unescape(" ".join(page.text.split())))
        assert ("<td>deals.csv</td><td class=\"num\">80 Zeilen ab 2</td> <td>rep_id</td>"
                "<td><code>23 verschiedene Werte: 'rep1', 'rep2'") in text
        assert "'rep20' und 3 weitere</code></td><td class=\"message\">nicht gefunden in reps" in text
        assert "<td class=\"num\">82</td>" in text and "weitere</p>" not in text


def test_a_repeated_problem_after_the_first_fifty_is_still_said(cli: Cli, csvs: Callable[..., Path]) -> None:
    """60 ids each twice (60 problems, each its own line it repeats), then 10 reps whose hire date is
    no date: the dates are said once after the 50 listed, not hidden in "... and 20 more"."""
    reps = [{"rep_id": f"r{i}", "name": f"Rep {i}", "team": "East", "hired_on": "2026-01-05"}
            for i in range(60)]
    bad = [{"rep_id": f"n{i}", "name": f"New {i}", "team": "East", "hired_on": "next week" if i % 2 else ""}
           for i in range(10)]
    bad[0]["hired_on"] = "next week"
    path = csvs("reps", reps + reps + bad)
    result = cli("import", str(path), ok=False)
    said = [line.strip() for line in result.output.splitlines()]
    assert said[0] == "Error: Import refused, nothing was written: 66 problem(s) found."
    assert len([line for line in said if "duplicate rep_id" in line]) == 50
    assert said[-2:] == [
        f"{path}, column 'hired_on', 6 lines from line 122: not a date; "
        "write dates as YYYY-MM-DD, such as 2026-03-01 (value 'next week')",
        "... and 10 more"]


def test_a_long_refused_value_is_cut_short_on_the_upload_page(cli: Cli, csvs: Callable[..., Path]) -> None:
    """A 300-digit amount was shown whole in the page's table (the command line cut it already)."""
    cli.import_(csvs("reps", REPS))
    deal = {"deal_id": "d1", "rep_id": "ann", "created_at": "2026-09-01", "closed_at": "2026-10-05",
            "status": "won", "amount": "9" * 300, "currency": "USD"}
    files = [("reps.csv", csvs("reps", REPS).read_bytes()), ("deals.csv", csvs("deals", [deal]).read_bytes())]
    with TestClient(create_app(cli.db, warm=False)) as client:
        token = form_token(client.get("/upload").text)
        page = client.post("/upload?lang=en", data={"csrf": token},
                           files=[("files", (name, body, "text/csv")) for name, body in files])
        assert page.status_code == 422
        assert f"<code>{'9' * 60}... (300 characters)</code>" in page.text and "9" * 61 not in page.text
