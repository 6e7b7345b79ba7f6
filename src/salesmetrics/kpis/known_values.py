"""What a value someone typed names: a filter value, or a rep, resolved to the id stored in the
store, or refused with the closest values that exist.

A filter with a value the workspace does not know would match no record and show a zero that looks
like a real figure, so it is refused, in every face, naming what was meant ("did you mean 'east'?").
A known value with no records in the period stays a real zero.

Ids (teams, products, sources, pipelines, and reps' ids) are matched exactly as stored: records may
hold ``East`` and ``east`` as two teams, and a filter that quietly picked one would be a guess. A rep
may also be named by full name, in any case ("daniel okafor"), since that is how people know them; a
name that several reps share is refused with their ids. Activity types were always lowercased, so
they match in any case as before.

The values are what the one asking may see (:class:`~salesmetrics.access.Viewer`), so a refusal
never names a team or rep hidden from them. They are read once per data version, with one small
query per kind of record asked about (kept compiled like a KPI's, :mod:`salesmetrics.kpis.compiled`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from ..access import Viewer
from ..errors import AmbiguousValueError, DimensionError, UnknownRepError, UnknownValueError, keyed
from ..periods import Period
from ..records import Records
from ..runtime import lazy_module
from ..store import Store
from . import compiled
from .query import Query

if TYPE_CHECKING:
    import ibis
else:  # imported when first used (runtime.py)
    ibis = lazy_module("ibis")

# Where each filter's values come from: one query per source, only for the dimensions asked.
SOURCES: dict[str, tuple[str, ...]] = {
    "reps": ("rep", "team"),
    "products": ("product",),
    "deals": ("source", "pipeline", "lost_reason"),
    "activities": ("activity_type",),
    # an account's segment with no deal yet is a segment all the same (a real zero)
    "accounts": ("segment", "industry", "region"),
}
SOURCE_OF = {dim: source for source, dims in SOURCES.items() for dim in dims}

# Words per dimension: (singular, plural) in English; the German "no ..." and plural.
_EN = {"team": ("team", "teams"), "rep": ("rep", "reps"), "product": ("product", "products"),
       "source": ("source", "sources"), "pipeline": ("pipeline", "pipelines"),
       "activity_type": ("activity type", "activity types"), "segment": ("segment", "segments"),
       "industry": ("industry", "industries"), "region": ("region", "regions"),
       "lost_reason": ("lost reason", "lost reasons"), "stage": ("stage", "stages")}
_DE = {"team": ("kein Team", "Teams"), "rep": ("keinen Mitarbeiter", "Mitarbeiter"),
       "product": ("kein Produkt", "Produkte"), "source": ("keine Quelle", "Quellen"),
       "pipeline": ("keine Pipeline", "Pipelines"), "activity_type": ("keine Aktivitätsart",
                                                                      "Aktivitätsarten"),
       "segment": ("kein Segment", "Segmente"), "industry": ("keine Branche", "Branchen"),
       "region": ("keine Region", "Regionen"), "lost_reason": ("keinen Verlustgrund", "Verlustgründe"),
       "stage": ("keine Phase", "Phasen")}
SUGGESTIONS = 3  # closest values named in a refusal
LISTED = 10  # known values listed when none is close
CLOSE = 0.6  # difflib's ratio from which a value counts as close (its own default)

# The known values do not depend on a period; Query needs one.
_ANY_PERIOD = Period(date(2000, 1, 1), date(2000, 1, 2), "known values")


@dataclass(frozen=True)
class Known:
    """The values each asked dimension can take, and reps' names (id -> name)."""

    values: Mapping[str, frozenset[str]]
    rep_names: Mapping[str, str]
    # Of a viewer who sees part of the workspace: "no rep 'R001' in this workspace" was untrue of
    # a rep they may not see (a tester); "among those you may see" is true either way.
    partial: bool = False
    # What the filters' lists show of a product (id -> name), as reps' names.
    product_names: Mapping[str, str] = field(default_factory=dict)

    def ids(self, dimension: str) -> frozenset[str]:
        return self.values.get(dimension, frozenset())

    def reps_named(self, text: str) -> list[str]:
        """The reps whose full name is ``text`` in any case; else those without a name whose id
        is (an export that names its owners only, Maven's sales agents: the name is the id)."""
        wanted = _folded(text)
        named = sorted(r for r, name in self.rep_names.items() if _folded(name) == wanted)
        return named or sorted(r for r in self.ids("rep") if r not in self.rep_names and _folded(r) == wanted)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


# -- reading them --------------------------------------------------------------------------------
def _null() -> Any:
    return ibis.literal(None, type="string")


def _reps(q: Query) -> Any:
    reps, quotas = q.records.table("reps"), q.records.table("quotas")
    parts = [
        reps.select(dim=ibis.literal("rep"), value=reps.rep_id, name=reps.name),
        reps.select(dim=ibis.literal("team"), value=reps.team, name=_null()),
        # a team may have a quota before it has reps on record; it is a team all the same
        quotas.select(dim=ibis.literal("team"), value=quotas.team, name=_null()),
    ]
    return _present(parts)


def _products(q: Query) -> Any:
    p = q.records.table("products")
    return _present([p.select(dim=ibis.literal("product"), value=p.product_id, name=p.name)])


def _deals(q: Query) -> Any:
    d = q.records.table("deals")
    return _present([d.select(dim=ibis.literal(dim), value=d[dim], name=_null())
                     for dim in SOURCES["deals"]])


def _accounts(q: Query) -> Any:
    a = q.records.table("accounts")
    return _present([a.select(dim=ibis.literal(dim), value=a[dim], name=_null())
                     for dim in SOURCES["accounts"]])


def _activities(q: Query) -> Any:
    a = q.records.table("activities")
    return _present([a.select(dim=ibis.literal("activity_type"), value=a.type.lower(), name=_null())])


def _present(parts: list[Any]) -> Any:
    # Ids are NOT NULL and teams not: one type for the union
    parts = [p.mutate(value=p.value.cast("string"), name=p.name.cast("string")) for p in parts]
    t = parts[0].union(*parts[1:], distinct=True) if len(parts) > 1 else parts[0].distinct()
    return t.filter(t.value.notnull() & (t.value != ""))


_BUILDERS = {"reps": _reps, "products": _products, "deals": _deals, "activities": _activities,
             "accounts": _accounts}


def read(records: Records, source: str) -> list[tuple[str, str, str | None]]:
    """(dimension, value, name) of one source's known values, as ``records`` lets its viewer see."""
    query = Query(records=records, period=_ANY_PERIOD)
    rows = compiled.run(f"known values {source}", _BUILDERS[source], query)
    return [(r["dim"], str(r["value"]), r["name"]) for r in rows]


def collect(rows: Iterable[tuple[str, str, str | None]], partial: bool = False) -> Known:
    values: dict[str, set[str]] = {}
    names: dict[str, dict[str, str]] = {"rep": {}, "product": {}}
    for dim, value, name in rows:
        values.setdefault(dim, set()).add(value)
        if dim in names and name:
            names[dim][value] = name
    return Known({d: frozenset(v) for d, v in values.items()}, names["rep"], partial, names["product"])


def known_values(store: Store, dimensions: Iterable[str], viewer: Viewer | None = None) -> Known:
    """The values filters on ``dimensions`` can take for ``viewer``, and reps' names. Every
    filtered question asks, so they are kept until the data version moves."""
    who = viewer or Viewer.everyone()
    sources = tuple(sorted({SOURCE_OF[d] for d in dimensions if d in SOURCE_OF}))

    def source_rows(source: str) -> list[tuple[str, str, str | None]]:
        return store.memo(("known values", who, source), lambda: read(store.records(who), source))

    return store.memo(("known values", who, sources),
                      lambda: collect((row for source in sources for row in source_rows(source)),
                                      not who.sees_everything))


def dimension_values(store: Store, viewer: Viewer | None = None) -> dict[str, list[tuple[str, str]]]:
    """What each filter dimension can be set to, as (id, label) pairs: what a face offers to
    choose from. Labels are names where the records have them. The same values a filter is
    checked against; no product where no deal has line items (a product filter is refused then)."""
    known = known_values(store, ("team", "rep", "product", "source", "pipeline", "activity_type",
                                 "segment", "industry", "region", "lost_reason"), viewer)
    reps, products = known.rep_names, store.names("products")

    def plain(dim: str) -> list[tuple[str, str]]:
        return [(v, v) for v in sorted(known.ids(dim))]

    return {
        "team": plain("team"),
        "rep": [(r, reps.get(r) or r)
                for r in sorted(known.ids("rep"), key=lambda r: ((reps.get(r) or r).lower(), r))],
        "product": sorted(((p, products.get(p) or p) for p in known.ids("product")),
                          key=lambda pair: (pair[1].lower(), pair[0])) if has_line_items(store) else [],
        "source": plain("source"),
        "pipeline": plain("pipeline"),
        "activity_type": plain("activity_type"),
        "segment": plain("segment"),
        "industry": plain("industry"),
        "region": plain("region"),
        "lost_reason": plain("lost_reason"),
    }


# -- hire dates ----------------------------------------------------------------------------------
def _hires(q: Query) -> Any:
    reps = q.reps()
    return reps.filter(reps.hired_on.notnull()).select("rep", "hired_on")


def hire_dates(store: Store, viewer: Viewer | None = None) -> dict[str, date]:
    """Each rep's hire date, of the reps ``viewer`` may see (those without one left out). Kept
    until the records change, and asked as kept SQL: a rep's page and the dashboard run without
    Ibis in a process that has their SQL kept."""
    def read_them() -> dict[str, date]:
        rows = compiled.run("reps' hire dates", _hires, Query.of_all_time(store.records(viewer)))
        return {str(r["rep"]): r["hired_on"] for r in rows}

    return dict(store.memo(("hire dates", viewer), read_them))


# -- line items ----------------------------------------------------------------------------------
def _items_counted(q: Query) -> Any:
    items = q.records.table("deal_items")
    return items.aggregate(n=items.count())


def has_line_items(store: Store) -> bool:
    """Whether any deal of the workspace has line items (deal_items): what every figure by product
    reads. The workspace's, whoever asks: a new rep without a deal of their own is not told to
    import line items the others' deals have. Kept until the data changes (Store.memo)."""
    return store.memo(("has line items",), lambda: bool(compiled.run(
        "has line items", _items_counted, Query.of_all_time(store.records(Viewer.everyone())))[0]["n"]))


def no_line_items() -> DimensionError:
    """The refusal of a figure by product where no deal has line items: every one would be 0 (a
    product filter) or missing (by product), and said as if the product had sold nothing."""
    return keyed(DimensionError(
        "no deal has line items (deal_items), so no figure can be grouped or filtered by product: "
        "import deal_items.csv (deal_id, product_id, quantity, unit_price), or map an export to it "
        "(docs/mapping.md)"), "no_line_items")


# -- resolving -----------------------------------------------------------------------------------
# The labels of deals the import writes in one spelling (importing.spelling.LABELS) that filter.
SPELLED_ONE_WAY = frozenset({"source", "pipeline", "lost_reason"})


def resolve_values(store: Store, where: Mapping[str, Sequence[str]],
                   viewer: Viewer | None = None) -> dict[str, tuple[str, ...]]:
    """Normalised filters with every value the stored id (rep names become ids); refuses a value
    that names nothing ``viewer`` can see, and a product where no deal has line items."""
    if not any(where.values()):
        return {dim: tuple(values) for dim, values in where.items()}
    if where.get("product") and not has_line_items(store):
        raise no_line_items()
    known = known_values(store, where, viewer)
    resolved = {dim: tuple(dict.fromkeys(resolve(known, dim, v) for v in values))
                for dim, values in where.items()}
    if resolved.get("rep") and resolved.get("team"):
        _on_the_teams(store, resolved["rep"], resolved["team"], known, viewer)
    return resolved


def _on_the_teams(store: Store, reps: Sequence[str], teams: Sequence[str], known: Known,
                  viewer: Viewer | None) -> None:
    """Refuse a rep filter beside a team filter the rep is not on: a rep's records count in their
    team's, so together they match nothing, and a page of Aisha (west) under team east read $0.00
    in every tile without a word."""
    team_of = store.teams(viewer)
    for rep in reps:
        team = team_of.get(rep)
        if team not in teams:
            named = known.rep_names.get(rep)
            who = f"{named} ({rep})" if named and named != rep else rep
            shown = ", ".join(teams)
            where = (f"on team {team}", f"im Team {team}") if team else ("on no team", "in keinem Team")
            raise UnknownValueError("rep", rep, [], {
                "en": f"rep {who} is {where[0]}, not {shown}: the two filters together match no record; "
                      "drop one of them",
                "de": f"{who} ist {where[1]}, nicht {shown}: Beide Filter zusammen treffen auf keinen "
                      "Datensatz; lassen Sie einen weg"})


def resolve_rep(store: Store, rep: str, viewer: Viewer | None = None) -> str:
    """A rep's id from their id or full name; :class:`UnknownRepError` when it names no rep."""
    known = known_values(store, ("rep",), viewer)
    try:
        return resolve(known, "rep", rep)
    except AmbiguousValueError:
        raise
    except UnknownValueError:
        raise _unknown(UnknownRepError, known, "rep", rep) from None


def check_viewer(store: Store, viewer: Viewer) -> None:
    """Refuse a viewer who names a rep or a team the workspace does not have: limited to nobody,
    every figure read 0 and every list was empty, as if the rep had sold nothing (a viewer made in
    Python, or a manager whose team no rep is on any more)."""
    if viewer.sees_everything:
        return
    if (viewer.rep_ids is not None and not viewer.rep_ids) or (viewer.teams is not None and not viewer.teams):
        raise DimensionError("a viewer of no rep or no team sees nothing, and every figure would read "
                             "0: name at least one (one who sees everything is Viewer.everyone())")
    # Everyone's values, and suggestions from them: whoever builds a viewer in Python opens the
    # file and sees everything anyway; the faces' viewers come from accounts, whose rep and teams
    # were checked when added (and a team an import emptied is let through below).
    known = known_values(store, ("rep", "team"))
    for rep in sorted(viewer.rep_ids or ()):
        if rep not in known.ids("rep"):
            named = known.reps_named(rep)
            if named:  # the faces take names; a viewer is a value and takes the id
                ids = " or ".join(named)
                raise UnknownRepError("rep", rep, named, {
                    "en": f"{rep!r} is a rep's name; a viewer names a rep by id: {ids}",
                    "de": f"{rep!r} ist der Name eines Vertriebsmitarbeiters; ein Viewer nennt ihn "
                          f"bei der ID: {' oder '.join(named)}"})
            raise _unknown(UnknownRepError, known, "rep", rep)
    unknown = sorted(t for t in viewer.teams or () if t not in known.ids("team"))
    if unknown and store.holds_accounts:
        # A manager's team an import emptied is a team all the same: told that nothing on record
        # is theirs to see (coverage.period_hint), not refused.
        rows = store.connection.execute(
            "SELECT DISTINCT unnest(teams) FROM users WHERE teams IS NOT NULL").fetchall()
        unknown = [t for t in unknown if t not in {row[0] for row in rows}]
    if unknown:
        raise _unknown(UnknownValueError, known, "team", unknown[0])


def resolve(known: Known, dimension: str, value: str) -> str:
    """The stored id ``value`` names in ``dimension``. Ids are matched as stored ('East' could be
    another team than 'east'); a label the import writes one way (importing/spelling.py: "web" for
    Web, web and WEB) in any case: ``source=Web`` was refused, "did you mean 'web'?"."""
    ids = known.ids(dimension)
    if value in ids:
        return value
    if dimension in SPELLED_ONE_WAY:
        folded = [i for i in ids if i.casefold() == value.casefold()]
        if len(folded) == 1:
            return folded[0]
    if dimension == "rep":
        matches = known.reps_named(value)
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise AmbiguousValueError("rep", value, matches, _ambiguous(value, matches))
    if dimension == "product" and not any(i.casefold() == value.casefold() for i in ids):
        # The filters' lists show products by name: "product=Widget" was refused, "products are:
        # P1, P2" (a tester). An id in another case is not a name (the refusal suggests the id).
        named = sorted(p for p, name in known.product_names.items() if _folded(name) == _folded(value))
        if len(named) == 1:
            return named[0]
        if named:
            raise AmbiguousValueError("product", value, named, _ambiguous(value, named, "product"))
    raise _unknown(UnknownValueError, known, dimension, value)


def _unknown(kind: type[UnknownValueError], known: Known, dimension: str,
             value: str) -> UnknownValueError:
    ids = sorted(known.ids(dimension))
    shown, typed = ids, ids
    if dimension == "rep":
        # People know reps by name: suggest names (ids where a name is shared), list both.
        unique = {r: n for r, n in known.rep_names.items() if len(known.reps_named(n)) == 1}
        names = known.rep_names
        shown = sorted((f"{names[r]} ({r})" if r in names else r for r in ids), key=str.casefold)
        typed = sorted(set(ids) | set(unique.values()))
    elif dimension == "product" and known.product_names:
        products = known.product_names
        shown = sorted((f"{products[p]} ({p})" if p in products else p for p in ids), key=str.casefold)
        uses = Counter(_folded(n) for n in products.values())  # a shared name names neither
        typed = sorted(set(ids) | {n for n in products.values() if uses[_folded(n)] == 1})
    close = closest(value, typed)
    return kind(dimension, value, close, _unknown_texts(dimension, value, close, shown, known.partial))


def unknown_value(dimension: str, value: str, known: Sequence[str]) -> UnknownValueError:
    """The refusal of ``value``, which names none of ``known`` (a stage given a probability that
    no deal in view stands in), with the closest of them, in English and German."""
    close = closest(value, known)
    return UnknownValueError(dimension, value, close, _unknown_texts(dimension, value, close, sorted(known)))


LONGEST_TYPED = 200  # characters: no id, name or value asked for is longer
ECHOED = 80  # characters of a value a refusal repeats


def echoed(value: str) -> str:
    """``value`` as a refusal repeats it: cut where it is longer than anything typed (a 50 MB team
    came back twice, in a 100 MB answer)."""
    return value if len(value) <= ECHOED else f"{value[:ECHOED]}... ({len(value):,} characters)"


def closest(value: str, candidates: Sequence[str], n: int = SUGGESTIONS) -> list[str]:
    """The candidates most like ``value`` (case aside), best first; ties in alphabetical order.
    Where one differs from it in case only, that one is meant."""
    if len(value) > LONGEST_TYPED:
        # Nothing typed so long names anyone; and matching it is quadratic: a 2 MB rep in a
        # target's body held the write turn (and every read behind it) for 26 s (a tester).
        return []
    typed = value.casefold()
    same = sorted(c for c in candidates if c.casefold() == typed)
    if same:
        return same[:n]
    scored = []
    for c in candidates:
        ratio = SequenceMatcher(None, typed, c.casefold()).ratio()
        if ratio >= CLOSE:
            scored.append((-ratio, c))
    return [c for _, c in sorted(scored)[:n]]


def _alternatives(items: Sequence[str], word: str) -> str:
    quoted = [f"'{i}'" for i in items]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {word} {quoted[-1]}"


def _listing(candidates: Sequence[str], in_all: str) -> str:
    shown = ", ".join(candidates[:LISTED])
    return shown if len(candidates) <= LISTED else f"{shown}, ... ({in_all.format(len(candidates))})"


def _unknown_texts(dimension: str, value: str, close: Sequence[str],
                   known: Sequence[str], partial: bool = False) -> dict[str, str]:
    (one, many), (none_de, many_de) = _EN[dimension], _DE[dimension]
    where_en, where_de = (("among those you may see", "unter denen, die Sie sehen dürfen") if partial
                          else ("in this workspace", "in diesem Arbeitsbereich"))
    en = f"no {one} '{echoed(value)}' {where_en}"
    de = f"Es gibt {none_de} '{echoed(value)}' {where_de}"
    if close:
        return {"en": f"{en}; did you mean {_alternatives(close, 'or')}?",
                "de": f"{de}. Meinten Sie {_alternatives(close, 'oder')}?"}
    if known:
        return {"en": f"{en}; {many} are: {_listing(known, '{} in all')}",
                "de": f"{de}. Vorhanden sind: {_listing(known, 'insgesamt {}')}"}
    return {"en": f"{en}; its records name no {many} yet",
            "de": f"{de}; die Daten nennen noch keine {many_de}"}


def _ambiguous(value: str, ids: Sequence[str], kind: str = "rep") -> dict[str, str]:
    listed = ", ".join(ids)
    if kind == "product":
        return {"en": f"'{value}' is the name of {len(ids)} products ({listed}); name one by its id",
                "de": f"'{value}' ist der Name von {len(ids)} Produkten ({listed}); nennen Sie eines "
                      "mit seiner ID"}
    return {"en": f"'{value}' is the name of {len(ids)} reps ({listed}); name one by their id",
            "de": f"'{value}' ist der Name von {len(ids)} Mitarbeitern ({listed}); nennen Sie einen "
                  "mit seiner ID"}
