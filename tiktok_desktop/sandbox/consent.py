"""The seller-consent page at /open/authorize: Authorize sends the browser back to the app's
redirect URL with `code` and `state` (HTTP 302); `&approve=1` does that without a page."""

from __future__ import annotations

import hmac
from html import escape
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from .auth import SCOPES
from .config import AppCredentials
from .world import World

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Authorize app - TikTok Shop (demo)</title>
<style>
body {{ font-family: sans-serif; background: #f4f4f5; display: flex; justify-content: center; }}
main {{ background: white; margin-top: 60px; padding: 32px; border-radius: 12px; width: 420px; }}
a.button {{ display: inline-block; padding: 10px 24px; border-radius: 6px; text-decoration: none;
           margin-right: 12px; }}
.go {{ background: #fe2c55; color: white; }} .stop {{ background: #e4e4e7; color: #18181b; }}
</style></head>
<body><main>
<h2>Authorize TikTok Shop Desktop</h2>
<p>The app with service ID {service_id} asks to manage <b>{shop}</b> (demo shop) with:</p>
<ul>{scopes}</ul>
<p><a class="button go" href="{approve}">Authorize</a>
<a class="button stop" href="{deny}">Cancel</a></p>
</main></body></html>
"""


def _redirect(base: str, params: dict[str, str]) -> Response:
    separator = "&" if "?" in base else "?"
    response = Response(status=302)
    response.headers["Location"] = base + separator + urlencode(params)
    return response


def consent(request: Request, world: World, app: AppCredentials, redirect_url: str) -> Response:
    service_id = request.args.get("service_id", "")
    if not hmac.compare_digest(service_id.encode(), app.service_id.encode()):
        return Response("<h2>This app is not registered (unknown service_id).</h2>", 400,
                        mimetype="text/html")
    state = request.args.get("state")
    extra = {"state": state} if state is not None else {}
    if request.args.get("approve") == "1":
        with world.lock:
            code = world.auth.new_code()
        return _redirect(redirect_url, {"code": code, **extra})
    if request.args.get("deny") == "1":
        return _redirect(redirect_url, {"code": "null", "error": "auth_denied", **extra})
    here = {"service_id": service_id, **extra}
    page = PAGE.format(
        service_id=escape(service_id), shop=escape(world.shop.name),
        scopes="".join(f"<li>{escape(s)}</li>" for s in sorted(SCOPES.values())),
        approve=escape("/open/authorize?" + urlencode({**here, "approve": "1"})),
        deny=escape("/open/authorize?" + urlencode({**here, "deny": "1"})),
    )
    return Response(page, 200, mimetype="text/html")
