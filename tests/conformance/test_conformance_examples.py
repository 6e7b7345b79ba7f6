"""The seed's worked examples (tests/test_worked_examples.py), end to end through the CLI, on every
backend: the same CSV files imported, the same figures read back."""

from __future__ import annotations

import pytest
from backend_fixtures import backend, backend_url, cli

from test_worked_examples import (
    test_activity_count_last_week,
    test_average_deal_size_last_month,
    test_nps,
    test_quota_attainment,
    test_ramp_time_quota_rule,
    test_revenue_per_product_last_quarter,
    test_revenue_per_rep_last_month,
    test_sales_cycle_length,
    test_total_revenue_last_30_days,
    test_win_rate_both_readings,
)

# Collected here once per backend: the `cli` fixture of this folder runs them on it.
__all__ = [
    "backend",
    "backend_url",
    "cli",
    "test_activity_count_last_week",
    "test_average_deal_size_last_month",
    "test_nps",
    "test_quota_attainment",
    "test_ramp_time_quota_rule",
    "test_revenue_per_product_last_quarter",
    "test_revenue_per_rep_last_month",
    "test_sales_cycle_length",
    "test_total_revenue_last_30_days",
    "test_win_rate_both_readings",
]

pytestmark = pytest.mark.usefixtures("backend")
