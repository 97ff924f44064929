"""The plan book packs planned steps away and gives back exactly what was planned."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from journeymap.sim.book import SPAN, PlanBook

UTM = {"source": "google", "medium": "cpc"}

settings = st.one_of(
    st.none(),
    st.sampled_from(["https://www.example.com/pricing", "ebook", "free", ""]),
    st.just(UTM),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10, max_value=10),
)
steps = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=40 * SPAN, allow_nan=False),
        st.sampled_from(["purchase", "page_visited", "contact_created", "field_updated"]),
        st.one_of(st.none(), st.sampled_from(["ebook", "plan", "https://www.example.com/"])),
        settings,
    ),
    max_size=40,
)


@given(steps)
def test_every_step_comes_back_as_planned_in_its_hour_in_order(
    planned: list[tuple[float, str, str | None, object]],
) -> None:
    book = PlanBook()
    for number, (at, kind, a, b) in enumerate(planned):
        book.keep(book.record(at, number, 0, kind, a, b))
    seen = []
    for hour in range(41):
        records = book.take(hour)
        assert all(hour * SPAN <= r[0] < (hour + 1) * SPAN for r in records)
        assert records == sorted(records)
        seen.extend(records)
    assert book.last_hour() == max((int(at // SPAN) for at, *_ in planned), default=-1)
    assert all(book.take(hour) == [] for hour in range(41))
    assert len(seen) == len(planned)
    for r in seen:
        at, kind, a, b = planned[r[1]]
        got_kind, got_a, got_b = book.step(r)
        assert (r[0], got_kind, got_a, got_b) == (at, kind, a, b)
        if isinstance(b, Decimal):  # the same digits and exponent, not only an equal number
            assert str(got_b) == str(b)


def test_the_steps_of_one_contact_keep_their_plan_order_on_ties() -> None:
    book = PlanBook()
    for index, kind in enumerate(["tag_added", "form_submitted", "purchase"]):
        book.keep(book.record(SPAN + 5.0, 7, index, kind, None, None))
    book.keep(book.record(SPAN + 5.0, 3, 0, "page_visited", None, None))
    order = [(r[1], book.step(r)[0]) for r in book.take(1)]
    assert order == [(3, "page_visited"), (7, "tag_added"), (7, "form_submitted"), (7, "purchase")]
