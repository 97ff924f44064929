"""The OpenAPI schema: schemathesis exercises every operation; the settings are all documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

import journeymap
from journeymap.api import Settings, create_app
from journeymap.api.tokens import Scope, create_token
from journeymap.clock import ManualClock
from journeymap.model.loading import parse_map
from test_api_support import SECRET, welcome_map

DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"


@pytest.fixture
def api_schema(tmp_path: Path, clock: ManualClock) -> Iterator[schemathesis.BaseSchema]:
    """The app's schema over a store with one map and one contact, authorised with a write token."""
    jm = journeymap.open(tmp_path / "schema.duckdb", clock=clock)
    token = create_token(jm.store, clock, Scope.write)
    jm.add_map(parse_map(welcome_map()))
    app = create_app(jm, Settings(tracking_secret=SECRET, max_body_bytes=20_000))
    config = schemathesis.Config.from_dict(
        {
            "headers": {"Authorization": f"Bearer {token}"},
            # a request the schema allows may still break a rule of the domain (a map without a
            # trigger, an unknown goal): those get 422 naming the rule, which is correct
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422"]
                }
            },
        }
    )
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=config)
    yield schema
    jm.close()


def test_every_operation_answers_to_its_schema(api_schema: schemathesis.BaseSchema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate()

        run()


def test_every_setting_is_documented_in_docs_api_md() -> None:
    text = DOCS.read_text("utf-8")
    missing = [
        name
        for name in Settings.model_fields
        if f"`{name}`" not in text or f"`JOURNEYMAP_{name.upper()}`" not in text
    ]
    assert missing == []
