"""Human output says what the JSON says, in words and rounded figures (issue 10, items 10 and 11):
``report --compare`` shows the period before, the change and whether it is beyond noise in the table
and CSV; rows with a target show target, status and pace; no raw fractions anywhere."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from helpers import Cli, write_csv

Csvs = Any


def deal(deal_id: str, rep: str, status: str, amount: str, closed: str,
         account: str | None = None) -> dict[str, Any]:
    return {"deal_id": deal_id, "rep_id": rep, "account": account or f"acct-{deal_id}",
            "created_at": "2026-08-01T09:00:00", "closed_at": closed, "status": status,
            "amount": amount, "currency": "USD"}


@pytest.fixture
def jump(cli: Cli, csvs: Csvs) -> Cli:
    """September: 10 of 100 closed deals won; October: 40 of 100. Every deal is $100."""
    csvs("reps", [{"rep_id": "jim", "team": "east"}])
    deals = [deal(f"s{i}", "jim", "won" if i < 10 else "lost", "100.00",
                  f"2026-09-{1 + i % 28:02d}T09:00:00") for i in range(100)]
    deals += [deal(f"o{i}", "jim", "won" if i < 40 else "lost", "100.00",
                   f"2026-10-{1 + i % 28:02d}T09:00:00") for i in range(100)]
    cli.import_(csvs("deals", deals).parent)
    return cli


KPIS = ("--kpi", "win_rate", "--kpi", "average_deal_size", "--kpi", "total_revenue")


def csv_rows(cli: Cli, *args: str) -> dict[str, dict[str, str]]:
    text = cli("report", "--format", "csv", *args).stdout
    return {r["kpi"]: r for r in csv.DictReader(io.StringIO(text))}


def table_line(text: str, start: str) -> str:
    [line] = [ln for ln in text.splitlines() if ln.strip("│ ").startswith(start)]
    return line


def test_report_compare_shows_before_change_and_noise_in_the_table(jump: Cli) -> None:
    text = jump("report", "--period", "2026-10", *KPIS, "--compare").stdout
    assert "2026-10-01 – 2026-10-31, against 2026-09-01 – 2026-09-30" in text
    for header in ("Before", "Change", "Test"):
        assert header in text
    # 40 % against 10 %: +30 points, z = 4.9: significant.
    win = table_line(text, "Win rate")
    assert "10.0 %" in win and "+30.0 pp" in win and "significant" in win
    # $100 each time: no change, p = 1: within noise.
    size = table_line(text, "Average deal size")
    assert "$100.00" in size and "+0.0 %" in size and "within noise" in size
    # $4,000 against $1,000: +300 %; sums of money are not tested.
    revenue = table_line(text, "Total revenue")
    assert "$1,000.00" in revenue and "+300.0 %" in revenue and "not tested" in revenue
    de = jump("report", "--period", "2026-10", *KPIS, "--compare", "--lang", "de").stdout
    assert "Vorher" in de and "Änderung" in de and "gegenüber" in de
    assert "+30,0 Pp." in table_line(de, "Gewinnrate") and "signifikant" in table_line(de, "Gewinnrate")
    assert "im Rauschen" in table_line(de, "Durchschnittliche")
    assert "nicht getestet" in table_line(de, "Gesamtumsatz")


def test_report_compare_csv_has_the_comparison_columns(jump: Cli) -> None:
    rows = csv_rows(jump, "--period", "2026-10", *KPIS, "--compare")
    win, size, revenue = rows["win_rate"], rows["average_deal_size"], rows["total_revenue"]
    assert (win["previous"], win["change"], win["significant"]) == ("0.1", "0.3", "true")
    assert float(win["p_value"]) < 1e-5
    assert (size["previous"], size["change"], size["p_value"], size["significant"]) == (
        "100.00", "0.0", "1.0", "false")
    assert (revenue["previous"], revenue["change"], revenue["significant"]) == ("1000.00", "3.0", "")
    # Without --compare the CSV is as it was: the interval last.
    plain = jump("report", "--period", "2026-10", "--format", "csv", *KPIS).stdout
    assert plain.splitlines()[0].endswith("ci_low,ci_high")


def test_rows_with_a_target_show_target_status_and_pace(jump: Cli) -> None:
    jump("target", "set", "win_rate", "0.3", "--period", "2026-10")
    jump("target", "set", "total_revenue", "5000", "--period", "2026-10")
    args = ("--period", "2026-10", *KPIS, "--as-of", "2026-10-31")
    text = jump("report", *args).stdout
    assert "Target" in text and "Status" in text and "Pace" in text
    # October is over: its targets were reached or missed, they are no longer on track or off it.
    win = table_line(text, "Win rate")
    assert "30.0 %" in win and "reached" in win and "133 %" in win  # .4 / .3
    revenue = table_line(text, "Total revenue")
    assert "$5,000.00" in revenue and "missed" in revenue and "80 %" in revenue  # 4,000 / 5,000
    size = table_line(text, "Average deal size")  # no target: empty cells, not dashes of a status
    assert "missed" not in size and "reached" not in size
    de = jump("report", *args, "--lang", "de").stdout
    assert "Ziel" in de and "Tempo" in de
    assert "erreicht" in table_line(de, "Gewinnrate") and "verfehlt" in table_line(de, "Gesamtumsatz")
    running = jump("report", "--period", "2026-10", *KPIS, "--as-of", "2026-10-20").stdout
    assert "at risk" in table_line(running, "Total revenue")  # 3,200 by the 20th: pace 99 %
    rows = csv_rows(jump, *args)
    assert (rows["win_rate"]["target"], rows["win_rate"]["target_status"], rows["win_rate"]["pace"]) == (
        "0.3", "on_track", "1.3333")
    revenue = rows["total_revenue"]
    assert (revenue["target"], revenue["target_status"]) == ("5000.00", "off_track")  # money to the cent
    assert rows["average_deal_size"]["target"] == "" and rows["average_deal_size"]["pace"] == ""


def test_the_json_rows_stay_the_contract(jump: Cli) -> None:
    jump("target", "set", "win_rate", "0.3", "--period", "2026-10")
    data = jump.report("--period", "2026-10", "--kpi", "win_rate", "--compare")
    assert set(data) == {"period", "by", "filters", "currency", "rows", "skipped", "previous_period"}
    [row] = data["rows"]
    assert set(row) == {"kpi", "value", "unit", "n", "flags", "ci_low", "ci_high", "previous", "change",
                        "p_value", "significant", "target", "target_status", "pace"}
    assert (row["change"], row["pace"]) == (0.3, 1.3333)


def test_target_status_prints_percent_and_points_not_fractions(jump: Cli) -> None:
    jump("target", "set", "win_rate", "0.3", "--period", "2026-10")
    jump("target", "set", "total_revenue", "5000", "--period", "2026-10")
    text = jump("target", "status", "--period", "2026-10", "--as-of", "2026-10-31").stdout
    win, revenue = table_line(text, "Win rate"), table_line(text, "Total revenue")
    assert "+30.0 pp" in win and "133 %" in win
    assert "+300.0 %" in revenue and "80 %" in revenue
    assert "+0.3" not in text and "+3 " not in text and "133%" not in text
    de = jump("target", "status", "--period", "2026-10", "--as-of", "2026-10-31", "--lang", "de").stdout
    assert "+30,0 Pp." in de and "+300,0 %" in de  # Prozentpunkte
    assert "Unternehmen" in table_line(de, "Gesamtumsatz") and "company" not in de
    assert "company" in revenue
    jump("target", "set", "win_rate", "0.4", "--team", "east", "--period", "2026-10")
    de = jump("target", "status", "--period", "2026-10", "--as-of", "2026-10-31", "--lang", "de").stdout
    assert "Team east" in de


@pytest.fixture
def worked(cli: Cli, csvs: Csvs) -> Cli:
    """Three won deals with 1, 2 and 4 calls (7/3 = 2.333 a won deal), three lost ones with 1, 1, 3
    (5/3 = 1.667); promoters and detractors with orders of uneven size."""
    csvs("reps", [{"rep_id": "jim", "team": "east"}])
    deals, acts, answers = [], [], []
    for i, (status, calls) in enumerate((("won", 1), ("won", 2), ("won", 4),
                                         ("lost", 1), ("lost", 1), ("lost", 3))):
        deals.append(deal(f"d{i}", "jim", status, "500.00", "2026-10-05T09:00:00"))
        acts += [{"activity_id": f"a{i}-{k}", "rep_id": "jim", "type": "call",
                  "occurred_at": "2026-10-01T10:00:00", "deal_id": f"d{i}"} for k in range(calls)]
    for kind, amounts, score in (("p", (1210, 900, 1500, 1100, 1301), 10),
                                 ("q", (905, 1217, 1011, 1288, 1003), 2)):
        for i, amount in enumerate(amounts):
            account = f"{kind}{i}"
            deals.append(deal(f"{account}-1", "jim", "won", f"{amount}.00", "2026-09-01T09:00:00", account))
            answers.append({"response_id": f"r-{account}", "account": account, "score": score,
                            "responded_at": "2026-10-10T09:00:00", "rep_id": "jim"})
    csvs("deals", deals)
    csvs("activities", acts)
    cli.import_(csvs("nps_responses", answers).parent)
    return cli


def test_activities_print_rounded_figures(worked: Cli) -> None:
    data = json.loads(worked("activities", "--period", "2026-10", "--format", "json").stdout)
    [group] = data["groups"]
    assert (group["activities_per_won_deal"], group["activities_per_lost_deal"]) == (2.3333, 1.6667)
    text = worked("activities", "--period", "2026-10").stdout
    assert "activities per won/lost deal 2.3 / 1.7" in text
    assert "2.3333" not in text and "1.6667" not in text
    call = table_line(text, "call")
    assert call.split("│")[-3].strip() == "2.3" and call.split("│")[-2].strip() == "1.7"
    assert "2,3 / 1,7" in worked("activities", "--period", "2026-10", "--lang", "de").stdout


def test_satisfaction_prints_rounded_figures(worked: Cli) -> None:
    s = json.loads(worked("satisfaction", "--period", "2026-10", "--format", "json").stdout)
    text = worked("satisfaction", "--period", "2026-10").stdout
    low, high, p = s["ratio_ci_low"], s["ratio_ci_high"], s["p_value"]
    assert p == pytest.approx(0.3712, abs=1e-4)  # Welch's t over the ten orders
    assert f"(95 %: {low:.2f}–{high:.2f}, bootstrap over accounts), p = 0.37." in text.replace("\n", " ")
    assert str(low) not in text and str(p) not in text
    de = worked("satisfaction", "--period", "2026-10", "--lang", "de").stdout.replace("\n", " ")
    assert f"{low:.2f}–{high:.2f}".replace(".", ",") in de and "p = 0,37" in de


def test_an_empty_summary_table_says_why(jump: Cli) -> None:
    """No deal has lines (deal_items): the product table said nothing but its header. Without any
    line items it says it has no figure, the reason beneath (test_line_items.py); with line items
    but none won in the period, that none was."""
    jump.columns = 160
    result = jump("summary", "--period", "2026-10")
    text = " ".join(result.stdout.split())
    assert "no figure: no deal has line items (deal_items), below" in text
    assert "Revenue per product: no deal has line items (deal_items)" in " ".join(result.stderr.split())
    german = " ".join(jump("summary", "--period", "2026-10", "--lang", "de").stdout.split())
    assert "keine Zahl: kein Deal hat Positionen (deal_items), siehe unten" in german
    assert "no deal won" not in text  # jim won 40
    lines = jump.db.parent / "lines"
    jump.import_(write_csv(lines / "products.csv", [{"product_id": "p1", "name": "One"}]),
                 write_csv(lines / "deal_items.csv",
                           [{"deal_id": "s0", "product_id": "p1", "quantity": "1", "unit_price": "100.00"}]))
    october = " ".join(jump("summary", "--period", "2026-10").stdout.split())
    assert "no lines of won deals (deal_items) in this period" in october
