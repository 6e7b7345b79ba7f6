"""Errors a user can act on. Every face prints ``str(error)`` and nothing else."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar


class SalesmetricsError(Exception):
    """Base class: a problem the user can fix (bad input, bad option, missing data).

    ``key`` and ``values`` (set with :func:`keyed`) name what the message says, so a face can word it
    in the reader's language (``salesmetrics.text.errors``); ``str()`` stays the English message."""

    key: str | None = None
    values: Mapping[str, object] = {}


_E = TypeVar("_E", bound=SalesmetricsError)


def keyed(error: _E, key: str, **values: object) -> _E:
    """``error`` with the key and values its message is worded from in ``text/errors.py``."""
    error.key = key
    error.values = values
    return error


class PeriodError(SalesmetricsError, ValueError):
    """A period string that cannot be read."""


class UnknownKPIError(SalesmetricsError, KeyError):
    """A KPI id that is not in the registry."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class DimensionError(SalesmetricsError, ValueError):
    """A grouping or filter dimension that does not exist or does not apply."""


class CurrencyError(SalesmetricsError):
    """Amounts in several currencies that cannot be converted to the base currency."""


# What holds money without a rate, as :func:`no_rate` names it (German: text/errors.py).
UNRATED = {"deals": "deal(s)", "open_deals": "open deal(s)", "quotas": "quota(s)"}


def no_rate(n: int, what: str, currency: str | None, base: str | None, day: object) -> CurrencyError:
    """The refusal of money nobody can convert: ``n`` of ``what`` (a key of :data:`UNRATED`) in
    ``currency``, the first of them on ``day`` (a date or moment: its day is named). Every reader of
    money says it in these words, the SQL's checks and the funnel's Python alike."""
    first = str(day)[:10]
    return keyed(CurrencyError(
        f"{n} {UNRATED[what]} in {currency} (and maybe others) have no exchange rate to {base} on or "
        f"before {first}; import fx_rates (date, currency, rate_to_base) covering them. Amounts in "
        "different currencies are never added as they are."),
        "no_rate", n=n, what=what, currency=currency, base=base, day=first)


def is_out_of_range(detail: str) -> bool:
    """Whether the engine's error is a value beyond its type (DuckDB words it so), not another."""
    return "out of range" in detail


def out_of_range(detail: str) -> str:
    """What a face says when the engine meets a value beyond its type (a DuckDB DataError that
    :func:`is_out_of_range`): most likely money beyond 10^16 from a value typed wrong, an amount
    times a rate typed upside down, a quantity times a price. The workspace is fine; it was once
    called damaged."""
    first = detail.splitlines()[0] if detail.strip() else "a value beyond its type"
    return (f"a value is out of range ({first}); an amount, a quantity times its unit price or an "
            "amount times its exchange rate may be beyond 10^16: look for a value typed wrong in "
            "deals, deal_items and fx_rates")


class SettingsError(SalesmetricsError, ValueError):
    """A workspace setting with an invalid name or value."""


class EnvironmentValueError(SalesmetricsError, ValueError):
    """An environment variable of ours (``SALESMETRICS_*``) set to a value it does not take."""


class AccountError(SalesmetricsError, ValueError):
    """A user, password or token that cannot be added, changed or used as asked."""


class WorkspaceError(SalesmetricsError):
    """A workspace file that cannot be opened or is too new for this version."""


class WorkspaceBusyError(WorkspaceError):
    """Another process holds the workspace file (DuckDB lets one process write it at a time)."""


class UnknownValueError(SalesmetricsError, ValueError):
    """A filter value (team, rep, product, source, pipeline, activity type) or a rep that names
    nothing the one asking can see in the workspace. ``suggestions`` are the closest values that
    do; ``texts`` holds the message per language (``str()`` is the English one)."""

    def __init__(self, dimension: str, value: str, suggestions: Sequence[str] = (),
                 texts: Mapping[str, str] | None = None) -> None:
        self.dimension = dimension
        # As the message repeats it: an answer does not carry a 50 MB value back (known_values.echoed).
        self.value = value if len(value) <= 200 else value[:200]
        self.suggestions = tuple(suggestions)
        self.texts = dict(texts or {"en": f"no {dimension} {value!r} in this workspace"})
        super().__init__(self.texts["en"])

    def __str__(self) -> str:  # KeyError (UnknownRepError) would quote the message
        return self.texts["en"]

    def text(self, lang: str = "en") -> str:
        return self.texts.get(lang.lower()[:2], self.texts["en"])


class UnknownParameterError(SalesmetricsError, ValueError):
    """Query parameters a request named that its endpoint does not take (a mistyped ``tem=east`` would
    otherwise be answered for everyone). ``accepted`` are the ones it takes."""

    def __init__(self, parameters: Sequence[str], accepted: Sequence[str]) -> None:
        self.parameters = tuple(parameters)
        self.accepted = tuple(accepted)
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        from difflib import get_close_matches

        german = lang.lower().startswith("de")
        meant = "meinten Sie" if german else "did you mean"
        named = ", ".join(f"{p!r}" + (f" ({meant} {close[0]!r}?)" if (
            close := get_close_matches(p, self.accepted, n=1, cutoff=0.6)) else "") for p in self.parameters)
        takes = ", ".join(self.accepted)
        if german:
            return (f"unbekannte{'r' if len(self.parameters) == 1 else ''} Abfrageparameter {named}; "
                    f"dieser Endpunkt nimmt: {takes}")
        return (f"unknown query parameter{'s' if len(self.parameters) > 1 else ''} {named}; "
                f"this endpoint takes: {takes}")


class RepeatedParameterError(SalesmetricsError, ValueError):
    """Query parameters of one value given more than once: ``by=team&by=rep`` was answered by rep
    alone, ``period=2025-10&period=2025-11`` for November, as if that were all that was asked."""

    def __init__(self, parameters: Sequence[str]) -> None:
        self.parameters = tuple(parameters)
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        named = ", ".join(repr(p) for p in self.parameters)
        many = len(self.parameters) > 1
        if lang.lower().startswith("de"):
            by = "; mehrere Gruppierungen durch Kommas: by=team,rep" if "by" in self.parameters else ""
            return (f"Abfrageparameter {named} mehrfach angegeben; {'sie nehmen' if many else 'er nimmt'} "
                    f"einen Wert{by}")
        by = "; several groupings with commas: by=team,rep" if "by" in self.parameters else ""
        return (f"query parameter{'s' if many else ''} {named} given more than once; "
                f"{'each takes' if many else 'it takes'} one value{by}")


class AmbiguousValueError(UnknownValueError):
    """A rep's name that several reps share; ``suggestions`` are their ids."""


class UnknownRepError(UnknownValueError, KeyError):
    """A rep asked for by id or name (a scorecard, a target, a rep's page) that is not in the
    workspace, or not visible to the one asking."""


class ProgramError(SalesmetricsError, ValueError):
    """An enablement program that cannot be added, found or measured as asked: a name used twice,
    a start after its end, windows without a closed deal, ... ``str()`` is the English message;
    :meth:`text` says it in German too (the programs page shows it)."""

    def __init__(self, message: str, de: str | None = None) -> None:
        self.texts = {"en": message, "de": de or message}
        super().__init__(message)

    def __str__(self) -> str:  # KeyError (UnknownProgramError) would quote the message
        return self.texts["en"]

    def text(self, lang: str = "en") -> str:
        return self.texts.get(lang.lower()[:2], self.texts["en"])


class UnknownProgramError(ProgramError, KeyError):
    """A program asked for by id or name that is not in the workspace; ``suggestions`` are the
    closest names."""

    def __init__(self, message: str, suggestions: Sequence[str] = (), de: str | None = None) -> None:
        self.suggestions = tuple(suggestions)
        super().__init__(message, de)


LONG_VALUE, SHOWN_OF_LONG = 80, 60


def quoted(value: str, characters: str = "characters") -> str:
    """A refused value as a message quotes it: whole unless long (a 300-digit number, a pasted
    paragraph), which is cut with its length said, so a refusal stays readable."""
    if len(value) <= LONG_VALUE:
        return repr(value)
    return f"{value[:SHOWN_OF_LONG]!r}... ({len(value)} {characters})"


def cut(value: str, characters: str = "characters") -> str:
    """:func:`quoted` unquoted: as a page's table cell shows a refused value."""
    if len(value) <= LONG_VALUE:
        return value
    return f"{value[:SHOWN_OF_LONG]}... ({len(value)} {characters})"


@dataclass(frozen=True)
class Problem:
    """One bad value (or file-level problem) found while validating an import."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        shown = "" if self.value is None else f" (value {quoted(self.value)})"
        return f"{where}: {self.message}{shown}"


@dataclass(frozen=True)
class UnknownFile(Problem):
    """A file that is no canonical table's, by its name or its header, and no CRM's export: what it
    holds is for the user to say, with a mapping. ``reason`` says why in a few words."""

    reason: str = ""


@dataclass(frozen=True)
class Repeated:
    """One problem on many lines of a file's column (rep ids that no reps file has, one per deal),
    said once: how many lines, from which, and the values, most frequent first."""

    file: str
    column: str | None
    message: str
    lines: int
    first_line: int
    distinct: int  # different values among the lines
    values: tuple[str, ...]  # the most frequent few

    def key(self) -> tuple[str, str | None, str]:
        return self.file, self.column, self.message

    def joined(self, other: Repeated, shown: int) -> Repeated:
        return Repeated(self.file, self.column, self.message, self.lines + other.lines,
                        min(self.first_line, other.first_line), self.distinct + other.distinct,
                        (self.values + other.values)[:shown])

    def values_text(self, more: str = "and {n} more", characters: str = "characters") -> str:
        shown = ", ".join(quoted(v, characters) for v in self.values)
        rest = self.distinct - len(self.values)
        return f"{shown} {more.format(n=rest)}" if rest > 0 else shown

    def __str__(self) -> str:
        column = "" if self.column is None else f", column {self.column!r}"
        values = ("" if not self.values else f" (value {quoted(self.values[0])})" if self.distinct == 1
                  else f"; {self.distinct} different values: {self.values_text()}")
        return (f"{self.file}{column}, {self.lines} lines from line {self.first_line}: "
                f"{self.message}{values}")


class ImportValidationError(SalesmetricsError):
    """An import was refused; nothing of it was written. ``repeated``: problems found on many lines
    alike, said once each in the message (``problems`` still lists the first of them line by line)."""

    def __init__(self, problems: list[Problem], total: int | None = None,
                 repeated: Sequence[Repeated] = ()) -> None:
        # One cell read into two columns (HubSpot's close date: closed_at and expected_close_on)
        # is one problem, said once.
        kept = list(dict.fromkeys(problems))
        self.problems = kept
        self.total = (total if total is not None else len(problems)) - (len(problems) - len(kept))
        self.repeated = list(repeated)
        super().__init__(self._message())

    def lines_apart(self) -> tuple[list[Problem | Repeated], int]:
        """What the message lists, in order (a repeated problem once, where its first line was), and
        how many problems it leaves unsaid."""
        groups = {r.key(): r for r in self.repeated}
        grouped = set(groups)
        listed: list[Problem | Repeated] = []
        said = 0
        for p in self.problems:
            key = (p.file, p.column, p.message)
            if p.line is None or key not in grouped:
                listed.append(p)
                said += 1
            elif key in groups:  # the first of its lines: the whole group, once
                group = groups.pop(key)
                listed.append(group)
                said += group.lines
        # Groups whose lines came after the problems kept (60 duplicate ids, then bad dates).
        listed += groups.values()
        said += sum(group.lines for group in groups.values())
        return listed, max(self.total - said, 0)

    def _message(self, workspace: str = "") -> str:
        lines = [f"Import refused, nothing was written: {self.total} problem(s) found."]
        unknown = [p for p in self.problems if isinstance(p, UnknownFile)]
        lines += unknown_files(unknown, workspace)
        listed, unsaid = self.lines_apart()
        lines += [f"  {p}" for p in listed if not isinstance(p, UnknownFile)]
        if unsaid:
            lines.append(f"  ... and {unsaid} more")
        return "\n".join(lines)

    def text(self, workspace: str = "") -> str:
        """The message, with ``workspace`` (``--db PATH``, as the command was given it) in the
        import commands it suggests, so they import into the same workspace."""
        return self._message(workspace)


# How the files not recognised are said (the command line's German: text/errors.py).
UNKNOWN_FILES_WORDS = {
    "head": "{n} file(s) not recognised: a canonical file is named for its table (deals.csv, reps.csv, "
            "...) and has its columns:",
    "then": "Propose a mapping for each, check it, then import the file with it:",
    "crm": "A CRM's own export imports with --from (close, hubspot, salesforce, pipedrive), whatever its "
           "name.",
}


def unknown_files(files: list[UnknownFile], workspace: str = "",
                  words: Mapping[str, str] = UNKNOWN_FILES_WORDS,
                  say: Callable[[str], str] = str) -> list[str]:
    """Files not recognised, said once with what to do for each: a folder of someone else's exports
    is one situation, not a problem per file. ``workspace``: the option naming it, for the import
    command (--inspect opens none). ``words`` and ``say`` (each file's reason): another language's."""
    if not files:
        return []
    import shlex
    from pathlib import PurePath

    lines = ["  " + words["head"].format(n=len(files))]
    lines += [f"    {p.file}: {say(p.reason or p.message)}" for p in files]
    lines.append("  " + words["then"])
    for p in files:
        mapping = shlex.quote(PurePath(p.file).stem + ".toml")
        lines += [f"    salesmetrics import --inspect {shlex.quote(p.file)} > {mapping}",
                  f"    salesmetrics import {workspace + ' ' if workspace else ''}--mapping {mapping} "
                 f"{shlex.quote(p.file)}"]
    lines.append("  " + words["crm"])
    return lines
