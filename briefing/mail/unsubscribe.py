"""Signed unsubscribe tokens for one-click links (RFC 8058).

A one-click POST carries nothing but ``List-Unsubscribe=One-Click``: the URL alone
must say who leaves. Subscriber ids are short words (``ana``), so a URL holding
only the id would let anyone unsubscribe anyone; the token adds an HMAC of the
id under a key kept in the environment, which the endpoint checks with
:func:`token_subscriber`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from briefing.fields import is_id

#: Bytes of the HMAC kept in a token: 128 bits, far beyond guessing.
_MAC_BYTES = 16


def _mac(key: bytes, list_id: str, subscriber_id: str) -> str:
    digest = hmac.new(key, f"{list_id}\n{subscriber_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_MAC_BYTES]).rstrip(b"=").decode("ascii")


def unsubscribe_token(key: bytes, list_id: str, subscriber_id: str) -> str:
    """``ana.<mac>``: the subscriber's id and its signature, safe in a URL as it is."""
    return f"{subscriber_id}.{_mac(key, list_id, subscriber_id)}"


def token_subscriber(key: bytes, list_id: str, token: str) -> str | None:
    """The subscriber id a token was made for, or None when it was not made with ``key``."""
    subscriber_id, _, mac = token.rpartition(".")
    if not is_id(subscriber_id):
        return None
    return subscriber_id if hmac.compare_digest(mac, _mac(key, list_id, subscriber_id)) else None


def unsubscribe_url(template: str, key: bytes, list_id: str, subscriber_id: str) -> str:
    """The template of ``email.unsubscribe.url`` filled in for one subscriber."""
    return template.format(token=unsubscribe_token(key, list_id, subscriber_id), id=subscriber_id)
