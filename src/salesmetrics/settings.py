"""Workspace settings: what they are, their defaults, and how a typed value is read from text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .addresses import AddressError, check_address, parse_smtp_url
from .errors import SettingsError


def _time_zone(text: str) -> str:
    try:
        ZoneInfo(text)
        # "localtime" and "posixrules" are files of the system's zone database, not IANA names:
        # DuckDB refused them when the setting was applied, said as a damaged workspace.
        if text == "localtime" or text not in available_timezones():
            raise ValueError(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"unknown time zone {text!r}; use an IANA name such as 'Europe/Berlin' or 'UTC'"
        ) from None
    return text


def _month(text: str) -> str:
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise SettingsError(f"fiscal_year_start must be a month number 1-12, not {text!r}")
    return str(int(text))


def _currency(text: str) -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise SettingsError(f"base_currency must be a three-letter ISO 4217 code such as EUR, not {text!r}")
    return code


def _ramp_rule(text: str) -> str:
    if text not in ("quota", "revenue"):
        raise SettingsError(f"ramp_rule must be 'quota' or 'revenue', not {text!r}")
    return text


def _fraction(text: str) -> str:
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"ramp_threshold must be a number such as 1.0, not {text!r}") from None
    if not 0 < value <= 10:
        raise SettingsError(f"ramp_threshold must be above 0 and at most 10 (1.0 = 100 %), not {text!r}")
    return text


def _sustain(text: str) -> str:
    k_text, sep, n_text = text.replace(" ", "").partition("/")
    if not (sep and k_text.isdigit() and n_text.isdigit()):
        raise SettingsError(f"ramp_sustain must be written K/N, e.g. 2/3 (2 of 3 consecutive months), "
                            f"not {text!r}")
    k, n = int(k_text), int(n_text)
    if not 1 <= k <= n <= 12:
        raise SettingsError(f"ramp_sustain {text!r}: K of N consecutive months needs 1 <= K <= N <= 12")
    return f"{k}/{n}"


def _visibility(text: str) -> str:
    if text not in ("own", "team"):
        raise SettingsError(f"rep_visibility must be 'own' or 'team', not {text!r}")
    return text


def _smtp_url(text: str) -> str:
    try:
        return str(parse_smtp_url(text))
    except AddressError as exc:
        raise SettingsError(f"smtp_url: {exc}") from None


def _mail_from(text: str) -> str:
    try:
        return check_address(text)
    except AddressError as exc:
        raise SettingsError(f"mail_from: {exc}") from None


def sustain_of(text: str) -> tuple[int, int]:
    """``"2/3"`` -> ``(2, 3)``: K months at the threshold within N consecutive months."""
    k, _, n = _sustain(text).partition("/")
    return int(k), int(n)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    parse: Callable[[str], str]
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("time_zone", "UTC", _time_zone,
                "IANA time zone of the sales team; periods and dates without a zone are read in it."),
        Setting("fiscal_year_start", "1", _month,
                "Month (1-12) in which the fiscal year starts; quarters (2026-Q1) follow it."),
        Setting("base_currency", None, _currency,
                "Currency every figure is reported in. Empty: the records' own currency, if they share one."),
        Setting("ramp_rule", "quota", _ramp_rule,
                "'quota': productive at ramp_threshold of quota (falls back to 'revenue' for reps without "
                "quota); 'revenue': at ramp_threshold of the median monthly revenue of reps with more than "
                "12 months of tenure; for how long: ramp_sustain."),
        Setting("ramp_threshold", "1.0", _fraction,
                "Share of the ramp rule's target a rep must reach in a month (1.0 = 100 %)."),
        Setting("ramp_sustain", "2/3", _sustain,
                "K/N: a rep is ramped once K of N consecutive months reach ramp_threshold (one lucky "
                "month is not a ramp); the ramp month is the first of those K. 1/1: the first month."),
        Setting("rep_visibility", "own", _visibility,
                "What a rep's account sees: 'own' (their own records only) or 'team' (their team's, "
                "e.g. the team's leaderboard)."),
        Setting("smtp_url", None, _smtp_url,
                "Where digests and alerts are sent from: smtp://user@host:587 (STARTTLS when offered) or "
                "smtps://host. No password here: it comes only from $SALESMETRICS_SMTP_PASSWORD. "
                "$SALESMETRICS_SMTP_URL and --smtp go before it."),
        Setting("mail_from", None, _mail_from,
                "The sender of digests and alerts, e.g. 'Sales digest <digest@example.com>'. Empty: the "
                "SMTP user when it is an address, else salesmetrics@ this machine's name."),
    )
}


@dataclass(frozen=True)
class Settings:
    """The settings of one workspace, typed."""

    time_zone: str = "UTC"
    fiscal_year_start: int = 1
    base_currency: str | None = None
    ramp_rule: str = "quota"
    ramp_threshold: float = 1.0
    ramp_sustain: tuple[int, int] = (2, 3)  # K of N consecutive months at the threshold
    rep_visibility: str = "own"  # what a rep's account sees: own records, or the team's

    @classmethod
    def from_strings(cls, values: dict[str, str | None]) -> Settings:
        def get(name: str) -> str | None:
            v = values.get(name)
            return SETTINGS[name].default if v is None else v

        return cls(
            time_zone=get("time_zone") or "UTC",
            fiscal_year_start=int(get("fiscal_year_start") or 1),
            base_currency=get("base_currency") or None,
            ramp_rule=get("ramp_rule") or "quota",
            ramp_threshold=float(get("ramp_threshold") or 1.0),
            ramp_sustain=sustain_of(get("ramp_sustain") or "2/3"),
            rep_visibility=get("rep_visibility") or "own",
        )


@dataclass(frozen=True)
class SettingChange:
    """What changing a setting did: the value stored (None: back to its default), and the exchange
    rates removed with a move of the base currency (they converted to ``rates_were_to``)."""

    value: str | None
    rates_removed: int = 0
    rates_were_to: str | None = None
    # A time zone change: the stored times at exactly midnight it took to the day before (a move
    # west). A CRM exports a date without a time as midnight, and a date is a date in any zone.
    midnights_moved: int = 0
    # ... and the stored times it took into another month: the monthly figures they count in change.
    months_moved: int = 0


def parse_setting(name: str, text: str | None) -> str | None:
    """Check and normalise a setting's value as typed by a user (None: back to its default);
    raises SettingsError, also for a name that is no setting, whatever the value."""
    if name not in SETTINGS:
        known = ", ".join(SETTINGS)
        raise SettingsError(f"unknown setting {name!r}; settings are: {known}")
    return None if text is None else SETTINGS[name].parse(text.strip())
