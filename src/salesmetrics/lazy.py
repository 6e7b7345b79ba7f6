"""A module imported when first used, not when the importing module loads.

Ibis (with sqlglot) takes ~0.3-0.7 s to import. A process whose queries are all kept compiled
(kpis/compiled.py) never builds an expression, so the modules that define KPIs hold Ibis as a
stand-in that imports it at the first attribute asked::

    if TYPE_CHECKING:
        import ibis
    else:
        ibis = lazy_module("ibis")
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for the module ``name``; the first attribute asked imports it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{' (imported)' if self._module else ''}>"


def lazy_module(name: str) -> Any:
    return LazyModule(name)
