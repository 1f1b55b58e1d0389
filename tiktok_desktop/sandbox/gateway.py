"""The checks every Open API request passes before a handler sees it, in the gateway's order
(reference §9.2): app_key, sign present, timestamp window, signature, access token, scope,
shop_cipher. The signature is verified here with its own code, never the client's signer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from werkzeug.wrappers import Request

from . import errors
from .auth import SCOPES
from .config import AppCredentials
from .endpoints import Endpoint
from .errors import ApiFailure
from .world import World

PAST_WINDOW = 5 * 60
FUTURE_WINDOW = 30


def expected_sign(app_secret: str, path: str, query: dict[str, str], body: bytes) -> str:
    """HMAC-SHA256 over secret + path + sorted key+value pairs + body + secret (§4.1)."""
    pairs = sorted((k, v) for k, v in query.items() if k not in ("sign", "access_token"))
    text = path + "".join(k + v for k, v in pairs)
    secret = app_secret.encode()
    message = secret + text.encode() + body + secret
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def is_multipart(request: Request) -> bool:
    return request.mimetype == "multipart/form-data"


class Gateway:
    def __init__(self, world: World, app: AppCredentials) -> None:
        self.world = world
        self.app = app

    def check_app_key(self, request: Request) -> str:
        app_key = request.args.get("app_key", "")
        if not hmac.compare_digest(app_key.encode(), self.app.app_key.encode()):
            raise ApiFailure(errors.INVALID, "Invalid credentials. Invalid 'app_key' query "
                             "parameter.", 400)
        return app_key

    def check_request(self, request: Request, endpoint: Endpoint) -> dict[str, Any]:
        """Everything after the app_key; returns the JSON body ({} when there is none)."""
        # A list goes comma-joined in one value (reference §1: `ids=1,2,3`). A repeated key
        # (`ids=a&ids=b`) is refused, not read as its first value: the signature would cover
        # one value and the rest would be dropped silently.
        repeated = sorted(k for k in request.args if len(request.args.getlist(k)) > 1)
        if repeated:
            raise ApiFailure(errors.INVALID, f"Invalid parameter. The query parameter "
                             f"`{repeated[0]}` is given more than once: send a list as one "
                             "comma-separated value.", 400)
        query = request.args.to_dict()  # decoded; every key once (checked above)
        sign = query.get("sign", "")
        if not sign:
            raise ApiFailure(errors.INVALID, "Missing credentials. The request does not include "
                             "a required signature in the query.", 401)
        self._check_timestamp(query.get("timestamp", ""))
        body = b"" if is_multipart(request) else request.get_data(cache=True)
        if not self._signed(sign, request.path, query, body):
            raise ApiFailure(errors.SIGN_INVALID, "Invalid credentials. The `sign` query "
                             "parameter is invalid.", 401)
        self._check_token(request.headers.get("x-tts-access-token", ""))
        if SCOPES[endpoint.group] not in self.world.granted_scopes:
            raise ApiFailure(errors.SCOPE_MISSING, "Access denied. The access scopes granted to "
                             "the app do not contain the required access scope for the "
                             "endpoint: you should apply auth pkg for this api.", 403)
        self._check_cipher(query.get("shop_cipher"), endpoint)
        return self._body(request, body)

    def _signed(self, sign: str, path: str, query: dict[str, str], body: bytes) -> bool:
        """The signature over the body as received; for a body of `{}`, also the signature
        without it, which TikTok's own Node.js SDK sends (DECISIONS.md, "An empty body")."""
        bodies = [body, b""] if body.strip() == b"{}" else [body]
        return any(hmac.compare_digest(sign.encode(), expected_sign(
            self.app.app_secret, path, query, signed).encode()) for signed in bodies)

    def _check_timestamp(self, raw: str) -> None:
        try:
            timestamp = int(raw)
        except ValueError:
            raise ApiFailure(errors.INVALID, "Invalid timestamp. The `timestamp` query parameter "
                             "must be a Unix time in seconds.", 400) from None
        if timestamp < 0:
            raise ApiFailure(errors.INVALID, "Invalid timestamp. The value of the `timestamp` "
                             "query parameter must not be lesser than 0.", 400)
        # The window follows the real clock, not the shop's: advance_clock simulates time
        # passing for the shop's data and tokens, and a client cannot follow such a jump.
        now = int(time.time())
        if timestamp < now - PAST_WINDOW:
            raise ApiFailure(errors.INVALID, "Invalid timestamp. The value of the `timestamp` "
                             "query parameter must not be earlier than 5 minutes before the "
                             "current time.", 400)
        if timestamp > now + FUTURE_WINDOW:
            raise ApiFailure(errors.INVALID, "Invalid timestamp. The value of the `timestamp` "
                             "query parameter must not exceed the current time by more than "
                             "30 seconds.", 400)

    def _check_token(self, token: str) -> None:
        with self.world.lock:
            state = self.world.auth.check_access(token) if token else "invalid"
        if state == "invalid":
            raise ApiFailure(errors.INVALID, "Invalid credentials. The `x-tts-access-token` "
                             "header is invalid.", 401)
        if state == "expired":
            raise ApiFailure(errors.TOKEN_EXPIRED, "Expired credentials. The `x-tts-access-token` "
                             "header has expired: access token is expired, please refresh it.",
                             401)

    def _check_cipher(self, cipher: str | None, endpoint: Endpoint) -> None:
        if endpoint.shop and not cipher:
            raise ApiFailure(errors.CIPHER_MISSING, "Missing identifier. The `shop_cipher` query "
                             "parameter is required to identify the target shop.", 400)
        if not endpoint.shop and cipher is not None:
            raise ApiFailure(errors.INVALID, "Unexpected identifier. The `shop_cipher` query "
                             "parameter is not required for this request.", 400)
        if endpoint.shop and cipher != self.world.shop.cipher:
            raise ApiFailure(errors.NOT_AUTHORIZED, "Invalid query or header. The `shop_cipher` "
                             "query parameter or `x-tts-access-token` header is invalid.", 401)

    @staticmethod
    def _body(request: Request, raw: bytes) -> dict[str, Any]:
        if not raw:
            return {}
        if request.mimetype != "application/json":
            raise ApiFailure(errors.BAD_FORMAT, "Invalid request format. The request body format "
                             "must be `application/json` or `multipart/form-data`.", 400)
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            raise ApiFailure(errors.BAD_FORMAT, "Invalid request format. The request body is not "
                             "valid JSON.", 400) from None
        if not isinstance(body, dict):
            raise ApiFailure(errors.BAD_FORMAT, "Invalid request format. The request body must be "
                             "a JSON object.", 400)
        return body
