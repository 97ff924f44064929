"""Report endpoints: every report by name, cohort filters, JSON and CSV, errors naming the field."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from fractions import Fraction

import pytest
from typer.testing import CliRunner

import journeymap
from journeymap.channels.email import EmailCourier, SmtpConfig
from journeymap.cli import app as cli
from test_api_support import Api, open_api, welcome_map
from test_email_support import smtp_server


@pytest.fixture
def api(jm: journeymap.Journeymap) -> Iterator[Api]:
    """Three contacts on the welcome map: ann (google) and bob (google) buy, cat (none) does not;
    the SMTP server took ann's and bob's welcome emails and refused cat's address."""
    with open_api(jm) as a:
        post = a.client.post
        post("/api/maps", json=welcome_map(), headers=a.write)
        for contact, source in (("ann", "google"), ("bob", "google"), ("cat", None)):
            body = {"utm": {"source": source}, "fields": {"email": f"{contact}@x.org"}}
            a.client.put(f"/api/contacts/{contact}", json=body, headers=a.write)
        buys = [
            {"kind": "purchase", "contact_id": "ann", "amount": 30},
            {"kind": "purchase", "contact_id": "bob", "amount": "12.50"},
            {"kind": "refund", "contact_id": "bob", "amount": "2.50"},
        ]
        post(
            "/api/events/batch", json={"events": buys}, headers=a.write, params={"wait": "applied"}
        )
        with smtp_server() as (inbox, port):
            inbox.refuse["cat@x.org"] = "550 5.1.1 <cat@x.org>: no such user"
            a.live.outbox.workers["email"].courier = EmailCourier(SmtpConfig(port=port))
            assert a.live.outbox.deliver_due() == {"delivered": 2, "refused": 1}
        yield a


def _get(api: Api, report: str, **params: object) -> dict[str, object]:
    r = api.client.get(f"/api/maps/welcome/reports/{report}", params=params, headers=api.read)
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def _element(body: dict[str, object], element_id: str) -> dict[str, object]:
    return next(e for e in body["elements"] if e["id"] == element_id)  # type: ignore[attr-defined]


def test_contact_flow_reflects_events_as_soon_as_a_wait_applied_post_returns(api: Api) -> None:
    body = _get(api, "contact-flow")
    assert body["cohort_size"] == 3
    assert _element(body, "hello") == {
        "id": "hello",
        "kind": "action",
        "were_here": 3,
        "here_now": 0,
        "visits": 3,
        "sent": 2,
        "opened": 0,
        "clicked": 0,
        "unsubscribed": 0,
        "open_rate": 0.0,
        "click_rate": 0.0,
        "unsubscribe_rate": 0.0,
        "queued": 0,
        "failed": 1,
        "last_error": "SMTPRecipientsRefused: cat@x.org: 550 5.1.1 <cat@x.org>: no such user",
    }
    assert _element(body, "pause") == {
        "id": "pause",
        "kind": "wait",
        "were_here": 2,
        "here_now": 1,
        "visits": 3,
    }
    api.client.post(
        "/api/events",
        json={"kind": "purchase", "contact_id": "cat", "amount": 5},
        headers=api.write,
        params={"wait": "applied"},
    )
    assert _element(_get(api, "contact-flow"), "pause")["here_now"] == 0


def test_goal_rate_with_a_utm_filter_and_none(api: Api) -> None:
    google = _get(api, "goal-conversion-rate", utm_source="google", goal="bought")
    assert (google["cohort_size"], _element(google, "bought")["conversion_rate"]) == (2, 1.0)
    none = _get(api, "goal-conversion-rate", utm_source="(none)", goal="bought")
    assert (none["cohort_size"], _element(none, "bought")["achieved"]) == (1, 0)
    later = _get(api, "goal-conversion-rate", **{"from": "2026-01-06"})
    assert later["cohort_size"] == 0


def test_lifetime_value_as_csv(api: Api) -> None:
    r = api.client.get(
        "/api/maps/welcome/reports/lifetime-value", params={"format": "csv"}, headers=api.read
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.text.splitlines() == [
        "record,id,kind,were_here,here_now,visits,amount_spent,average_spent,from,to,contacts,share",
        "element,signup,trigger,3,0,3,40.00,13.33,,,,",
        "element,hello,action,3,0,3,40.00,13.33,,,,",
        "element,pause,wait,2,1,3,40.00,13.33,,,,",
        "element,bought,goal,2,0,2,40.00,20.00,,,,",
        "element,done,end,0,2,2,40.00,20.00,,,,",
        "connector,c1,,,,,,,signup,hello,3,1.0",
        "connector,c2,,,,,,,hello,pause,3,1.0",
        "connector,c3,,,,,,,pause,bought,0,",
        "connector,c4,,,,,,,bought,done,2,1.0",
    ]


def test_funnel_steps_as_csv_rows_from_the_api_and_the_cli(api: Api) -> None:
    """The default funnel (trigger signup, goal bought): 3 signed up, ann and bob then bought."""
    r = api.client.get(
        "/api/maps/welcome/reports/funnel-conversion",
        params={"format": "csv", "steps": ["signup", "bought"]},
        headers=api.read,
    )
    assert r.status_code == 200, r.text
    rows = [row for row in csv.DictReader(io.StringIO(r.text)) if row["record"] == "row"]
    picked = [
        (row["step"], row["elements"], row["count"], row["rate_prev"], row["entered_directly"])
        for row in rows
    ]
    assert picked == [("1", "signup", "3", "", ""), ("2", "bought", "2", str(2 / 3), "0")]
    args = ["stats", "--db", api.jm.path, "--map", "welcome", "--report", "funnel-conversion"]
    cli_csv = CliRunner().invoke(
        cli, [*args, "--step", "signup", "--step", "bought", "--format", "csv"]
    )
    assert cli_csv.stdout == r.text


def test_every_report_answers(api: Api) -> None:
    names = [r["name"] for r in api.client.get("/api/reports", headers=api.read).json()]
    assert names == [
        "bottlenecks",
        "contact-flow",
        "funnel-conversion",
        "goal-conversion-point",
        "goal-conversion-rate",
        "goal-conversion-time",
        "lifetime-value",
        "roi",
        "split-test",
        "time-to-goal",
    ]
    for name in names:
        if name != "split-test":
            assert _get(api, name, goal="bought")["report"] == name
    r = api.client.get(
        "/api/maps/welcome/reports/split-test", params={"goal": "bought"}, headers=api.read
    )
    assert (r.status_code, r.json()["error"]["code"]) == (422, "no_split")  # no split to test


def test_bad_report_parameters_name_the_field(api: Api) -> None:
    r = api.client.get(
        "/api/maps/welcome/reports/goal-conversion-point",
        params={"goal": "pause"},
        headers=api.read,
    )
    assert r.status_code == 422
    assert r.json()["error"]["problems"][0]["field"] == "goal"
    assert r.json()["error"]["code"] == "not_a_goal"
    r = api.client.get("/api/maps/welcome/reports/nope", headers=api.read)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "unknown_report")
    r = api.client.get("/api/maps/ghost/reports/contact-flow", headers=api.read)
    assert r.status_code == 404
    r = api.client.get(
        "/api/maps/welcome/reports/contact-flow", params={"from": "yesterday"}, headers=api.read
    )
    assert (r.status_code, r.json()["error"]["problems"][0]["field"]) == (422, "from")


def test_roi_with_a_marketing_cost_as_json_and_csv(api: Api) -> None:
    cost = {
        "utm_field": "source",
        "utm_value": "google",
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "amount": "20.00",
    }
    r = api.client.post("/api/marketing-costs", json=cost, headers=api.write)
    assert (r.status_code, r.json()) == (201, cost)
    bad = {**cost, "utm_field": "channel"}
    r = api.client.post("/api/marketing-costs", json=bad, headers=api.write)
    assert (r.status_code, r.json()["error"]["problems"][0]["field"]) == (422, "utm_field")
    roi = _get(api, "roi", by="source", goal="bought")
    assert roi["rows"] == [
        {
            "utm_field": "source",
            "utm_value": "(none)",
            "contacts": 1,
            "achievers": 0,
            "revenue": 0.0,
            "cost": 0.0,
            "roi": None,
        },
        {
            "utm_field": "source",
            "utm_value": "google",
            "contacts": 2,
            "achievers": 2,
            "revenue": 40.0,
            "cost": 20.0,
            "roi": 1.0,
        },
    ]
    r = api.client.get(
        "/api/maps/welcome/reports/roi",
        params={"by": "source", "goal": "bought", "format": "csv"},
        headers=api.read,
    )
    assert r.text.splitlines()[0] == (
        "record,id,kind,were_here,here_now,visits,from,to,contacts,share,"
        "utm_field,utm_value,achievers,revenue,cost,roi"
    )
    assert r.text.splitlines()[-2:] == [
        "row,,,,,,,,1,,source,(none),0,0.00,0.00,",
        "row,,,,,,,,2,,source,google,2,40.00,20.00,1.0",
    ]
    # the command line writes the very same file (this process may open the store again)
    args = ["stats", "--db", api.jm.path, "--map", "welcome", "--report", "roi", "--by", "source"]
    cli_csv = CliRunner().invoke(cli, [*args, "--goal", "bought", "--format", "csv"])
    assert cli_csv.stdout == r.text


def test_attribution_and_bottleneck_options_reach_the_report(api: Api) -> None:
    # ann and bob bought; each achiever's credits add up to one, whatever the model
    last = _get(api, "goal-conversion-point", goal="bought")
    linear = _get(api, "goal-conversion-point", goal="bought", attribution="linear")
    assert linear["options"] == {"attribution": "linear", "half_life_days": 7.0}
    assert linear["goal_achievers"] == last["goal_achievers"] == 2
    credits = {e["id"]: e["conversion_credit"] for e in linear["elements"]}  # type: ignore[attr-defined]
    assert sum(Fraction(c) for c in credits.values()) == 2
    r = api.client.get(
        "/api/maps/welcome/reports/goal-conversion-point",
        params={"goal": "bought", "attribution": "even"},
        headers=api.read,
    )
    assert (r.status_code, r.json()["error"]["problems"][0]["field"]) == (422, "attribution")
    neck = _get(api, "bottlenecks", grace_days=2, stall_days=3)
    assert neck["options"] == {"grace_days": 2.0, "stall_days": 3.0}


def test_a_trend_as_json_csv_and_from_the_cli(api: Api) -> None:
    url = "/api/maps/welcome/reports/contact-flow/trend"
    params = {"figure": "were_here", "element": "hello", "period": "month"}
    r = api.client.get(url, params=params, headers=api.read)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["figure"], body["element"], body["period"], body["overall"]) == (
        "were_here",
        "hello",
        "month",
        3,
    )
    [row] = body["rows"]
    assert (row["cohort_size"], row["value"]) == (3, 3)
    csv_text = api.client.get(url, params={**params, "format": "csv"}, headers=api.read).text
    assert csv_text == (
        f"period,from,to,cohort_size,value\n{row['period']},{row['from']},{row['to']},3,3\n"
    )
    bad = api.client.get(url, params={**params, "figure": "stuck"}, headers=api.read)
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "unknown_figure")
    cli_args = ["trend", "--map", "welcome", "--report", "contact-flow", "--figure", "were_here"]
    cli_args += ["--element", "hello", "--period", "month", "--format", "csv", "--db", api.jm.path]
    out = CliRunner().invoke(cli, cli_args)  # this process may open the store again
    assert out.exit_code == 0, out.output
    assert out.output == csv_text
