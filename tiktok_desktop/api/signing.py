"""Request signing (reference §4) and the exact bytes that go on the wire.

The signature covers the decoded query values and the body bytes, so the URL and the body are
produced here too: what is signed is exactly what is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from urllib.parse import quote

# Never part of the signature, even when present in the query (§4.1 step 1).
UNSIGNED_PARAMS = frozenset({"sign", "access_token"})


def query_value(value: object) -> str:
    """A query value as the API expects it: lowercase booleans, comma-joined lists."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(query_value(item) for item in value)
    return str(value)


def sign(
    app_secret: str,
    path: str,
    query: Mapping[str, str],
    body: bytes | str | None,
    *,
    multipart: bool = False,
) -> str:
    """The lowercase hex HMAC-SHA256 signature of a request (reference §4.1).

    `query` holds the decoded values; `sign` and `access_token` are dropped here. The body is
    appended as sent unless the request is multipart/form-data.
    """
    params = sorted(
        ((key, query_value(value)) for key, value in query.items() if key not in UNSIGNED_PARAMS),
        key=lambda item: item[0].encode(),
    )
    parts = [path.encode()]
    parts.extend(key.encode() + value.encode() for key, value in params)
    if body and not multipart:
        parts.append(body.encode() if isinstance(body, str) else body)
    secret = app_secret.encode()
    message = secret + b"".join(parts) + secret
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def encode_query(query: Mapping[str, str]) -> str:
    """A query string with every reserved character percent-encoded ('+' → %2B, '/' → %2F)."""
    return "&".join(
        f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in query.items()
    )


def encode_body(body: object) -> bytes | None:
    """JSON body bytes, serialized once; nothing at all for no body or an empty object.

    A literal `{}` is never sent: implementations disagree on how to sign it (§4.2).
    """
    if body is None or (isinstance(body, Mapping) and not body):
        return None
    if isinstance(body, str):
        body = body.encode()
    if not isinstance(body, bytes):
        body = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return None if body.strip() in (b"", b"{}") else body
