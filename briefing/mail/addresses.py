"""E-mail addresses, checked as a relay would check them, without asking the network.

``email-validator`` knows the syntax rules (RFC 5321/5322, internationalised
domains); deliverability checks are off because they need DNS, and a check must
give the same answer on a laptop without network as on the server.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from briefing.fields import custom_error


def check_address(value: str) -> str:
    """The address in the form to send to (domain lowercased, in ASCII), or a
    validation error that says what is wrong with it.

    Addresses with non-ASCII characters before the @ need SMTPUTF8 from every relay
    on the way; they are refused rather than bounced half-way."""
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise custom_error(f"not a valid e-mail address '{value}': {exc}",
                           "write it like ana@example.org") from None
    return checked.ascii_email or checked.normalized
