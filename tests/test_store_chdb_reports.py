"""The report tests, with their hand-worked figures, run again on the ClickHouse store (chDB):
one suite over both engines, as the DuckDB runs of the same tests live in their own modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import journeymap
from journeymap.clock import ManualClock
from test_drilldown import (
    fresh,
    scenario,
    test_date_edges_follow_the_timezone,
    test_email_figures_list_their_contacts,
    test_flow_figures_list_their_contacts,
    test_funnel_and_spend_figures_list_their_contacts,
    test_goal_figures_list_their_contacts,
    test_json_shape_names_the_time_and_value,
    test_paging_is_stable_and_counts_the_whole_list,
    test_the_time_of_each_row,
    test_utm_filters_and_none,
)
from test_reports_filters import (
    pages,
    test_cohort_date_is_the_first_entry,
    test_date_range_days_are_local_to_the_timezone,
    test_date_range_edges_include_the_first_and_last_day_whole,
    test_page_visitors_count_anonymous_visits,
    test_page_visitors_filter_on_the_visits_own_utm,
)
from test_reports_flow import (
    fork_map,
    test_a_figure_reflects_an_event_as_soon_as_it_is_applied,
    test_after_the_wait_every_contact_was_here,
    test_email_stats_count_sends_and_unique_opens_clicks_unsubscribes,
    test_re_entries_fork_and_condition_before_the_wait_ends,
    test_utm_filters_first_touch_none_and_last_touch,
)
from test_reports_funnel import (
    test_a_map_with_no_goal_has_a_one_step_funnel,
    test_a_step_taken_again_after_the_step_before_counts,
    test_picked_steps_group_only_triggers_listed_together,
    test_the_default_funnel_starts_with_every_trigger,
)
from test_reports_funnel_ltv import (
    test_default_funnel_is_trigger_then_goals_in_path_order,
    test_lifetime_value_after_first_arrival,
    test_lifetime_value_nets_refunds_over_all_purchases,
    test_picked_funnel_steps,
)
from test_reports_goals import (
    goals,
    test_a_second_achievement_after_reaching_an_element_counts_from_it,
    test_flow_with_pulls_and_a_contact_waiting_at_the_goal,
    test_goal_conversion_point_with_the_entered_at_goal_bucket,
    test_goal_conversion_rate_overall_and_from_each_element,
    test_goal_conversion_time_mean_median_p90,
)
from test_reports_split_test import (
    ab,
    test_a_control_named_by_the_user,
    test_branch_counts_rates_and_statistics,
    test_drill_down_lists_the_contacts_behind_each_branch,
    test_errors_name_the_parameter,
    test_small_samples_use_fishers_exact_test_and_are_not_called,
    test_the_cohort_filter_applies_to_every_branch,
    test_three_branches_chance_of_being_best_against_sampling,
)
from test_reports_time_to_goal import (
    story,
    test_drill_down_lists_converted_and_censored_contacts,
    test_hand_worked_example_with_exits_and_contacts_still_on_the_way,
    test_random_traffic_against_lifelines,
    test_the_cohort_filter_and_the_goal_rules,
)

__all__ = [
    "ab",
    "fork_map",
    "fresh",
    "goals",
    "pages",
    "story",
    "test_a_control_named_by_the_user",
    "test_a_figure_reflects_an_event_as_soon_as_it_is_applied",
    "test_a_map_with_no_goal_has_a_one_step_funnel",
    "test_a_second_achievement_after_reaching_an_element_counts_from_it",
    "test_a_step_taken_again_after_the_step_before_counts",
    "test_after_the_wait_every_contact_was_here",
    "test_branch_counts_rates_and_statistics",
    "test_cohort_date_is_the_first_entry",
    "test_date_edges_follow_the_timezone",
    "test_date_range_days_are_local_to_the_timezone",
    "test_date_range_edges_include_the_first_and_last_day_whole",
    "test_default_funnel_is_trigger_then_goals_in_path_order",
    "test_drill_down_lists_converted_and_censored_contacts",
    "test_drill_down_lists_the_contacts_behind_each_branch",
    "test_email_figures_list_their_contacts",
    "test_email_stats_count_sends_and_unique_opens_clicks_unsubscribes",
    "test_errors_name_the_parameter",
    "test_flow_figures_list_their_contacts",
    "test_flow_with_pulls_and_a_contact_waiting_at_the_goal",
    "test_funnel_and_spend_figures_list_their_contacts",
    "test_goal_conversion_point_with_the_entered_at_goal_bucket",
    "test_goal_conversion_rate_overall_and_from_each_element",
    "test_goal_conversion_time_mean_median_p90",
    "test_goal_figures_list_their_contacts",
    "test_hand_worked_example_with_exits_and_contacts_still_on_the_way",
    "test_json_shape_names_the_time_and_value",
    "test_lifetime_value_after_first_arrival",
    "test_lifetime_value_nets_refunds_over_all_purchases",
    "test_page_visitors_count_anonymous_visits",
    "test_page_visitors_filter_on_the_visits_own_utm",
    "test_paging_is_stable_and_counts_the_whole_list",
    "test_picked_funnel_steps",
    "test_picked_steps_group_only_triggers_listed_together",
    "test_random_traffic_against_lifelines",
    "test_re_entries_fork_and_condition_before_the_wait_ends",
    "test_small_samples_use_fishers_exact_test_and_are_not_called",
    "test_the_cohort_filter_and_the_goal_rules",
    "test_the_cohort_filter_applies_to_every_branch",
    "test_the_default_funnel_starts_with_every_trigger",
    "test_the_time_of_each_row",
    "test_three_branches_chance_of_being_best_against_sampling",
    "test_utm_filters_and_none",
    "test_utm_filters_first_touch_none_and_last_touch",
]


@pytest.fixture
def jm(tmp_path: Path, clock: ManualClock) -> Iterator[journeymap.Journeymap]:
    """A journeymap over a fresh ClickHouse store in this process (chDB)."""
    lib = journeymap.open(f"chdb://{tmp_path / 'store'}", clock=clock)
    yield lib
    lib.close()


@pytest.fixture
def dd(jm: journeymap.Journeymap) -> journeymap.Journeymap:
    """The drill-down scenario (built once per module on DuckDB, per test here)."""
    return scenario(jm)
