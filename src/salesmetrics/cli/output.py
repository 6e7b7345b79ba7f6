"""Where a command's answer goes: the two consoles (sized to the terminal or $COLUMNS), errors in
one line, and JSON or a drawn answer, chosen by ``--format``."""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from ..decimal_json import dumps

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console
    from rich.text import Text

    from ..access import Viewer
    from ..report import Skipped
    from ..workspace import Workspace


class _Console:
    """A Rich console made when first used: a command that answers in JSON never loads Rich, 45-75 ms
    of each run (a report at 1M deals takes ~0.5 s). Until then it only remembers its width."""

    def __init__(self, stderr: bool) -> None:
        stream = sys.stderr if stderr else sys.stdout
        # Piped or captured output gets room for a full table instead of Rich's 80-column fallback.
        vars(self).update(stderr=stderr, console=None, wanted=None if stream.isatty() else 120)

    def made(self) -> Console:
        console = vars(self)["console"]
        if console is None:
            # Markup and emoji codes are off: names, amounts and messages come from the records,
            # and a rep called "[/x]" or ":thumbs_up:" is printed as written. Styled words are Text
            # objects (styled()).
            console = _safe_console()(stderr=vars(self)["stderr"], width=vars(self)["wanted"],
                                      markup=False, emoji=False)
            vars(self)["console"] = console
        return cast("Console", console)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)

    # Looked up on the class, not through __getattr__: Rich's Live enters its console (a progress
    # bar on a terminal).
    def __enter__(self) -> Console:
        return self.made().__enter__()

    def __exit__(self, *exc: Any) -> None:
        self.made().__exit__(*exc)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "width" and vars(self)["console"] is None:
            vars(self)["wanted"] = value
        else:
            setattr(self.made(), name, value)


# Control characters a record may hold (ESC, backspace, a bell): printed as they were, a rep named
# "Ac\x1b[31mme" turned the terminal red, and worse sequences can move the cursor or retitle it.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@functools.cache
def _safe_console() -> type[Console]:
    """Rich's console, with the control characters of what it prints shown as U+FFFD: its own
    styles and cursor moves (a progress bar) are made after, and are kept."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            return super()._render_buffer(
                Segment(_CONTROL.sub("\ufffd", seg.text), seg.style, seg.control)
                if not seg.control and _CONTROL.search(seg.text) else seg for seg in buffer)

    return SafeConsole


out = cast("Console", _Console(stderr=False))
err = cast("Console", _Console(stderr=True))


def escape(text: str) -> str:
    """``text`` from the data, safe inside Rich markup of our own (rich.markup.escape)."""
    from rich.markup import escape

    return escape(text)


def styled(markup: str) -> Text:
    """Words of our own with Rich markup (``[dim]...[/]``); anything from the data inside them must
    be passed through :func:`escape` first."""
    from rich.text import Text

    return Text.from_markup(markup, emoji=False)


def fit_consoles() -> None:
    """Print as wide as $COLUMNS says when it is set (a terminal's width, a script's choice), even
    piped; else a terminal's own width; else 120. Asked per command: a test runner or a shell may
    change COLUMNS between commands of one process."""
    for console, stream in ((out, sys.stdout), (err, sys.stderr)):
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            console.width = int(columns)
        elif stream.isatty():
            console.width = shutil.get_terminal_size().columns
        else:
            console.width = 120


def fail(message: str, code: int = 1, *, german: bool = False) -> typer.Exit:
    """Say what is wrong in one line on stderr; the caller raises what this returns. Exit code 2
    for a usage or value the command refuses, 1 for anything else that stops it. ``german``: the
    message is in German, and so is the word before it."""
    head = "Fehler:" if german else "Error:"
    # escape: a message may quote "[defaults]" or "[values.status]", which are no markup
    err.print(f"[bold red]{head}[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def refuse(message: str) -> typer.Exit:
    return fail(message, 2)


def writable_file(path: Path) -> None:
    """Refuse a file that cannot be written before anything is computed: into a folder that does
    not exist, it was a FileNotFoundError traceback after the work."""
    folder = path.parent
    if not folder.is_dir():
        raise refuse(f"cannot write {path}: there is no folder {folder}")
    if path.is_dir():
        raise refuse(f"cannot write {path}: it is a folder; name a file")


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, or say why it cannot be (a full disk, no permission)."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc.strerror or exc}") from None


def check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json")) -> None:
    if fmt not in allowed:
        listed = f"{', '.join(allowed[:-1])} or {allowed[-1]}" if len(allowed) > 1 else allowed[0]
        raise refuse(f"--format must be {listed}, not {fmt!r}")


def write_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")


def answer(fmt: str, result: Any, draw: Callable[[], None]) -> None:
    """The one way a command gives its answer: ``result.as_json()`` for ``--format json``, else
    whatever ``draw`` prints (tables, sentences)."""
    if fmt == "json":
        write_json(result.as_json())
    else:
        draw()


def where_the_records_are(ws: Workspace, period: str, as_of: date | None, viewer: Viewer | None,
                          lang: str) -> None:
    """After a drawn answer whose period holds no record: where the records are, on stderr, as the
    report and the insights say it (an export of 2017 under the default last-month read as a month
    of zeros in `trend`, `rep`, `compare` and `losses`; the first-hour tester)."""
    from ..text.figures import format_hint

    hint = ws.period_hint(period, as_of=as_of, viewer=viewer)
    if hint is not None:
        err.print(format_hint(hint, lang), style="yellow", highlight=False, markup=False)


def refused_notes(skipped: Sequence[Skipped], lang: str) -> None:
    """The KPIs an answer left out for money no exchange rate converts, and what to import: on
    stderr in every format (the JSON carries them under ``skipped`` too)."""
    from ..report import skipped_notes

    for note in skipped_notes(skipped, lang):
        err.print(note, style="yellow", highlight=False, markup=False)
