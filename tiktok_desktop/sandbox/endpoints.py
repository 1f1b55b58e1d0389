"""What an Open API handler gets (`Call`) and how it is registered (`Endpoint`), plus the small
readers handlers share for query and body values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import invalid_param
from .product_images import ImageLinks
from .world import World


@dataclass
class Call:
    world: World
    query: Mapping[str, str]
    body: dict[str, Any]
    params: dict[str, str]  # path parameters, e.g. {"package_id": "1152…"}
    base_url: str  # how the client reached us, for links we hand out

    @property
    def links(self) -> ImageLinks:
        """Signs the picture links of this answer."""
        return self.world.image_links(self.base_url)


Handler = Callable[[Call], dict]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # a werkzeug rule, e.g. "/fulfillment/202309/packages/<package_id>/ship"
    handler: Handler
    shop: bool = True  # takes shop_cipher (required); False: shop_cipher must not be sent

    @property
    def group(self) -> str:
        """The path's category ("order", "product", …), which decides the scope needed."""
        return self.path.split("/")[1]


def body_time(call: Call, name: str) -> int | None:
    value = call.body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise invalid_param(f"{name} must be a Unix time in seconds")
    return value


def body_text(call: Call, name: str, allowed: tuple[str, ...] | None = None,
              required: bool = False) -> str | None:
    value = call.body.get(name)
    if value is None or value == "":
        if required:
            raise invalid_param(f"{name} is required")
        return None
    if not isinstance(value, str) or (allowed is not None and value not in allowed):
        expected = f" one of {', '.join(allowed)}" if allowed else " a string"
        raise invalid_param(f"{name} must be{expected}")
    return value


def body_list(call: Call, name: str, limit: int, required: bool = False) -> list | None:
    value = call.body.get(name)
    if value is None:
        if required:
            raise invalid_param(f"{name} is required")
        return None
    if not isinstance(value, list):
        raise invalid_param(f"{name} must be a list")
    if required and not value:
        raise invalid_param(f"{name} must not be empty")
    if len(value) > limit:
        raise invalid_param(f"{name} accepts at most {limit} items")
    return value


def query_time(call: Call, name: str) -> int | None:
    raw = call.query.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise invalid_param(f"{name} must be a Unix time in seconds")
    return int(raw)
