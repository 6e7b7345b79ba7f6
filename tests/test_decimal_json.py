"""decimal_json.dumps writes indented JSON itself (the standard library's indenting encoder is pure
Python and took a second for a large report): it must write exactly what json.dumps writes, with
Decimals as exact numbers."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from salesmetrics.decimal_json import _DECIMAL, _jsonable, dumps

_MARKED = re.compile('"' + _DECIMAL + r'(-?[0-9]+(?:\.[0-9]+)?)"')


def reference(data: Any, indent: int | None) -> str:
    """The plain way: json.dumps of the marked values, markers replaced by the numbers."""
    text = json.dumps(_jsonable(data), indent=indent, ensure_ascii=False, default=str)
    return _MARKED.sub(r"\1", text)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.decimals(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(),
)
keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=30)


@settings(max_examples=400)
@given(values, st.sampled_from([0, 1, 2, 4]))
def test_indented_dumps_writes_what_json_dumps_writes(data: Any, indent: int) -> None:
    assert dumps(data, indent=indent) == reference(data, indent)


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
    assert dumps(data, indent=indent) == reference(data, indent)
