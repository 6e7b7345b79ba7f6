"""Amounts in other currencies (tests/test_workspace.py), converted with the rate of their day (an
open deal's: the day measured, tests/test_fx_as_measured.py) and rounded to the cent once, end to
end through the CLI, on every backend; and the settings that move stored records with them (the base
currency's rates, the time zone's midnights)."""

from __future__ import annotations

import pytest
from backend_fixtures import backend, backend_url, cli

from test_fx_as_measured import (
    test_an_open_deal_is_worth_the_money_of_the_day_measured,
    test_an_open_deal_without_a_rate_is_refused_not_left_out,
)
from test_workspace import (
    test_a_converted_amount_is_rounded_once,
    test_a_time_zone_change_says_it_moved_dates_without_a_time,
    test_changing_the_base_currency_never_converts_at_the_old_base_s_rates,
    test_foreign_amounts_are_converted_with_the_rate_of_their_day,
    test_mixed_currencies_are_never_added_as_they_are,
    test_rates_imported_before_a_base_is_chosen_are_for_the_one_chosen,
)

# Collected here once per backend: the `cli` fixture of this folder runs them on it.
__all__ = [
    "backend",
    "backend_url",
    "cli",
    "test_a_converted_amount_is_rounded_once",
    "test_a_time_zone_change_says_it_moved_dates_without_a_time",
    "test_an_open_deal_is_worth_the_money_of_the_day_measured",
    "test_an_open_deal_without_a_rate_is_refused_not_left_out",
    "test_changing_the_base_currency_never_converts_at_the_old_base_s_rates",
    "test_foreign_amounts_are_converted_with_the_rate_of_their_day",
    "test_mixed_currencies_are_never_added_as_they_are",
    "test_rates_imported_before_a_base_is_chosen_are_for_the_one_chosen",
]

pytestmark = pytest.mark.usefixtures("backend")
