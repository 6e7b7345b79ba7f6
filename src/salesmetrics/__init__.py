"""salesmetrics: sales KPIs from CRM records, computed exactly, explained, and honest about certainty.

The public Python API is short::

    from salesmetrics import Workspace
    with Workspace.open("sales.duckdb") as ws:
        ws.import_files("export/")
        report = ws.report(period="2026-10", by="rep", kpis=["win_rate"])
"""

from __future__ import annotations

__version__ = "0.1.0"

from .access import Viewer
from .errors import (
    AmbiguousValueError,
    CurrencyError,
    DimensionError,
    ImportValidationError,
    PeriodError,
    Problem,
    SalesmetricsError,
    SettingsError,
    UnknownKPIError,
    UnknownValueError,
    WorkspaceError,
)
from .kpis import KPI, REGISTRY
from .periods import Period, parse_period
from .report import Report
from .workspace import Workspace

__all__ = [
    "KPI",
    "REGISTRY",
    "AmbiguousValueError",
    "CurrencyError",
    "DimensionError",
    "ImportValidationError",
    "Period",
    "PeriodError",
    "Problem",
    "Report",
    "SalesmetricsError",
    "SettingsError",
    "UnknownKPIError",
    "UnknownValueError",
    "Viewer",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "parse_period",
]
