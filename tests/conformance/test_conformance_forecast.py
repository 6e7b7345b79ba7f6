"""The forecast, slippage, accuracy, loss reasons and accounts (tests/test_forecast.py), end to end
through the CLI, on every backend: the same files imported, the same figures read back. The history
each import keeps is written to the backend and compared there."""

from __future__ import annotations

import pytest
from backend_fixtures import backend, backend_url, cli

from test_forecast import (
    test_a_deal_dated_only_later_is_undated_as_of_a_day_before,
    test_a_deal_naming_an_account_that_is_not_imported_is_refused,
    test_a_forecast_listing_the_first_won_deals_adds_up_all,
    test_accuracy_counts_a_win_once_an_import_had_brought_it,
    test_accuracy_from_two_imports,
    test_bad_forecast_values_are_refused_and_nothing_is_written,
    test_forecast_on_august_1,
    test_forecast_on_september_10_lists_the_overdue_apart,
    test_losses_per_reason_with_intervals_and_the_quarter_before,
    test_report_by_lost_reason,
    test_revenue_by_segment_is_the_sum_of_its_accounts_won_deals,
    test_revenue_no_quota_measures_is_flagged_beside_the_gap,
    test_slippage_after_imports_that_push_a_date,
    test_the_forecast_as_of_a_past_day_reads_the_kept_history,
    test_the_history_of_an_unchanged_reimport_is_empty,
    test_undated_as_of_a_day_reads_an_imported_history_as_the_bars_do,
)

# Collected here once per backend: the `cli` fixture of this folder runs them on it.
__all__ = [
    "backend",
    "backend_url",
    "cli",
    "test_a_deal_dated_only_later_is_undated_as_of_a_day_before",
    "test_a_deal_naming_an_account_that_is_not_imported_is_refused",
    "test_a_forecast_listing_the_first_won_deals_adds_up_all",
    "test_accuracy_counts_a_win_once_an_import_had_brought_it",
    "test_accuracy_from_two_imports",
    "test_bad_forecast_values_are_refused_and_nothing_is_written",
    "test_forecast_on_august_1",
    "test_forecast_on_september_10_lists_the_overdue_apart",
    "test_losses_per_reason_with_intervals_and_the_quarter_before",
    "test_report_by_lost_reason",
    "test_revenue_by_segment_is_the_sum_of_its_accounts_won_deals",
    "test_revenue_no_quota_measures_is_flagged_beside_the_gap",
    "test_slippage_after_imports_that_push_a_date",
    "test_the_forecast_as_of_a_past_day_reads_the_kept_history",
    "test_the_history_of_an_unchanged_reimport_is_empty",
    "test_undated_as_of_a_day_reads_an_imported_history_as_the_bars_do",
]

pytestmark = pytest.mark.usefixtures("backend")
