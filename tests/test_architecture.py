"""The rules that keep the house in order, checked on the source (docs/architecture.md).

Every import counts: module level, inside a function, and under ``TYPE_CHECKING``. A module may import
its own floor or a lower one, never a higher one, and no set of modules may import each other in a
circle. The web and terminal frameworks stay in the faces (``cli/`` and ``web/``).
"""

from __future__ import annotations

import ast
import inspect
from decimal import Decimal
from pathlib import Path

import salesmetrics
from salesmetrics.workspace import Workspace

PACKAGE = Path(salesmetrics.__file__).parent

# Lowest first. A module belongs to the first floor whose prefix names it (a package prefix covers
# its modules); the package's own __init__ (the public API) stands above them all.
FLOORS: tuple[tuple[str, ...], ...] = (
    # words, values and rules that know nothing of where records are kept
    ("errors", "environment", "access", "schema", "settings", "periods", "stats", "decimal_json",
     "addresses", "spreadsheet", "cache", "runtime", "typed_numbers", "stage_words", "recall"),
    # the workspace file and the import pipeline
    ("storage", "importing"),
    # one open workspace: its settings and the records a viewer may see
    ("records", "store", "backends"),
    # the KPI registry, what a figure rests on, and the words every face says figures with;
    # and the accounts (a rep user names a rep as the known values resolve one)
    ("kpis", "trust", "coverage", "text", "accounts"),
    # the report, and the targets every report row is held against
    ("targets", "report", "programs"),
    # answers built from reports
    ("summary", "dashboard", "drilldown", "target_status", "insights", "comparison", "digest", "apart"),
    # the facade with one method per question, and the demo data built through it
    ("workspace", "demo"),
    # the faces
    ("cli", "web", "documents", "__main__"),
)
# documents/: the digest as HTML, text and PDF (Jinja2 templates), the e-mail carrying it and Excel
# workbooks; a face both others use (`salesmetrics digest`, the dashboard's downloads).
FACES = ("cli", "web", "documents")
FRAMEWORKS = ("typer", "rich", "click", "fastapi", "starlette", "jinja2", "uvicorn")


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """Every import in the module: (what, line), what being a dotted name, relative ones resolved
    to the package (``store``, ``kpis.scope``) and others kept absolute (``typer``)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *(node.module.split(".") if node.module else [])])
                absolute = False
            else:
                module, absolute = node.module or "", True
            if absolute and not module.startswith("salesmetrics"):
                found.append((module, node.lineno))
                continue
            if absolute:
                module = module.removeprefix("salesmetrics").removeprefix(".")
            for alias in node.names:  # `from . import stats` names a module
                sub = f"{module}.{alias.name}" if module else alias.name
                found.append((sub if sub in MODULES else module, node.lineno))
    return found


def _internal(target: str) -> str | None:
    """The package module an import reaches (the nearest one that exists), or None if external."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def _floor(module: str) -> int:
    for number, prefixes in enumerate(FLOORS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    raise AssertionError(f"salesmetrics.{module} is on no floor: add it to FLOORS (and to "
                         "docs/architecture.md)")


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        if not name:
            continue  # salesmetrics/__init__.py: the public API, above everything
        deps = set()
        for target, _ in _imports(name, path):
            inner = _internal(target)
            if inner and inner != name:
                deps.add(inner)
        graph[name] = deps
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    assert _circles(_graph()) == []


def test_every_module_has_a_floor() -> None:
    for name in MODULES:
        if name:
            _floor(name)


def test_no_module_imports_a_higher_floor() -> None:
    upward = []
    for name, path in MODULES.items():
        if not name:
            continue
        for target, line in _imports(name, path):
            inner = _internal(target)
            if inner and inner != name and _floor(inner) > _floor(name):
                upward.append(f"salesmetrics/{path.relative_to(PACKAGE)}:{line} imports {inner} "
                              f"(floor {_floor(inner)} above {_floor(name)})")
    assert upward == []


def test_frameworks_stay_in_the_faces() -> None:
    outside = []
    for name, path in MODULES.items():
        if name.split(".")[0] in FACES:
            continue
        for target, line in _imports(name, path):
            if target.split(".")[0] in FRAMEWORKS:
                outside.append(f"salesmetrics/{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert outside == []


def test_the_rules_see_a_circle_and_an_upward_import(tmp_path: Path) -> None:
    """The checks above can fail: a made-up pair of modules importing each other is a circle."""
    assert _circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _floor("kpis.scope") > _floor("store") > _floor("storage")
    assert _floor("cli.report") > _floor("workspace")


# -- every question has a face ------------------------------------------------------------------
# What each question of Workspace is asked with: the CLI command and the API route (GET) that answer
# it. A new question must say here where people ask it, and both must exist.
QUESTIONS: dict[str, tuple[str, str]] = {
    "kpis": ("kpis", "/api/v1/kpis"),
    "report": ("report", "/api/v1/report"),
    "period_hint": ("report", "/api/v1/report"),  # said in the report ("hint") when a period is empty
    "targets": ("report", "/api/v1/report"),  # each row's "target"
    "summary": ("summary", "/api/v1/summary"),
    "records_behind": ("records", "/api/v1/records"),
    "won_lost": ("records", "/api/v1/records"),  # the win rate's records carry "won_lost"
    "dashboard": ("dashboard", "/api/v1/dashboard"),
    "revenue_trend": ("trend", "/api/v1/trend"),
    "rep_comparison": ("rep", "/api/v1/reps/{rep}"),
    "compare": ("compare", "/api/v1/compare"),
    "scorecard": ("scorecard", "/api/v1/reps/{rep}/scorecard"),
    "activity_effectiveness": ("activities", "/api/v1/activities"),
    "funnel": ("funnel", "/api/v1/funnel"),
    "satisfaction": ("satisfaction", "/api/v1/satisfaction"),
    "ramp_cohorts": ("ramp", "/api/v1/ramp"),
    "cycle": ("cycle", "/api/v1/cycle"),
    "forecast": ("forecast", "/api/v1/forecast"),
    "forecast_accuracy": ("forecast", "/api/v1/forecast/accuracy"),  # forecast --accuracy
    "slippage": ("slippage", "/api/v1/slippage"),
    "losses": ("losses", "/api/v1/losses"),
    "list_targets": ("target list", "/api/v1/targets"),
    "target_status": ("target status", "/api/v1/targets/status"),
    "known_values": ("report", "/api/v1/dimensions"),
    "dimension_values": ("report", "/api/v1/dimensions"),
    "teams": ("rep", "/api/v1/reps"),
    "digest": ("digest", "/api/v1/digest"),
    "list_schedules": ("schedule list", "/api/v1/schedules"),
    "list_alerts": ("alert list", "/api/v1/alerts"),
    "programs": ("program list", "/api/v1/programs"),
    "program": ("program show", "/api/v1/programs/{program}"),
    "program_effect": ("program effect", "/api/v1/programs/{program}/effect"),
}
# What changes the workspace: a command each (the API's writes come with accounts and roles).
WRITES: dict[str, str] = {
    "import_files": "import",
    "set_setting": "config set",
    "set_target": "target set",
    "unset_target": "target unset",
    "add_schedule": "schedule add",
    "remove_schedule": "schedule remove",
    "add_alert": "alert add",
    "remove_alert": "alert remove",
    "add_program": "program add",
    "remove_program": "program remove",
    "change_participants": "program enrol",
}
# The store beneath, not questions: where the workspace is and what it holds.
PLUMBING = {"accounts", "open", "close", "setting_values", "base_currency", "currencies", "counts", "names",
            "period", "records", "connection", "ibis", "settings", "path", "read_only", "data_version",
            "store"}


def _cli_commands() -> set[str]:
    from salesmetrics.cli import app

    found: set[str] = set()

    def walk(typer_app: object, prefix: str) -> None:
        for command in typer_app.registered_commands:  # type: ignore[attr-defined]
            name = command.name or command.callback.__name__.replace("_", "-")
            found.add(f"{prefix}{name}")
        for group in typer_app.registered_groups:  # type: ignore[attr-defined]
            walk(group.typer_instance, f"{prefix}{group.name} ")

    walk(app, "")
    return found


def _api_routes() -> set[str]:
    from salesmetrics.web.app import create_app, routes_of

    app = create_app(Path("unused.duckdb"), warm=False)
    return {route.path for route in routes_of(app) if "GET" in (route.methods or set())}


def test_every_workspace_question_has_a_command_and_an_api_route() -> None:
    public = {name for name, member in inspect.getmembers(Workspace)
              if not name.startswith("_") and (callable(member) or isinstance(member, property))}
    assert public - PLUMBING == set(QUESTIONS) | set(WRITES)
    commands, routes = _cli_commands(), _api_routes()
    assert {command for command, _ in QUESTIONS.values()} | set(WRITES.values()) <= commands
    assert {route for _, route in QUESTIONS.values()} <= routes


def test_a_plain_command_line_loads_no_insight_web_or_table_module() -> None:
    """Starting the CLI imports only what a plain `salesmetrics report` needs; the insights, the web
    face and the tables are imported by the commands that use them."""
    import subprocess
    import sys

    code = "import sys, salesmetrics.cli; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    ours = [m for m in loaded if m.startswith("salesmetrics.")]
    assert "salesmetrics.report" in ours and "salesmetrics.cli.report" in ours
    heavy = [m for m in ours if m.startswith(("salesmetrics.insights", "salesmetrics.web",
                                              "salesmetrics.cli.tables", "salesmetrics.cli.insight_tables",
                                              "salesmetrics.dashboard", "salesmetrics.drilldown"))]
    assert heavy == []
    assert not [m for m in loaded if m.split(".")[0] in ("fastapi", "starlette", "uvicorn", "jinja2")]


def test_a_report_in_json_loads_no_rich(demo_db: Path, tmp_path: Path) -> None:
    """`report --format json` writes no table: a fresh process that finds its SQL kept answers it
    without loading Rich or the table modules (45-75 ms of each run), with the drawn report's figure."""
    import json
    import os
    import subprocess
    import sys

    code = ("import sys, atexit\n"
            "from salesmetrics.cli import main\n"
            "atexit.register(lambda: print(' '.join(sorted(sys.modules)), file=sys.stderr))\n"
            "main()\n")
    args = ["report", "--db", str(demo_db), "--period", "2026-Q3", "--kpi", "total_revenue",
            "--format", "json"]
    env = {**os.environ, "COLUMNS": "200"}
    # Compiling a query's SQL loads Ibis, which loads Rich: the first run keeps the SQL (compiled.py).
    subprocess.run([sys.executable, "-m", "salesmetrics", *args], capture_output=True, check=True, env=env)
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, env=env, cwd=tmp_path)
    loaded = done.stderr.split()
    assert [m for m in loaded if m.split(".")[0] == "rich" or m.startswith("salesmetrics.cli.tables")] == []
    (row,) = json.loads(done.stdout, parse_float=Decimal)["rows"]
    # The drawn report (which loads Rich) shows the same figure.
    drawn = subprocess.run([sys.executable, "-c", code, *args[:-1], "table"], capture_output=True,
                           text=True, check=True, env=env, cwd=tmp_path)
    assert "rich.console" in drawn.stderr.split()
    assert f"${row['value']:,}" in drawn.stdout.split()
