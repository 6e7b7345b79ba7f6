"""What every route asks for: who is asking, in which language, with which filters."""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Depends, Query, Request

from ..access import Viewer
from ..errors import (
    DimensionError,
    RepeatedParameterError,
    SalesmetricsError,
    UnknownParameterError,
    keyed,
)
from ..kpis.model import CATEGORY_DIMENSIONS
from ..periods import parse_day
from ..text import language
from . import auth
from .errors import Refused
from .gate import WorkspaceGate
from .i18n import COOKIE, LANGS, negotiate


def current_viewer(request: Request) -> Viewer:
    """Who is asking: the one place every page and API route learns it, and hands it to every core
    call. The signed-in user's viewer (:mod:`.auth` checked the session or token before the route
    ran); everyone, in a workspace without users."""
    return auth.identity_of(request).viewer


def require_admin(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    """Pages and routes for admins only (the audit log, the import page)."""
    if not viewer.may_write:
        raise Refused(403, "admin_only")
    return viewer


def require_writer(
    request: Request,
    viewer: Annotated[Viewer, Depends(require_admin)],
    _csrf: Annotated[None, Depends(auth.check_csrf)],
) -> Viewer:
    """Who may change the workspace (import, upload, targets, settings, programs, schedules): every
    writing route depends on this, so the rule lives in one place. Admins only, once the workspace
    has users (everyone else gets 403); without users the server answers only where it was started
    for (loopback, or --no-login with its warning) and every visitor may write. A form must carry
    this browser's CSRF token (:func:`.auth.check_csrf`)."""
    return viewer


# Taken by every route, whatever it answers: the language of titles and numbers.
EVERYWHERE = frozenset({"lang"})


def _query_names(dependant: Any) -> frozenset[str]:
    """The query parameters a route takes: its own and its dependencies' (filters, lang), by the
    name a request uses (the alias: ``filter``)."""
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return frozenset(names)


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) in (Union, UnionType):  # list[str] | None
        return any(_is_list(a) for a in get_args(annotation))
    return get_origin(annotation) in (list, tuple, set, frozenset)


def _repeatable(dependant: Any) -> frozenset[str]:
    """The query parameters a route takes as lists (``kpi``, the filters), by their request names."""
    names = {field.alias for field in dependant.query_params
             if _is_list(field.field_info.annotation)}
    for sub in dependant.dependencies:
        names |= _repeatable(sub)
    return frozenset(names)


def known_parameters(request: Request) -> None:
    """Refuse what the route would answer as if something else had been asked: a query parameter
    it does not take (400 ``unknown_parameter``: ``report?tem=east`` answered for everyone, or
    ``asof=`` for today), one of one value given twice (``repeated_parameter``: FastAPI keeps the
    last), and a language it does not speak. Read from the route's own signature, so every API
    route gets the same rule and a new one needs nothing of its own. The pages do not ask this: a
    link to a page may carry parameters of its own (``utm_source``), and a page shows what it was
    asked for."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    taken = _query_names(dependant) | EVERYWHERE  # a few fields: cheaper than keeping them
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in taken]
    if unknown:
        raise UnknownParameterError(unknown, sorted(taken))
    given = request.query_params
    twice = [name for name in dict.fromkeys(given) if len(given.getlist(name)) > 1]
    if twice and (repeated := [name for name in twice if name not in _repeatable(dependant)]):
        raise RepeatedParameterError(repeated)
    # As the command line refuses it: lang=fr was answered in English without a word. A region is
    # read as its language (de-AT), as a browser's Accept-Language is.
    lang = request.query_params.get("lang")
    if lang and language(lang) is None:
        raise SalesmetricsError(f"lang {lang!r}: write {' or '.join(LANGS)}")


def get_gate(request: Request) -> WorkspaceGate:
    gate: WorkspaceGate = request.app.state.gate
    return gate


def get_lang(
    request: Request,
    lang: Annotated[str | None, Query(description="Language of titles and numbers: en or de.")] = None,
) -> str:
    return negotiate(lang, request.cookies.get(COOKIE), request.headers.get("accept-language"))


Filters = dict[str, list[str]]

_VALUES = "Repeatable, or comma-separated: team=east&team=west or team=east,west."


def get_filters(
    request: Request,
    team: Annotated[list[str] | None, Query(description=f"Only these teams. {_VALUES}")] = None,
    rep: Annotated[list[str] | None, Query(description="Only these reps (rep_id, or full name).")] = None,
    product: Annotated[list[str] | None, Query(description="Only these products (product_id).")] = None,
    source: Annotated[list[str] | None, Query(description="Only deals from these lead sources.")] = None,
    pipeline: Annotated[list[str] | None, Query(description="Only deals in these pipelines.")] = None,
    activity_type: Annotated[list[str] | None, Query(description="Only these activity types.")] = None,
    segment: Annotated[list[str] | None, Query(description="Only deals with accounts in these "
                                                           "segments.")] = None,
    industry: Annotated[list[str] | None, Query(description="Only deals with accounts in these "
                                                            "industries.")] = None,
    region: Annotated[list[str] | None, Query(description="Only deals with accounts in these "
                                                          "regions.")] = None,
    lost_reason: Annotated[list[str] | None, Query(description="Only deals lost for these "
                                                               "reasons.")] = None,
    filter_: Annotated[list[str] | None, Query(
        alias="filter", description="DIM=VALUE[,VALUE], as `salesmetrics report --filter` takes it.")] = None,
) -> Filters:
    given = {"team": team, "rep": rep, "product": product, "source": source, "pipeline": pipeline,
             "activity_type": activity_type, "segment": segment, "industry": industry,
             "region": region, "lost_reason": lost_reason}
    out: Filters = {}
    # A page's form sends "All" as an empty value: no filter. A script's empty value is a mistake
    # (a variable not set): "team=" answered with the company's figures.
    strict = request.url.path.startswith("/api/")
    for dim, values in given.items():
        _add(out, dim, values or [], strict)
    for item in filter_ or []:
        dim, sep, listed = item.partition("=")
        if not sep or not dim.strip():
            raise DimensionError(f"filter {item!r}: write DIM=VALUE, e.g. team=east")
        _add(out, dim.strip(), [listed], strict)
    unknown = [d for d in out if d.lower().replace("-", "_") not in CATEGORY_DIMENSIONS]
    if unknown:
        raise DimensionError(
            f"cannot filter by {unknown[0]!r}; filters are: {', '.join(CATEGORY_DIMENSIONS)}"
        )
    return out


def _add(out: Filters, dim: str, values: list[str], strict: bool = False) -> None:
    # Empty values come from a form's "All" choice: no filter, not "equal to nothing".
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if strict and values and not items:
        raise keyed(DimensionError(f"{dim}=: an empty value names nothing; leave {dim} out for all of "
                                   "them, or name one"), "empty_filter_value", dim=dim)
    if items:
        out.setdefault(dim, []).extend(i for i in items if i not in out.get(dim, []))


def check_as_of(request: Request) -> None:
    """Every route: ``as_of`` is a day written YYYY-MM-DD within the calendar the core reads, or
    400 ``bad_period``. The routes' own ``date`` parameters would read ``as_of=0`` as a Unix time
    (1970-01-01) and let through days no period arithmetic can go around (0001-01-02)."""
    for value in request.query_params.getlist("as_of"):
        if value:  # ISO alone: the schema types it a date, which 15.08.2026 is not (the review)
            parse_day(value, dotted_too=False)
