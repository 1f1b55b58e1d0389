import time

import httpx
import pytest

from tiktok_desktop.sandbox import DemoShopConfig
from tiktok_desktop.services import open_demo_session
from tiktok_desktop.store import OrderQuery


def cached_orders(session) -> int:
    with session.open_store() as store:
        return store.orders.counts(OrderQuery(shop_id=session.shop_id))["All"]


@pytest.fixture
def session(tmp_path):
    session = open_demo_session(tmp_path, DemoShopConfig(seed=3, orders=40, products=6))
    yield session
    session.close()


def test_demo_session_signs_in_and_syncs_the_whole_shop(session, tmp_path):
    assert session.is_demo
    assert session.store_path.parent == tmp_path
    assert session.shop_name

    result = session.sync()

    assert result.complete, result.errors
    assert cached_orders(session) == 40
    with session.open_store() as store:
        assert store.shops.get(session.shop_id).last_synced_at >= int(time.time()) - 5
    state = session.connection()
    assert state.online and state.problem is None
    assert not state.expiring_soon(time.time())


def test_a_second_sync_reports_only_what_is_new(session):
    session.sync()
    again = session.sync()
    assert again.complete
    assert again.new_order_ids == ()


def test_demo_cache_starts_afresh_each_time(tmp_path):
    first = open_demo_session(tmp_path, DemoShopConfig(seed=3, orders=10, products=3))
    first.sync()
    first.close()
    second = open_demo_session(tmp_path, DemoShopConfig(seed=3, orders=5, products=3))
    try:
        assert cached_orders(second) == 0
    finally:
        second.close()


def test_close_stops_the_demo_shop(tmp_path):
    session = open_demo_session(tmp_path, DemoShopConfig(seed=3, orders=5, products=3))
    session.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(session.api.base_url + "/authorization/202309/shops", timeout=2)
