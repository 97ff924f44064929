"""`journeymap deliveries` and `journeymap webhooks`: what actions queued; the signing secret."""

from __future__ import annotations

import enum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

import journeymap
from journeymap.channels.ledger import DeliveryRecord
from journeymap.cli.app import DEFAULT_DB, DbOption, app, console, err_console
from journeymap.cli.errors import friendly

deliveries_app = typer.Typer(
    no_args_is_help=True, help="List deliveries (emails, notifications, webhooks); retry one."
)
app.add_typer(deliveries_app, name="deliveries")
webhooks_app = typer.Typer(no_args_is_help=True, help="The secret webhooks are signed with.")
app.add_typer(webhooks_app, name="webhooks")


class ChannelChoice(enum.StrEnum):
    email = "email"
    webhook = "webhook"


class StateChoice(enum.StrEnum):
    delivered = "delivered"
    pending = "pending"
    failed = "failed"


def _when(record: DeliveryRecord) -> str:
    return record.created_at.isoformat(timespec="seconds")


def _attempts(record: DeliveryRecord) -> str:
    lines = [
        f"{a.attempt}. {a.occurred_at.isoformat(timespec='seconds')} {a.status}"
        + (f": {a.error}" if a.error else "")
        for a in record.attempt_log
    ]
    return "\n".join(escape(line) for line in lines)


@deliveries_app.command("list")
@friendly
def list_deliveries(
    db: DbOption = DEFAULT_DB,
    failed: Annotated[bool, typer.Option("--failed", help="Only deliveries that failed.")] = False,
    state: Annotated[
        StateChoice | None, typer.Option(help="Only deliveries in this state.")
    ] = None,
    channel: Annotated[ChannelChoice | None, typer.Option(help="Only this channel.")] = None,
    map_id: Annotated[str | None, typer.Option("--map", help="Only this map's.")] = None,
    element_id: Annotated[
        str | None, typer.Option("--element", help="Only this element's.")
    ] = None,
    contact_id: Annotated[
        str | None, typer.Option("--contact", help="Only this contact's.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="How many to pass over first.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="The page as JSON.")] = False,
) -> None:
    """List deliveries newest first, each with its state and attempts."""
    if failed and state not in (None, StateChoice.failed):
        raise typer.BadParameter(f"--failed and --state {state} contradict each other")
    chosen = StateChoice.failed if failed else state
    with journeymap.open(db) as jm:
        page = jm.deliveries(
            channel=channel.value if channel else None,
            state=chosen.value if chosen else None,
            map_id=map_id,
            element_id=element_id,
            contact_id=contact_id,
            limit=limit,
            offset=offset,
        )
    if as_json:
        typer.echo(page.model_dump_json(indent=2))
        return
    table = Table(title=f"{page.total:,} deliveries", title_justify="left")
    for name in ("delivery", "channel", "map / element", "contact", "to", "state", "attempts"):
        table.add_column(name)
    for r in page.deliveries:
        table.add_row(
            f"{r.delivery_id}\n{_when(r)}",
            f"{r.channel}\n{r.action}",
            f"{r.map_id} / {r.element_id}",
            r.contact_id,
            escape(r.target or ""),
            r.state,
            _attempts(r),
        )
    console.print(table)


@deliveries_app.command("retry")
@friendly
def retry(
    delivery_id: Annotated[str, typer.Argument(help="The failed delivery's id.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Queue a failed delivery again, due now; the server's worker attempts it."""
    with journeymap.open(db) as jm:
        record = jm.retry_delivery(delivery_id)
    console.print(f"{record.delivery_id}: {record.state}, due now", highlight=False)


@webhooks_app.command("secret")
@friendly
def secret(
    db: DbOption = DEFAULT_DB,
    rotate: Annotated[
        bool,
        typer.Option(
            "--rotate",
            help="Make a new secret; the old one still signs (a second v1=) for 24 hours.",
        ),
    ] = False,
) -> None:
    """Print the secret webhooks are signed with (made on first use)."""
    with journeymap.open(db) as jm:
        key = jm.webhook_keys.rotate() if rotate else jm.webhook_keys.current()
    typer.echo(key)
    if rotate:
        err_console.print(
            "A new secret; the previous one signs as well for 24 hours.", highlight=False
        )
