"""What every route asks for: who is asking, in which language, with which filters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from ..access import Viewer
from ..errors import DimensionError
from ..kpis.model import CATEGORY_DIMENSIONS
from . import auth
from .gate import WorkspaceGate
from .i18n import COOKIE, negotiate


def current_viewer(request: Request) -> Viewer:
    """Who is asking: the one place every page and API route learns it, and hands it to every core
    call. The signed-in user's viewer (:mod:`.auth` checked the session or token before the route
    ran); everyone, in a workspace without users."""
    return auth.identity_of(request).viewer


def require_admin(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    """Pages and routes for admins only (the audit log, the import page)."""
    if not viewer.may_write:
        raise HTTPException(403, "only an admin may do this")
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
    team: Annotated[list[str] | None, Query(description=f"Only these teams. {_VALUES}")] = None,
    rep: Annotated[list[str] | None, Query(description="Only these reps (rep_id, or full name).")] = None,
    product: Annotated[list[str] | None, Query(description="Only these products (product_id).")] = None,
    source: Annotated[list[str] | None, Query(description="Only deals from these lead sources.")] = None,
    pipeline: Annotated[list[str] | None, Query(description="Only deals in these pipelines.")] = None,
    activity_type: Annotated[list[str] | None, Query(description="Only these activity types.")] = None,
    filter_: Annotated[list[str] | None, Query(
        alias="filter", description="DIM=VALUE[,VALUE], as `salesmetrics report --filter` takes it.")] = None,
) -> Filters:
    given = {"team": team, "rep": rep, "product": product, "source": source, "pipeline": pipeline,
             "activity_type": activity_type}
    out: Filters = {}
    for dim, values in given.items():
        _add(out, dim, values or [])
    for item in filter_ or []:
        dim, sep, listed = item.partition("=")
        if not sep or not dim.strip():
            raise DimensionError(f"filter {item!r}: write DIM=VALUE, e.g. team=east")
        _add(out, dim.strip(), [listed])
    unknown = [d for d in out if d.lower().replace("-", "_") not in CATEGORY_DIMENSIONS]
    if unknown:
        raise DimensionError(
            f"cannot filter by {unknown[0]!r}; filters are: {', '.join(CATEGORY_DIMENSIONS)}"
        )
    return out


def _add(out: Filters, dim: str, values: list[str]) -> None:
    # Empty values come from a form's "All" choice: no filter, not "equal to nothing".
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if items:
        out.setdefault(dim, []).extend(i for i in items if i not in out.get(dim, []))
