"""JSON with exact decimals: money leaves as ``7500.00``, never through a binary float.

Every face that writes JSON (``--format json``, the API, exports) writes it with :func:`dumps`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

_DECIMAL = "\ufdd0decimal:"  # a noncharacter marks Decimals, so no real string can look like one
_DECIMAL_RE = re.compile('"' + _DECIMAL + r'(-?[0-9]+(?:\.[0-9]+)?)"')


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _DECIMAL + format(value, "f")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dumps(data: Any, indent: int | None = 2) -> str:
    """JSON with Decimals written as exact numbers (``7500.00``), never via binary float."""
    text = json.dumps(_jsonable(data), indent=indent, ensure_ascii=False, default=str)
    return _DECIMAL_RE.sub(r"\1", text)
