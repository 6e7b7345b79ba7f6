"""The digest: written as HTML and PDF, and sent through a real SMTP server (aiosmtpd on a free
loopback port), on the hand-checked workspace of tests/webdata.py.

October 2026 there: revenue 3000.30 from d1 (jim, 1000.10) and d2 (ann, 2000.20), d3 lost: win rate
2/3; September: revenue 700.00 (d4). The tests set a revenue target of 5000 for October, so with the
month over the company is at 60 % of it: off track.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pypdf
import pytest
from fastapi.testclient import TestClient

from helpers import Cli
from mailserver import MailServer
from webdata import make_workspace

OCTOBER = ("--period", "2026-10", "--as-of", "2026-10-31")


def plain(text: str) -> str:
    """Text as a reader sees it: no-break and thin spaces as spaces, runs of space as one."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " "))


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return plain(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cli = Cli(make_workspace(tmp_path / "work.duckdb"))
    cli("target", "set", "total_revenue", "5000", "--period", "2026-10")
    cli("target", "set", "win_rate", "50%")
    return cli


def test_the_pdf_holds_the_figures_and_the_off_track_target_first(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "digest.pdf"
    cli("digest", *OCTOBER, "--output", str(out))
    text = pdf_text(out.read_bytes())
    assert "Sales digest: Oct 1 – 31, 2026" in text
    assert "Total revenue $3,000.30 $700.00 +328.6 %" in text  # beside September, the change
    assert "66.7 %" in text  # win rate 2/3
    # Targets: revenue missed (3000.30 of 5000: pace 60 %) comes before the win rate reached. The
    # month is over: missed and reached, not off and on track (it cannot slip any more).
    assert re.search(r"missed Total revenue company \$3,000.30 \$5,000.00 60 %", text), text
    assert text.index("missed") < text.index("reached")
    assert "reached Win rate (closed) company 66.7 % 50.0 % 133 %" in text


def test_the_html_file_stands_alone_at_mail_width(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "digest.html"
    cli("digest", *OCTOBER, "--output", str(out))
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "max-width:600px" in html
    # Nothing loaded from anywhere: charts are PNG data URIs (mail clients drop SVG), no stylesheet.
    assert not re.search(r"""(src|href)=["'](https?:|//)""", html)
    assert "<svg" not in html and "<link" not in html
    images = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', html)
    assert images == ["Revenue by month", "Revenue by product"]
    # Their figures in words below them (many mail clients show no image until asked)
    assert ("Revenue by month, 2025-11 to 2026-10: highest $3,000.30 (2026-10), latest "
            "$3,000.30.") in plain(html)
    assert 'data-status="off_track"' in html and "missed" in html


def test_german_digest(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "bericht.pdf"
    cli("digest", *OCTOBER, "--lang", "de", "--output", str(out))
    text = pdf_text(out.read_bytes())
    assert "Vertriebsbericht: 1.–31. Okt. 2026" in text
    assert "Gesamtumsatz 3.000,30 $ 700,00 $ +328,6 %" in text
    assert re.search(r"verfehlt Gesamtumsatz Unternehmen 3.000,30 \$ 5.000,00 \$ 60 %", text), text


def test_an_empty_period_says_so_or_is_skipped(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    cli("digest", "--period", "2025-01", "--output", str(out))
    # d4 was created on Aug 25, the last answer given on Oct 12
    assert ('data-empty="true">No records in this period: the records run from Aug 25, 2026 to Oct 12, '
            "2026.</p>") in out.read_text(encoding="utf-8")
    # Nothing to compare, and no chart of zeros (the output tester: "no change is beyond noise" and
    # "highest $0.00 (2024-02)" under "No records").
    page = out.read_text(encoding="utf-8")
    assert "Nothing to compare: the period holds no records." in page and "beyond noise." not in page
    assert "Revenue by month" not in page and "<img" not in page
    skipped = tmp_path / "skipped.html"
    result = cli("digest", "--period", "2025-01", "--output", str(skipped), "--skip-empty")
    assert not skipped.exists() and "nothing written or sent" in result.stderr


def test_the_message_arrives_with_html_text_and_the_pdf(cli: Cli, smtp: MailServer) -> None:
    result = cli("digest", *OCTOBER, "--to", "leader@example.com", "--to", "coach@example.com",
                 "--smtp", smtp.url)
    assert "sent" in result.stdout
    [got] = smtp.received
    assert got.recipients == ["leader@example.com", "coach@example.com"]
    assert got.message["Subject"] == "Sales digest Oct 1\u2009–\u200931, 2026: 1 missed"
    kinds = [p.get_content_type() for p in got.message.walk()]
    assert kinds == ["multipart/mixed", "multipart/alternative", "text/plain", "multipart/related",
                     "text/html", "image/png", "image/png", "application/pdf"]
    text, html = plain(got.text()), got.html()
    assert ("- ▼ Total revenue (company): $3,000.30 against a target of $5,000.00: missed, "
            "pace 60 %.") in text
    assert 'data-status="off_track"' in html and 'src="cid:trend@salesmetrics"' in html
    # No rep of this workspace has the closed deals a verdict needs: that is said, never "no rep
    # needs attention", an all-clear (a tester).
    # A figure's notes go with it, as the report's do (they were dropped).
    assert "- Win rate (closed): 66.7 % (Before: 100.0 %, -33.3 pp, within noise); small sample -" in text
    assert re.search(r"Win rate \(closed\)<br><span[^>]*data-notes>small sample</span>", html)
    for said in (text, plain(html)):
        assert "No rep had the 10 closed deals a verdict needs: none could be judged." in said
        assert "No rep needs attention" not in said
    [pdf] = got.attachments()
    assert pdf.get_filename() == "digest-2026-10-01-2026-10-31.pdf"
    assert "$3,000.30" in pdf_text(pdf.get_content())


def test_a_target_not_judged_reads_without_a_gap(cli: Cli, smtp: MailServer) -> None:
    """A target without a status has no mark: its line read "-  Ramp time ..." (a tester)."""
    cli("target", "set", "ramp_time", "90", "--period", "2026-10")  # no hire dates: no figure
    cli("digest", *OCTOBER, "--to", "leader@example.com", "--smtp", smtp.url)
    [got] = smtp.received
    lines = [line for line in got.text().splitlines() if "(company):" in line]
    assert any(line.startswith("- ▼ Total revenue (company)") for line in lines), lines
    assert all(not line.startswith("-  ") for line in lines), lines
    assert any(line.startswith("- Ramp time (company)") and "not judged" in line for line in lines), lines


def test_the_german_message(cli: Cli, smtp: MailServer) -> None:
    cli("digest", *OCTOBER, "--to", "leiter@example.de", "--smtp", smtp.url, "--lang", "de")
    [got] = smtp.received
    assert got.message["Subject"] == "Vertriebsbericht 1.–31. Okt. 2026: 1 verfehlt"
    text = plain(got.text())
    assert ("Gesamtumsatz (Unternehmen): 3.000,30 $ bei einem Ziel von 5.000,00 $: verfehlt, "
            "Tempo 60 %") in text
    assert "Gewinnrate (abgeschlossen): 66,7 %" in text
    assert "Der Bericht liegt als PDF bei." in text
    assert "3.000,30 $" in pdf_text(got.attachments()[0].get_content())


def test_a_refusing_or_absent_server_is_an_error_with_its_answer(cli: Cli, smtp: MailServer) -> None:
    smtp.refuse("554 5.7.1 Message rejected: policy")
    refused = cli("digest", *OCTOBER, "--to", "leader@example.com", "--smtp", smtp.url, ok=False)
    assert refused.exit_code == 1
    assert "refused the message: 554 5.7.1 Message rejected: policy" in plain(refused.stderr)
    smtp.stop()
    down = cli("digest", *OCTOBER, "--to", "leader@example.com", "--smtp", smtp.url, ok=False)
    assert down.exit_code == 1 and "cannot reach the SMTP server at 127.0.0.1" in plain(down.stderr)


def test_an_address_that_is_not_one_is_refused_before_anything_is_done(cli: Cli, smtp: MailServer,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "d.pdf"
    for bad in ("leader@example", "leader example.com", "a@example.com\nBcc: all@example.com"):
        result = cli("digest", *OCTOBER, "--to", bad, "--smtp", smtp.url, "--output", str(out), ok=False)
        assert result.exit_code == 2 and "is not an e-mail address" in result.stderr
    assert not out.exists() and smtp.received == []


def test_a_format_the_digest_is_written_in_points_to_output(cli: Cli) -> None:
    # "--format must be  or json": the message lost its first half, and said nothing of --output.
    for fmt, said in (("html", "--output FILE.html"), ("pdf", "--output FILE.pdf"), ("csv", "must be json")):
        refused = cli("digest", *OCTOBER, "--format", fmt, ok=False)
        assert refused.exit_code == 2 and said in refused.stderr and refused.stdout == ""


def test_smtp_settings_never_hold_a_password(cli: Cli, smtp: MailServer) -> None:
    refused = cli("config", "set", "smtp_url", "smtp://digest:secret@mail.example.com:587", ok=False)
    assert refused.exit_code != 0 and "SALESMETRICS_SMTP_PASSWORD" in refused.stderr
    cli("config", "set", "smtp_url", f"smtp://{smtp.url}")
    cli("config", "set", "mail_from", "Sales digest <digest@example.com>")
    cli("digest", *OCTOBER, "--to", "leader@example.com")  # the setting names the server
    [got] = smtp.received
    assert got.message["From"] == "Sales digest <digest@example.com>"
    no_server = cli("config", "unset", "smtp_url")
    assert no_server.exit_code == 0
    missing = cli("digest", *OCTOBER, "--to", "leader@example.com", ok=False)
    assert missing.exit_code == 2 and "no SMTP server" in missing.stderr


def test_the_api_and_the_dashboard_offer_the_digest(cli: Cli) -> None:
    from salesmetrics.web.app import create_app

    with TestClient(create_app(cli.db, warm=False, schedules=False)) as client:
        data = client.get("/api/v1/digest", params={"period": "2026-10", "as_of": "2026-10-31"}).json()
        assert [t["status"] for t in data["targets"]] == ["off_track", "on_track"]
        assert data["targets"][0]["value"] == 3000.30 and data["targets"][0]["target"] == 5000
        assert data["trend_grain"] == "month" and data["trend"][-1] == {
            "month": "2026-10", "period": "2026-10", "value": 3000.30, "n": 2}
        pdf = client.get("/api/v1/digest.pdf", params={"period": "2026-10", "as_of": "2026-10-31",
                                                       "lang": "de"})
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert "3.000,30 $" in pdf_text(pdf.content)
        page = client.get("/", params={"period": "2026-10", "team": "east"}).text
        assert 'href="/api/v1/digest.pdf?period=2026-10&amp;team=east&amp;lang=en"' in page
        assert 'href="/api/v1/report.xlsx?period=2026-10&amp;team=east&amp;compare=true&amp;lang=en"' in page
        bad = client.get("/api/v1/digest.pdf", params={"period": "2026-13"})
        assert bad.status_code == 400 and bad.json()["error"]["type"] == "bad_period"


def test_digest_json_is_what_the_api_answers(cli: Cli) -> None:
    data = json.loads(cli("digest", *OCTOBER, "--format", "json").stdout)
    heads = {h["kpi"]: h for h in data["headlines"]}
    assert heads["total_revenue"]["value"] == 3000.30 and heads["total_revenue"]["previous"] == 700.00
    assert data["empty"] is False and data["significant_changes"] == []


def test_a_digest_by_source_says_what_it_leaves_out_and_lists_no_rep_for_all_sources(
        cli: Cli, tmp_path: Path) -> None:
    """Found by the output tester: under "Filters: Source = inbound" the reps to coach were judged on
    every source's deals, quota attainment, activities, NPS and ramp time went missing with
    "skipped": [], and "No target applies to this digest. Set one" stood beside targets set."""
    data = json.loads(cli("digest", *OCTOBER, "--filter", "source=inbound", "--format", "json").stdout)
    heads = {h["kpi"]: h["value"] for h in data["headlines"]}
    assert heads["total_revenue"] == 1000.10  # d1 only: d2 came by referral
    left = {s["kpi"]: s["cause"] for s in data["skipped"]}
    assert left == {"quota_attainment": "not_applicable", "activity_count": "not_applicable",
                    "nps": "not_applicable", "ramp_time": "not_applicable"}, left
    assert data["attention"] == [] and data["attention_judged"] == 0 and data["unfiltered"] == ["source"]
    assert data["targets"] == []
    out = tmp_path / "digest.html"
    cli("digest", *OCTOBER, "--filter", "source=inbound", "--output", str(out))
    page = html.unescape(plain(out.read_text()))
    assert "Left out, as they cannot be filtered by Source: Quota attainment, Activities," in page
    assert "Targets are not shown under a filter by Source" in page and "Set one with" not in page
    assert "Not shown under a filter by Source: a rep's verdict rests on all their deals" in page
    cli("digest", *OCTOBER, "--filter", "source=inbound", "--lang", "de", "--output", str(out))
    german = plain(out.read_text())
    assert "Weggelassen, da nicht nach Quelle filterbar: Quotenerreichung" in german, german
    assert "Ziele werden unter einem Filter nach Quelle nicht gezeigt" in german


def test_the_charts_draw_the_euro_sign_umlauts_and_dashes() -> None:
    """Pillow's own font had none of them: every axis of a workspace in euros read "▯30K", a German
    product name lost its umlauts (a tester). The charts are set in DejaVu Sans, as the PDF is."""
    from salesmetrics.documents.charts import _font

    font = _font(12)
    missing = bytes(font.getmask("\U000f0000"))  # a private-use character: no font has it
    drawn = {c: bytes(font.getmask(c)) for c in "€£äöüßÄ–"}
    assert all(mask != missing for mask in drawn.values()), [c for c, m in drawn.items() if m == missing]
    assert len(set(drawn.values())) == len(drawn)


def test_a_running_month_s_digest_draws_months_as_a_whole_month_s(cli: Cli) -> None:
    """December's digest on the 7th drew 13 weeks, November's 12 months: a schedule of this-month
    changed charts from month to month (a tester)."""
    from datetime import datetime
    from unittest import mock

    from helpers import clock_at

    with mock.patch("salesmetrics.store.datetime", clock_at(datetime(2026, 10, 7, 9, 0))):
        running = json.loads(cli("digest", "--period", "this-month", "--format", "json").stdout)
    whole = json.loads(cli("digest", *OCTOBER, "--format", "json").stdout)
    assert running["trend_grain"] == whole["trend_grain"] == "month"
    assert running["trend"][-1]["period"] == "2026-10-01..2026-10-07"  # the month so far, said so
