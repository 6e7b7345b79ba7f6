"""Enablement programs: a training, a playbook, new onboarding, sales content or a tool, given to some
reps from a day on. What ran when for whom is kept as canonical records (``programs``,
``program_participants``), so it imports from files like everything else and is read the same way
on every backend; whether it worked is :mod:`salesmetrics.insights.program_effect`.

A program is asked for by its id or its name, in any case; names are unique (in any case) so a name
always means one program. Participants are reps: ``--team T`` names the team's reps as they are when
the program is added.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import ProgramError, UnknownProgramError
from .kpis import compiled
from .kpis.known_values import closest, hire_dates, resolve_rep, resolve_values
from .kpis.query import Query
from .schema import PROGRAM_KINDS
from .typed_numbers import Ambiguous, NotANumber, read_number

if TYPE_CHECKING:
    from .access import Viewer
    from .store import Store

DEFAULT_KIND = "training"


@dataclass(frozen=True)
class Program:
    program_id: str
    name: str
    kind: str
    start_on: date
    end_on: date | None
    cost: Decimal | None
    currency: str | None
    participants: tuple[str, ...]  # rep ids, sorted

    @property
    def after_from(self) -> date:
        """The day the "after" window starts: the program's end, or its start when it has none."""
        return self.end_on or self.start_on

    def as_json(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "name": self.name, "kind": self.kind,
                "start_on": self.start_on, "end_on": self.end_on, "cost": self.cost,
                "currency": self.currency, "participants": list(self.participants)}


def list_programs(store: Store, viewer: Viewer | None = None) -> list[Program]:
    """Every program, oldest start first, with the participants ``viewer`` may see."""
    # Kept compiled like a KPI (kpis/compiled.py): the dashboard marks programs on its trend, and a
    # view whose SQL is kept needs no Ibis.
    query = Query.of_all_time(store.records(viewer))
    programs = compiled.run("programs", _programs, query)
    taking = compiled.run("program participants", _participant_rows, query)
    who: dict[str, list[str]] = {}
    for row in taking:
        who.setdefault(str(row["program_id"]), []).append(str(row["rep_id"]))
    out = [Program(str(p["program_id"]), str(p["name"]), p["kind"] or DEFAULT_KIND, p["start_on"],
                   p["end_on"], None if p["cost"] is None else Decimal(p["cost"]), p["currency"],
                   tuple(sorted(set(who.get(str(p["program_id"]), [])))))
           for p in programs]
    return sorted(out, key=lambda p: (p.start_on, p.name.casefold(), p.program_id))


def _programs(q: Query) -> Any:
    return q.records.table("programs")


def _participant_rows(q: Query) -> Any:
    return q.records.table("program_participants")


def find_program(store: Store, wanted: str, viewer: Viewer | None = None) -> Program:
    """The program with this id, else this name (in any case); refused with the closest names."""
    programs = list_programs(store, viewer)
    for p in programs:
        if p.program_id == wanted:
            return p
    folded = _folded(wanted)
    for p in programs:
        if _folded(p.name) == folded:
            return p
    names = [p.name for p in programs]
    close = closest(wanted, names)
    listed = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
    if close:
        hint = "; did you mean " + " or ".join(f"'{n}'" for n in close) + "?"
        hint_de = ". Meinten Sie " + " oder ".join(f"'{n}'" for n in close) + "?"
    elif names:
        hint, hint_de = f"; programs are: {listed}", f". Vorhanden sind: {listed}"
    else:
        hint = "; add one with `salesmetrics program add` or import programs.csv"
        hint_de = "; mit `salesmetrics program add` anlegen oder programs.csv importieren"
    raise UnknownProgramError(f"no program '{wanted}' in this workspace{hint}", close,
                              f"Es gibt kein Programm '{wanted}' in diesem Arbeitsbereich{hint_de}")


def programs_of_rep(store: Store, rep: str, viewer: Viewer | None = None) -> list[Program]:
    """The programs a rep took part in (``rep`` as stored: an id)."""
    return [p for p in list_programs(store, viewer) if rep in p.participants]


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


MAX_COST = Decimal("1E16")  # what the column holds: DECIMAL(18, 2)


def parse_cost(text: str | Decimal | None) -> Decimal | None:
    """A cost as typed (text in either notation) or as a JSON number gives it, held to the same
    rules: an API's ``"cost": -5`` or ``1500.005`` was stored as given, and ``1500`` answered as
    such where the stored cost reads 1500.00."""
    if text is None:
        return None
    value = text if isinstance(text, Decimal) else _read_cost(text)
    if not value.is_finite() or value < 0:
        raise ProgramError(f"cost {str(text)!r} must be an amount of zero or more",
                           f"Kosten {str(text)!r} müssen ein Betrag von null oder mehr sein")
    if value >= MAX_COST:
        raise ProgramError(f"cost {str(text)!r} is too large: at most 9,999,999,999,999,999.99",
                           f"Kosten {str(text)!r} sind zu groß: höchstens 9.999.999.999.999.999,99")
    if value != value.quantize(Decimal("0.01")):
        raise ProgramError(f"cost {str(text)!r} has more than two decimal places",
                           f"Kosten {str(text)!r} haben mehr als zwei Nachkommastellen")
    return value.quantize(Decimal("0.01"))


def _read_cost(text: str) -> Decimal:
    try:
        return read_number(text)
    except Ambiguous as twice:
        (thousands, decimal), comma = twice.readings(), twice.readings(comma=True)[1]
        raise ProgramError(f"cost {text!r} could be {thousands} or {decimal}: write it without thousands "
                           "separators",
                           f"Kosten {text!r} können {thousands} oder {comma} sein: ohne "
                           "Tausendertrennzeichen schreiben") from None
    except NotANumber:
        raise ProgramError(f"cost {text!r} is not an amount; write it as 12000 or 12000.50",
                           f"Kosten {text!r} sind kein Betrag; schreiben Sie 12000 oder 12000,50") from None


# German letters spelled out, as a German writes them where the letter cannot be (an address):
# "Neue Gesprächsführung" is neue-gespraechsfuehrung, not neue-gespr-chsf-hrung.
_SPELLED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _slug(name: str, taken: set[str]) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_SPELLED))
    ascii_name = folded.encode("ascii", "ignore").decode()  # é -> e: the accent dropped, not the letter
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "program"
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    return found


def _participants(store: Store, teams: Iterable[str], reps: Iterable[str]) -> list[str]:
    """Rep ids from teams (their reps now) and reps (by id or full name); an unknown one is refused
    with the closest that exist (:mod:`salesmetrics.kpis.known_values`)."""
    chosen: list[str] = []
    teams = [t for t in teams if t and t.strip()]
    if teams:
        resolved = resolve_values(store, {"team": tuple(t.strip() for t in teams)})["team"]
        members = store.teams()
        for team in resolved:
            in_team = sorted(r for r, t in members.items() if t == team)
            if not in_team:
                raise ProgramError(f"team '{team}' has no reps on record to take part",
                                   f"Team '{team}' hat keine erfassten Mitarbeiter, die teilnehmen könnten")
            chosen += in_team
    chosen += [resolve_rep(store, r.strip()) for r in reps if r and r.strip()]
    return list(dict.fromkeys(chosen))


def add_program(store: Store, name: str, *, start: date, end: date | None = None,
                kind: str | None = None, cost: str | Decimal | None = None, currency: str | None = None,
                teams: Sequence[str] = (), reps: Sequence[str] = (),
                program_id: str | None = None) -> Program:
    """Add a program and who took part, in one change (one transaction, one new data version)."""
    name = " ".join((name or "").split())
    if not name:
        raise ProgramError("give the program a name", "Geben Sie dem Programm einen Namen")
    kind = (kind or DEFAULT_KIND).strip().lower()
    if kind not in PROGRAM_KINDS:
        raise ProgramError(f"kind '{kind}' is not one of {', '.join(PROGRAM_KINDS)}",
                           f"Art '{kind}' ist keine von {', '.join(PROGRAM_KINDS)}")
    if end is not None and end < start:
        raise ProgramError(f"the program would end ({end.isoformat()}) before it starts "
                           f"({start.isoformat()})",
                           f"Das Programm würde enden ({end.isoformat()}), bevor es beginnt "
                           f"({start.isoformat()})")
    existing = list_programs(store)
    clash = next((p for p in existing if _folded(p.name) == _folded(name)), None)
    if clash is not None:
        raise ProgramError(f"a program named '{clash.name}' exists already (id {clash.program_id}, "
                           f"from {clash.start_on.isoformat()}); choose another name, or remove it first",
                           f"Ein Programm namens '{clash.name}' gibt es schon (ID {clash.program_id}, ab "
                           f"{clash.start_on.isoformat()}); wählen Sie einen anderen Namen oder entfernen "
                           "Sie es zuerst")
    ids = {p.program_id for p in existing}
    if program_id is not None and program_id in ids:
        raise ProgramError(f"a program with id '{program_id}' exists already",
                           f"Ein Programm mit der ID '{program_id}' gibt es schon")
    who = _participants(store, teams, reps)
    if not who:
        raise ProgramError("name who took part: one or more teams or reps (--team T, --rep R)",
                           "Nennen Sie, wer teilnahm: ein oder mehrere Teams oder Mitarbeiter "
                           "(--team T, --rep R)")
    amount = parse_cost(cost)
    code = (currency or "").strip().upper() or None
    if amount is not None and code is None:
        code = store.base_currency()
        if code is None:
            raise ProgramError("the workspace has no base currency, and no record names one: set it "
                               "first (salesmetrics config set base_currency EUR); the cost is then read "
                               "in that currency, as the figures are it is set against",
                               "Der Arbeitsbereich hat keine Basiswährung, und kein Datensatz nennt eine: "
                               "setzen Sie sie zuerst (salesmetrics config set base_currency EUR); die "
                               "Kosten gelten dann in dieser Währung, wie die Zahlen, denen sie "
                               "gegenübergestellt werden")
    if code is not None and not re.fullmatch(r"[A-Z]{3}", code):
        raise ProgramError(f"currency {currency!r} is not a three-letter ISO 4217 code such as EUR",
                           f"Währung {currency!r} ist kein dreibuchstabiger ISO-4217-Code wie EUR")
    program = Program(program_id or _slug(name, ids), name, kind, start, end, amount, code,
                      tuple(sorted(who)))
    store.change_records(insert={
        "programs": [{"program_id": program.program_id, "name": name, "kind": kind, "start_on": start,
                      "end_on": end, "cost": amount, "currency": code}],
        "program_participants": [{"program_id": program.program_id, "rep_id": r}
                                 for r in program.participants],
    })
    store.audit("program_add", f"{program.program_id}: {start.isoformat()}, "
                f"{len(program.participants)} participant(s)")
    return program


def hired_from_start(store: Store, program: Program) -> list[tuple[str, date]]:
    """Participants hired on or after the program's start, with their hire dates: they have no
    window before, so ``program effect`` cannot measure them (an onboarding program compares new
    hires instead)."""
    if program.kind == "onboarding":
        return []
    hired = hire_dates(store)
    return [(rep, hired[rep]) for rep in program.participants
            if rep in hired and hired[rep] >= program.start_on]


def change_participants(store: Store, wanted: str, *, teams: Sequence[str] = (),
                        reps: Sequence[str] = (), withdraw: Sequence[str] = ()) -> tuple[Program, list[str],
                                                                                       list[str]]:
    """Enrol ``teams`` (their reps now) and ``reps`` in a program, or ``withdraw`` reps from it, in one
    change; returns the program as it is now, the reps enrolled and those withdrawn. A rep forgotten
    when a program was added could only be added by removing it and adding it again."""
    program = find_program(store, wanted)
    joining = [r for r in _participants(store, teams, reps) if r not in program.participants]
    leaving = list(dict.fromkeys(resolve_rep(store, r.strip()) for r in withdraw if r and r.strip()))
    # --team T --withdraw R: R of T joins with the team and leaves at once, as asked.
    strangers = [r for r in leaving if r not in program.participants and r not in joining]
    if strangers:
        raise ProgramError(f"{', '.join(strangers)} {'does' if len(strangers) == 1 else 'do'} not take "
                           f"part in '{program.name}'",
                           f"{', '.join(strangers)} {'nimmt' if len(strangers) == 1 else 'nehmen'} nicht an "
                           f"'{program.name}' teil")
    now = sorted((set(program.participants) | set(joining)) - set(leaving))
    joining = [r for r in joining if r not in leaving]
    leaving = [r for r in leaving if r in program.participants]
    if not now:
        raise ProgramError(f"'{program.name}' would have no participant left: remove the program instead",
                           f"'{program.name}' hätte keinen Teilnehmer mehr: entfernen Sie stattdessen das "
                           "Programm")
    if joining or leaving:
        store.change_records(delete={"program_participants": ("program_id", [program.program_id])},
                             insert={"program_participants": [{"program_id": program.program_id, "rep_id": r}
                                                              for r in now]})
        store.audit("program_participants", f"{program.program_id}: +{','.join(joining) or '-'} "
                    f"-{','.join(leaving) or '-'}"[:200])
    return find_program(store, program.program_id), joining, leaving


def remove_program(store: Store, wanted: str) -> Program:
    """Remove a program and its participants, in one change; returns what was removed."""
    program = find_program(store, wanted)
    store.change_records(delete={"programs": ("program_id", [program.program_id]),
                                 "program_participants": ("program_id", [program.program_id])})
    store.audit("program_remove", program.program_id)
    return program
