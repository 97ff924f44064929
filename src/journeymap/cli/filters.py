"""The cohort options `stats` and `contacts` share: map, goal, dates, UTM, funnel steps."""

from __future__ import annotations

from typing import Annotated, Any

import typer


def opt(flag: str, text: str) -> Any:
    """An option without a shown default."""
    return typer.Option(flag, help=text, show_default=False)


MapOpt = Annotated[str, opt("--map", "Id of the map.")]
GoalOpt = Annotated[str | None, opt("--goal", "Goal element id (conversion reports).")]
FromOpt = Annotated[str | None, opt("--from", "First cohort day, YYYY-MM-DD.")]
ToOpt = Annotated[str | None, opt("--to", "Last cohort day (inclusive).")]
TzOpt = Annotated[str, typer.Option("--tz", help="Timezone of the cohort days.")]
SourceOpt = Annotated[str | None, opt("--utm-source", "UTM source; (none) = missing.")]
MediumOpt = Annotated[str | None, opt("--utm-medium", "UTM medium.")]
CampaignOpt = Annotated[str | None, opt("--utm-campaign", "UTM campaign.")]
ContentOpt = Annotated[str | None, opt("--utm-content", "UTM content.")]
TermOpt = Annotated[str | None, opt("--utm-term", "UTM term.")]
LastTouchOpt = Annotated[
    bool, typer.Option("--last-touch", help="Filter on last-touch UTM instead of first.")
]
StepOpt = Annotated[
    list[str] | None, opt("--step", "Funnel step (repeat, in order); default: auto.")
]
AfterArrivalOpt = Annotated[
    bool, typer.Option("--after-arrival", help="Amount spent: only purchases after arrival.")
]
ControlOpt = Annotated[
    str | None, opt("--control", "Split test: connector of the control branch; default: the first.")
]

AttributionOpt = Annotated[
    str,
    typer.Option(
        "--attribution",
        help="Goal conversion point: credit the last, first, linear or time-decay way.",
    ),
]
HalfLifeOpt = Annotated[
    float,
    typer.Option("--half-life-days", help="Time-decay attribution: days over which credit halves."),
]
GraceOpt = Annotated[
    float,
    typer.Option("--grace-days", help="Bottlenecks: days past the configured wait before stuck."),
]
StallOpt = Annotated[
    float,
    typer.Option("--stall-days", help="Bottlenecks: days without a move that make a drop-off."),
]


def report_options(
    attribution: str, half_life_days: float, grace_days: float, stall_days: float
) -> dict[str, Any]:
    """The report options given on the command line, as the library and HTTP API name them."""
    return {
        "attribution": attribution,
        "half_life_days": half_life_days,
        "grace_days": grace_days,
        "stall_days": stall_days,
    }


def utm_filter(
    source: str | None,
    medium: str | None,
    campaign: str | None,
    content: str | None,
    term: str | None,
) -> dict[str, str]:
    """The UTM fields given on the command line, by field name."""
    given = {
        "source": source,
        "medium": medium,
        "campaign": campaign,
        "content": content,
        "term": term,
    }
    return {field: value for field, value in given.items() if value is not None}
