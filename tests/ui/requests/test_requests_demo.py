"""The Requests tab on the real task runner against the demo shop: its requests in every state,
answering a selection where one request was closed elsewhere meanwhile, rejecting with one of
TikTok's reasons, and a killed process resumed when the tab opens — each answer acted on once."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from tiktok_desktop.sandbox import DemoShop, DemoShopConfig
from tiktok_desktop.services.request_answers import APPROVE, Answer
from tiktok_desktop.services.request_plans import AnswerPlan
from tiktok_desktop.services.session import ShopSession
from tiktok_desktop.store.requests import REQUEST_ANSWER, BuyerRequest
from tiktok_desktop.ui.orders.detail import order_html
from tiktok_desktop.ui.requests import RequestsTab
from tiktok_desktop.ui.requests.listing import CLOSED, WAITING
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import TaskRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services"))
from demo_sessions import synced_session
from request_samples import Crash, CrashingAnswerer

WAIT_MS = 30_000
APPROVE_CANCEL = "POST /return_refund/202309/cancellations/{id}/approve"
REJECT_RETURN = "POST /return_refund/202309/returns/{id}/reject"


@pytest.fixture
def shop() -> Iterator[DemoShop]:
    with DemoShop(DemoShopConfig(seed=5, orders=500, products=30, rate_limit=0)) as running:
        yield running


@pytest.fixture
def session(shop: DemoShop, tmp_path: Path) -> Iterator[ShopSession]:
    with synced_session(shop, tmp_path, "requests-tab") as opened:
        yield opened


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def open_tab(qtbot: QtBot, session: ShopSession, tasks: TaskRunner,
             folder: Path) -> RequestsTab:
    tab = RequestsTab(session, tasks, Settings.open(folder))
    qtbot.addWidget(tab)
    tab.resize(1500, 700)
    with qtbot.waitSignal(tab.listed, timeout=WAIT_MS):
        tab.show()
    return tab


def handled(shop: DemoShop, endpoint: str) -> int:
    """Answers the shop's handler took (not those replayed for a repeated key)."""
    return shop.stats["endpoints"].get(endpoint, {}).get("handled", 0)


def listed(tab: RequestsTab) -> list[BuyerRequest]:
    return [tab.model.request(r) for r in range(tab.model.rowCount())]


def waiting_for(tab: RequestsTab, action: str) -> list[BuyerRequest]:
    return [r for r in listed(tab) if r.next_action == action]


def select(tab: RequestsTab, requests: list[BuyerRequest]) -> None:
    selection = tab.table.selectionModel()
    selection.clearSelection()
    for request in requests:
        row = tab.model.row_of(request.id)
        assert row is not None
        selection.select(tab.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def test_the_demo_shops_requests_in_every_state(
        qtbot: QtBot, session: ShopSession, tasks: TaskRunner, tmp_path: Path) -> None:
    tab = open_tab(qtbot, session, tasks, tmp_path)
    assert {r.next_action for r in listed(tab)} == {
        "SELLER_RESPOND_CANCEL", "SELLER_RESPOND_REFUND", "SELLER_RESPOND_RETURN",
        "SELLER_RESPOND_RECEIVE_PACKAGE"}
    deadlines = [r.deadline for r in listed(tab)]
    assert deadlines == sorted(deadlines)  # soonest first
    assert tab.tab_title() == f"Requests ({len(deadlines)})"
    seen = set()
    for show in (WAITING, CLOSED):
        with qtbot.waitSignal(tab.listed, timeout=WAIT_MS):
            tab.set_filter(show)
        seen |= {(r.type_key, r.status) for r in listed(tab)}
    assert {("return", "AWAITING_BUYER_SHIP"), ("refund", "AWAITING_BUYER_RESPONSE"),
            ("cancel", "CANCELLATION_REQUEST_COMPLETE"),
            ("cancel", "CANCELLATION_REQUEST_CANCELLED"),
            ("return", "REJECT_RECEIVE_PACKAGE"), ("return", "REFUND_OR_RETURN_REQUEST_REJECT"),
            ("return", "RETURN_OR_REFUND_REQUEST_COMPLETE"),
            ("refund", "RETURN_OR_REFUND_REQUEST_CANCEL")} <= seen
    tab.shop_closing()


def test_approving_a_selection_on_the_real_runner_with_one_closed_elsewhere(
        qtbot: QtBot, shop: DemoShop, session: ShopSession, tasks: TaskRunner,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, session, tasks, tmp_path)
    before = tab.needs_answer_count
    closed, cancel = waiting_for(tab, "SELLER_RESPOND_CANCEL")[:2]
    refund = waiting_for(tab, "SELLER_RESPOND_REFUND")[0]
    shop.world.cancel_order(closed.order_id)  # approved in Seller Center meanwhile
    monkeypatch.setattr(tab.answering, "confirm_approval", lambda planned: True)
    select(tab, [closed, cancel, refund])
    titles: list[str] = []
    tab.title_changed.connect(titles.append)
    with qtbot.waitSignal(tab.answering.answered, timeout=WAIT_MS) as answered:
        tab.answering.approve_button.click()
    states = {r.request_id: (r.state, r.message) for r in answered.args[0].results}
    assert states == {
        closed.id: ("failed", "Already answered or closed elsewhere: cancelled and refunded."),
        cancel.id: ("done", None), refund.id: ("done", None)}
    assert handled(shop, APPROVE_CANCEL) == 2  # one refused by the shop, one acted on
    world = shop.world
    assert world.orders.rows[cancel.order_id].status == "CANCELLED"
    assert world.returns.rows[refund.id].status == "RETURN_OR_REFUND_REQUEST_SUCCESS"
    box = tab.answering.results_box
    assert box is not None and box.isVisible()
    assert box.summary.text() == ("2 requests answered, 1 not answered (the reason is given "
                                  "for each).")
    qtbot.waitUntil(lambda: tab.model.row_of(cancel.id) is None, timeout=WAIT_MS)
    assert tab.needs_answer_count == before - 3  # the one closed elsewhere was read back too
    assert titles[-1] == f"Requests ({before - 3})"
    # The orders' detail says what became of them, at once.
    detail = session.cache.gui().orders.detail(cancel.order_id)
    assert detail is not None
    assert "Cancellation: cancelled and refunded" in order_html(detail, int(world.now()))
    box.close()
    tab.shop_closing()


def test_rejecting_on_the_real_runner_offers_tiktoks_reasons_for_the_request(
        qtbot: QtBot, shop: DemoShop, session: ShopSession, tasks: TaskRunner,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, session, tasks, tmp_path)
    refund = waiting_for(tab, "SELLER_RESPOND_REFUND")[0]
    offered: list[tuple] = []

    def pick(planned: AnswerPlan, reasons: tuple) -> tuple[str, str, str]:
        offered.append(reasons)
        return (*reasons[-1], "No photos of the damage")

    monkeypatch.setattr(tab.answering, "ask_reject", pick)
    select(tab, [refund])
    with qtbot.waitSignal(tab.answering.answered, timeout=WAIT_MS) as answered:
        tab.answering.reject_button.click()
    assert [code for code, _ in offered[0]] == [
        "seller_reject_return_item_used", "seller_reject_return_missing_parts",
        "seller_reject_return_wrong_item", "seller_reject_return_no_evidence"]
    assert [r.state for r in answered.args[0].results] == ["done"]
    assert shop.world.returns.rows[refund.id].status == "REFUND_OR_RETURN_REQUEST_REJECT"
    assert handled(shop, REJECT_RETURN) == 1
    with session.cache.using("serial") as store:
        [item] = store.outbox.items(session.shop_id, kind=REQUEST_ANSWER, states=("done",))
    assert item.payload["reject_reason"] == "seller_reject_return_no_evidence"
    assert item.payload["comment"] == "No photos of the damage"
    tab.answering.results_box.close()  # type: ignore[union-attr]
    tab.shop_closing()


@pytest.mark.parametrize("after_effect", [True, False], ids=["answer-landed", "never-sent"])
def test_a_killed_process_is_finished_when_the_tab_opens_without_a_double_answer(
        qtbot: QtBot, shop: DemoShop, session: ShopSession, tasks: TaskRunner,
        tmp_path: Path, after_effect: bool) -> None:
    with session.cache.using("serial") as store:
        cancel = next(r for r in store.requests.open(session.shop_id)
                      if r.next_action == "SELLER_RESPOND_CANCEL")
    crashing = CrashingAnswerer(session.api.shop(session.shop.cipher), session.shop_id,
                                session.cache.gui(), after_effect=after_effect)
    with pytest.raises(Crash):
        crashing.answer([Answer(cancel.id, APPROVE)])
    assert handled(shop, APPROVE_CANCEL) == (1 if after_effect else 0)

    # The next start: the tab opens and finishes what the crash left, on the real runner.
    tab = RequestsTab(session, tasks, Settings.open(tmp_path))
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.answering.answered, timeout=WAIT_MS) as answered:
        tab.show()
    assert [(r.request_id, r.state) for r in answered.args[0].results] == [(cancel.id, "done")]
    assert handled(shop, APPROVE_CANCEL) == 1  # acted on once, whichever way it crashed
    assert shop.world.orders.rows[cancel.order_id].status == "CANCELLED"
    qtbot.waitUntil(lambda: tab.model.row_of(cancel.id) is None, timeout=WAIT_MS)
    tab.answering.results_box.close()  # type: ignore[union-attr]
    tab.shop_closing()
    again = RequestsTab(session, tasks, Settings.open(tmp_path))  # nothing left to finish
    qtbot.addWidget(again)
    assert not [t for t in tasks.active_tasks if t.name == "Answering requests"]
    again.shop_closing()
