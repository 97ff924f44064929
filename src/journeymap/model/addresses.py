"""Email addresses: the contact field that holds one, and the check every address passes."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

ADDRESS_FIELD = "email"
"""The contact field that holds the address a message goes to."""


def address_problem(address: str) -> str | None:
    """Why an address cannot receive mail, or None when it can (empty means no address)."""
    if address == "":
        return None
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None
