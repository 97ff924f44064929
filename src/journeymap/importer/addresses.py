"""The email addresses a contacts file gives, checked as every address entering the store is."""

from __future__ import annotations

from journeymap.importer.rules import shown
from journeymap.model.addresses import ADDRESS_FIELD, address_problem
from journeymap.store.protocol import Staging

_ALL_ROWS = 1 << 62


def first_bad_address(store: Staging, before: int | None) -> tuple[int, str, str] | None:
    """The first staged contacts row before row `before` whose address no message can go to:
    its row, column and reason; None when every address before it can receive mail."""
    params = {"field": ADDRESS_FIELD, "before": _ALL_ROWS if before is None else before}
    for found in store.query("import_contacts_addresses", params):
        address = str(found["address"])
        problem = address_problem(address)
        if problem is not None:
            reason = f"{shown(address)} is not an email address: {problem}"
            return int(found["row_no"]), ADDRESS_FIELD, reason
    return None
