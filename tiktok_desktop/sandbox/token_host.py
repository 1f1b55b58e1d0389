"""The auth host's token calls: GET /api/v2/token/get and /api/v2/token/refresh (unsigned,
app_secret in the query, as the reference §2.2-2.3 describes)."""

from __future__ import annotations

import hmac

from werkzeug.wrappers import Request

from . import errors
from .config import AppCredentials
from .errors import ApiFailure, invalid_param
from .world import World


def _check_app(request: Request, app: AppCredentials, *grant_types: str) -> None:
    if not hmac.compare_digest(request.args.get("app_key", "").encode(), app.app_key.encode()):
        raise ApiFailure(errors.INVALID, "Invalid credentials. Invalid 'app_key' query "
                         "parameter.", 400)
    if not hmac.compare_digest(request.args.get("app_secret", "").encode(),
                               app.app_secret.encode()):
        raise ApiFailure(errors.INVALID, "Invalid credentials. Invalid 'app_secret' query "
                         "parameter.", 400)
    if request.args.get("grant_type") not in grant_types:
        raise invalid_param(f"grant_type must be {' or '.join(grant_types)}")


def get_token(request: Request, world: World, app: AppCredentials) -> dict:
    _check_app(request, app, "authorized_code")
    with world.lock:
        grant = world.auth.redeem_code(request.args.get("auth_code", ""))
        if grant is None:
            raise ApiFailure(errors.AUTH_CODE_INVALID, "Invalid auth code.", 400)
        return world.auth.token_data(grant, sorted(world.granted_scopes))


def refresh_token(request: Request, world: World, app: AppCredentials) -> dict:
    # TikTok's own Node.js SDK refreshes with grant_type=authorized_code, and apps built on it
    # refresh in production: the token host takes both.
    _check_app(request, app, "refresh_token", "authorized_code")
    with world.lock:
        grant = world.auth.refresh(request.args.get("refresh_token", ""))
        if grant is None:
            raise ApiFailure(errors.AUTH_RECORD_MISSING, "can not find related auth record", 400)
        if grant is False:
            raise ApiFailure(errors.REFRESH_EXPIRED, "rt has expired", 400)
        return world.auth.token_data(grant, sorted(world.granted_scopes))
