"""Maps and helpers shared by the simulator tests: two small maps with every kind of door."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from journeymap.model.loading import parse_map, parse_yaml
from journeymap.model.map import AutomationMap

START = datetime(2025, 3, 3, tzinfo=UTC)
"""A Monday: simulations in these tests start here."""

NURTURE_YAML = """\
id: nurture
name: Nurture
elements:
  - {id: t-signup, kind: trigger, event: {on: contact_created}}
  - {id: t-webinar, kind: trigger, event: {on: form_submitted, form: webinar}, reentry: always}
  - {id: a-welcome, kind: action, action: {type: send_email, message: {subject: Welcome}}}
  - {id: w-2d, kind: wait, duration: P2D}
  - {id: c-big, kind: condition, rule: {field: company_size, op: gte, value: 50}}
  - {id: a-sales, kind: action, action: {type: notify, to: sales@example.com}}
  - {id: s-ab, kind: split}
  - {id: a-tip-a, kind: action, action: {type: send_email, message: {subject: Tip A}}}
  - {id: a-tip-b, kind: action, action: {type: send_email, message: {subject: Tip B}}}
  - {id: g-opened, kind: goal, event: {on: email_opened, email: a-welcome}}
  - {id: g-clicked, kind: goal, event: {on: email_clicked}}
  - {id: f-both, kind: fork}
  - {id: a-tag, kind: action, action: {type: add_tag, tag: engaged}}
  - {id: w-monday, kind: wait, weekday: monday, time_of_day: "09:00", timezone: Europe/Paris}
  - {id: g-course, kind: goal, event: {on: purchase, product: course}}
  - {id: go-again, kind: goto, target: w-2d}
  - {id: e-out, kind: end, exit: true}
connectors:
  - {id: n1, from: t-signup, to: a-welcome}
  - {id: n2, from: t-webinar, to: a-welcome}
  - {id: n3, from: a-welcome, to: w-2d}
  - {id: n4, from: w-2d, to: c-big}
  - {id: n5, from: c-big, to: a-sales, label: "yes"}
  - {id: n6, from: c-big, to: s-ab, label: "no"}
  - {id: n7, from: a-sales, to: g-opened}
  - {id: n8, from: s-ab, to: a-tip-a, weight: 60}
  - {id: n9, from: s-ab, to: a-tip-b, weight: 40}
  - {id: n10, from: a-tip-a, to: g-opened}
  - {id: n11, from: a-tip-b, to: g-opened}
  - {id: n12, from: g-opened, to: g-clicked}
  - {id: n13, from: g-clicked, to: f-both}
  - {id: n14, from: f-both, to: a-tag}
  - {id: n15, from: f-both, to: w-monday}
  - {id: n16, from: a-tag, to: go-again}
  - {id: n17, from: w-monday, to: g-course}
  - {id: n18, from: g-course, to: e-out}
"""

SHOP_YAML = """\
id: shop
name: Shop
elements:
  - {id: t-vip, kind: trigger, event: {on: tag_added, tag: vip}}
  - {id: t-products, kind: trigger, event: {on: page_visited, url_pattern: "*/pro?ucts/[a-c]*"}}
  - {id: t-ebook, kind: trigger, event: {on: purchase, product: ebook}, reentry: once}
  - {id: t-manual, kind: trigger, event: {on: added_manually}}
  - {id: a-thanks, kind: action, action: {type: send_email, message: {subject: Thanks}}}
  - {id: w-week, kind: wait, duration: P7D}
  - {id: g-plan, kind: goal, event: {on: field_updated, field: plan, value: paid}}
  - {id: g-unvip, kind: goal, event: {on: tag_removed, tag: vip}}
  - {id: e-done, kind: end}
connectors:
  - {id: s1, from: t-vip, to: a-thanks}
  - {id: s2, from: t-products, to: a-thanks}
  - {id: s3, from: t-ebook, to: a-thanks}
  - {id: s4, from: t-manual, to: a-thanks}
  - {id: s5, from: a-thanks, to: w-week}
  - {id: s6, from: w-week, to: g-plan}
  - {id: s7, from: g-plan, to: g-unvip}
  - {id: s8, from: g-unvip, to: e-done}
"""


def load(text: str) -> AutomationMap:
    return parse_map(parse_yaml(text))


NURTURE = load(NURTURE_YAML)
SHOP = load(SHOP_YAML)


def replay(transitions: list[dict[str, Any]], forks: set[str]) -> dict[tuple[str, str], set[str]]:
    """Positions per (contact, map) rebuilt from the moves alone. Each move leaves a place the
    contact holds, except the second and later branches out of a fork, which leave it together."""
    held: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in transitions:
        where = held[(t["contact_id"], t["map_id"])]
        if t["kind"] == "enter":
            assert t["from_element"] is None, t
        else:
            assert t["from_element"] in where or t["from_element"] in forks, t
            where.discard(t["from_element"])
        if t["to_element"] is not None:
            where.add(t["to_element"])
    return held
