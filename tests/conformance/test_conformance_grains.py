"""Figures by day (tests/test_day_grain.py), end to end through the CLI, on every backend: each
backend truncates a moment to its day itself."""

from __future__ import annotations

import pytest
from backend_fixtures import backend, backend_url, cli

from test_day_grain import test_a_report_by_day_lists_every_day_of_the_period

# Collected here once per backend: the `cli` fixture of this folder runs it on it.
__all__ = ["backend", "backend_url", "cli", "test_a_report_by_day_lists_every_day_of_the_period"]

pytestmark = pytest.mark.usefixtures("backend")
