"""Page requests: page_size ranges, sort options, and opaque page tokens.

A token records where the previous page stopped — the (sort value, id) of its last row, plus the
sort it belongs to — never an offset, so it stays valid while rows are added or change. Tokens
are base64 and always contain '+' and '/', so a client that forgets to percent-encode them is
caught at once (the server reads '+' as a space).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping

from .errors import invalid_param
from .index import Key

_TAG = b"\xfb\xff\xbf"  # encodes to "+/+/"
_SEAL = b"demo-shop page token"


def encode_token(sort: str, key: Key) -> str:
    payload = f"{sort}|{key[0]}|{key[1]}".encode()
    mac = hmac.new(_SEAL, payload, hashlib.sha256).digest()[:6]
    return base64.b64encode(_TAG + mac + payload).decode()


def decode_token(token: str, sort: str) -> Key:
    """The key a token resumes after; `sort` names the sort the caller asks for now."""
    try:
        raw = base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_param("page_token is invalid") from None
    mac, payload = raw[len(_TAG) : len(_TAG) + 6], raw[len(_TAG) + 6 :]
    expected = hmac.new(_SEAL, payload, hashlib.sha256).digest()[:6]
    if not raw.startswith(_TAG) or not hmac.compare_digest(mac, expected):
        raise invalid_param("page_token is invalid")
    token_sort, value, row_id = payload.decode().rsplit("|", 2)
    if token_sort != sort:
        raise invalid_param("page_token does not belong to this sort_field/sort_order")
    return int(value), row_id


def page_size(query: Mapping[str, str], low: int, high: int, default: int | None = None) -> int:
    raw = query.get("page_size")
    if raw is None or raw == "":
        if default is None:
            raise invalid_param("page_size is required")
        return default
    try:
        size = int(raw)
    except ValueError:
        raise invalid_param("page_size must be an integer") from None
    if not low <= size <= high:
        raise invalid_param(f"page_size must be between {low} and {high}")
    return size


def sort_field(
    query: Mapping[str, str], allowed: tuple[str, ...], default: str | None = None
) -> str:
    field = query.get("sort_field") or default
    if field is None:
        raise invalid_param("sort_field is required")
    if field not in allowed:
        raise invalid_param(f"sort_field must be one of {', '.join(allowed)}")
    return field


def descending(query: Mapping[str, str], default: str) -> bool:
    order = (query.get("sort_order") or default).upper()
    if order not in ("ASC", "DESC"):
        raise invalid_param("sort_order must be ASC or DESC")
    return order == "DESC"


def resume_key(query: Mapping[str, str], sort: str) -> Key | None:
    token = query.get("page_token")
    return decode_token(token, sort) if token else None


def next_token(sort: str, last: Key | None) -> str:
    return encode_token(sort, last) if last is not None else ""
