"""Fixtures for the client's unit tests: an ApiClient wired to a fake API and a fake clock."""

from __future__ import annotations

import httpx
import pytest
from api_fakes import API_BASE, APP_KEY, APP_SECRET, AUTH_BASE, NOW, FakeApi, Handler, make_tokens

from tiktok_desktop.api import ApiClient, RetryPolicy


@pytest.fixture
def sleeps() -> list[float]:
    """Every pause the client asked for (nothing really waits)."""
    return []


@pytest.fixture
def make_client(sleeps: list[float]):
    made: list[ApiClient] = []

    def make(handler: Handler, **options: object) -> tuple[ApiClient, FakeApi]:
        fake = FakeApi(handler)
        options.setdefault("tokens", make_tokens())
        settings: dict[str, object] = {
            "base_url": API_BASE,
            "auth_base_url": AUTH_BASE,
            "rate_limit": 1e6,
            "transport": httpx.MockTransport(fake),
            "clock": lambda: NOW,
            "sleep": sleeps.append,
            "rand": lambda: 0.0,
            "retry": RetryPolicy(),
        }
        settings.update(options)
        tokens = settings.pop("tokens")
        client = ApiClient(APP_KEY, APP_SECRET, tokens, **settings)  # type: ignore[arg-type]
        made.append(client)
        return client, fake

    yield make
    for client in made:
        client.close()
