"""decimal_json.dumps writes the JSON of every face with orjson (the standard library's indenting
encoder is pure Python and took a second for a large report): it must say what json.dumps says,
laid out the same, with Decimals as exact numbers; where they differ, NaN and infinity are null (a
browser reads no NaN)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from salesmetrics.decimal_json import _DECIMAL, _jsonable, dumps

_MARKED = re.compile('"' + _DECIMAL + r'(-?[0-9]+(?:\.[0-9]+)?)"')
_NUMBER = re.compile(r'-?\b[0-9][0-9.eE+-]*|NaN|-?Infinity|null')


def reference(data: Any, indent: int | None) -> str:
    """The plain way: json.dumps of the marked values, markers replaced by the numbers."""
    text = json.dumps(_jsonable(data), indent=indent, ensure_ascii=False, default=str)
    return _MARKED.sub(r"\1", text)


def same(text: str, data: Any, indent: int | None) -> None:
    """``text`` reads as json.dumps' text of ``data`` does (floats to the bit, Decimals exactly, NaN
    and infinity as null) and is laid out as it is, line by line, a number where it has one."""
    expected = reference(data, indent)
    numbers = {"parse_float": Decimal, "parse_constant": lambda _: None}
    assert json.loads(text, **numbers) == json.loads(expected, **numbers)
    assert _NUMBER.sub("#", text) == _NUMBER.sub("#", expected)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.decimals(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(),
)
# No float keys: none of ours has one, and 1e-05 as a key is another text in each ("1e-05", "0.00001").
keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=30)


@settings(max_examples=400)
@given(values, st.sampled_from([0, 1, 2, 4]))
def test_indented_dumps_writes_what_json_dumps_writes(data: Any, indent: int) -> None:
    same(dumps(data, indent=indent), data, indent)


def test_money_stays_exact_and_rows_read_back() -> None:
    row = {"kpi": "total_revenue", "value": Decimal("7500.00"), "n": 3, "flags": [],
           "ci_low": None, "at": date(2026, 10, 1), "when": datetime(2026, 10, 1, 9, 30),
           "rate": 0.25, "name": "Jürgen \"J\" Ölmann\n"}
    text = dumps({"rows": [row, {**row, "value": Decimal("-0.05")}]})
    assert '"value": 7500.00,' in text and '"value": -0.05,' in text
    back = json.loads(text, parse_float=Decimal)
    assert back["rows"][0]["value"] == Decimal("7500.00")
    assert back["rows"][0]["name"] == "Jürgen \"J\" Ölmann\n"
    assert back["rows"][0]["at"] == "2026-10-01" and back["rows"][0]["when"] == "2026-10-01T09:30:00"


# Rows of one shape, as a report's: the same keys in the same order (one with '%' in it, which the
# writer's per-shape template must not read as its own), values of any kind from row to row.
_ROW_KEYS = ("kpi", "value", "100%s", "flags", "n")


@settings(max_examples=200)
@given(st.lists(st.tuples(*[values] * len(_ROW_KEYS)), min_size=2, max_size=8),
       st.sampled_from([1, 2, 4]))
def test_rows_of_one_shape_are_written_as_json_dumps_writes_them(rows: Any, indent: int) -> None:
    data = {"rows": [dict(zip(_ROW_KEYS, row, strict=True)) for row in rows]}
    same(dumps(data, indent=indent), data, indent)


@dataclass
class _Period:
    label: str


class _Float(float):
    pass


def test_what_a_browser_cannot_read_is_null_and_odd_values_are_written_as_before() -> None:
    text = dumps({"nan": math.nan, "inf": -math.inf, "dec": Decimal("NaN"), "small": 1e-05,
                  "sub": _Float(0.25), "period": _Period("2026-Q3"), "big": 2 ** 70})
    back = json.loads(text)  # the standard library's reader; a browser's refuses NaN outright
    assert back["nan"] is None and back["inf"] is None and back["dec"] is None
    assert back["small"] == 1e-05 and back["sub"] == 0.25
    assert back["period"] == "_Period(label='2026-Q3')"  # its text, as json.dumps(default=str) says
    assert back["big"] == 2 ** 70  # beyond orjson's 64 bits: the standard library writes it
    assert "NaN" not in dumps({"rows": [{"x": math.nan}]}, indent=None)
