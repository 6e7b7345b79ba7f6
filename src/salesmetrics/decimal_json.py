"""JSON with exact decimals: money leaves as ``7500.00``, never through a binary float.

Every face that writes JSON (``--format json``, the API, exports) writes it with :func:`dumps`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
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
    if indent is not None:
        # The standard library indents in pure Python, one generator per level: 1 s for the 30,000
        # rows of a report by rep at 1M deals. This writes the same text in a fraction of that.
        parts: list[str] = []
        _encode(data, parts, "\n", " " * indent)
        return "".join(parts)
    text = json.dumps(_jsonable(data), indent=indent, ensure_ascii=False, default=str)
    return _DECIMAL_RE.sub(r"\1", text)


_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes strings with
_CONSTANTS = {True: "true", False: "false", None: "null"}


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str:
    """A value that is not a dict or list, as json.dumps(..., default=str) writes it (with
    Decimals as exact numbers and dates as ISO text, as :func:`_jsonable` makes them)."""
    if isinstance(value, str):
        return _string(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, datetime | date):
        return _string(value.isoformat())
    return _string(str(value))


_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _string(key)
    if isinstance(key, float):
        return _string(_float(key))
    if key is None or key is True or key is False:
        return _string(_CONSTANTS[key])
    if isinstance(key, int):
        return _string(int.__repr__(key))
    # json.dumps refuses other keys; so does this
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    # the same check the marker's pattern makes: anything else stays a string
    return text if _PLAIN_NUMBER.fullmatch(text) else _string(_DECIMAL + text)


# Writers by exact type, the common case (a dict lookup instead of a chain of isinstance checks).
_WRITERS: dict[type, Callable[[Any], str]] = {
    str: _string, int: int.__repr__, float: _float, bool: lambda v: "true" if v else "false",
    type(None): lambda v: "null", Decimal: _decimal, date: lambda v: _string(v.isoformat()),
    datetime: lambda v: _string(v.isoformat()),
}
_CONTAINERS = (dict, list, tuple)


class _Depth:
    """What is written again and again at one depth of the text: each string key after its line
    break ('\n    "kpi": '), the template of each dict shape seen (its keys in order), and the
    writers with lists of scalars written at this depth."""

    def __init__(self, inner: str, step: str) -> None:
        self.inner = inner
        self.keys: dict[str, str] = {}
        self.templates: dict[tuple[Any, ...], str | None] = {}
        deeper = inner + step
        between = "," + deeper

        def scalars(items: list[Any]) -> str:
            # KeyError: an item that is not a plain scalar; the general path writes it.
            if not items:
                return "[]"
            return f"[{deeper}{between.join([_WRITERS[type(x)](x) for x in items])}{inner}]"

        self.writers: dict[type, Callable[[Any], str]] = {**_WRITERS, list: scalars}

    def template(self, shape: tuple[Any, ...]) -> str | None:
        found = self.templates.get(shape, "")
        if found == "":
            # '%' in a key is the template's own: doubled. None: a key that is not a string.
            found = self.templates[shape] = ("{" + ",".join(
                f"{self.inner}{_string(k).replace('%', '%%')}: %s" for k in shape)
                if all(type(k) is str for k in shape) else None)
        return found


def _flat(value: dict[Any, Any], depth: _Depth) -> str | None:
    """A dict of string keys and scalars (or lists of scalars), as one text without its closing
    brace; None for anything else. A report's rows are such dicts, and the rows of one KPI share
    their keys: one template per shape filled with the values' texts, instead of a turn of the
    general loop per key (40,000 rows of a dozen keys at 1M deals)."""
    template = depth.template(tuple(value))
    if template is None:
        return None
    writers = depth.writers
    try:
        return template % tuple([writers[type(v)](v) for v in value.values()])
    except KeyError:
        return None


def _encode(value: Any, out: list[str], newline: str, step: str,
            keys: dict[str, _Depth] | None = None) -> None:
    """``json.dumps(_jsonable(value), indent=len(step), ensure_ascii=False, default=str)``, with
    the Decimal markers already replaced by their numbers, appended to ``out``."""
    writers = _WRITERS
    if keys is None:
        # Per depth, each string key as written after its line break ('\n    "kpi": '): a report's
        # rows repeat a dozen keys 40,000 times, and encoding each anew was a third of the time.
        keys = {}
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + step
        depth = keys.get(inner)
        if depth is None:
            depth = keys[inner] = _Depth(inner, step)
        written = depth.keys
        flat = _flat(value, depth)
        if flat is not None:
            out.append(flat)
            out.append(newline + "}")
            return
        separator = "{"
        for k, v in value.items():
            if type(k) is str:
                key = written.get(k)
                if key is None:
                    key = written[k] = f"{inner}{_string(k)}: "
            else:
                key = f"{inner}{_key(k)}: "
            write = writers.get(type(v))
            if write is not None:
                out.append(f"{separator}{key}{write(v)}")
            elif isinstance(v, _CONTAINERS):
                out.append(separator + key)
                _encode(v, out, inner, step, keys)
            else:
                out.append(f"{separator}{key}{_scalar(v)}")
            separator = ","
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + step
        separator = "[" + inner
        for v in value:
            write = writers.get(type(v))
            if write is not None:
                out.append(separator + write(v))
            elif isinstance(v, _CONTAINERS):
                out.append(separator)
                _encode(v, out, inner, step, keys)
            else:
                out.append(separator + _scalar(v))
            separator = "," + inner
        out.append(newline + "]")
    else:
        out.append(_scalar(value))
