"""The Requests tab over a cached shop: what waits for the seller's answer, most urgent first,
with countdowns (overdue in red, soon in amber), the filters and their counts, the detail in the
seller's time, pictures, and approving or rejecting one request or a selection with each
request's result — the answering itself stubbed as TikTok Shop would answer (the service runs
against the demo shop in tests/services/test_request_answers.py and test_requests_demo.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QBrush, QPixmap, QTextDocument
from pytestqt.qtbot import QtBot
from requests_samples import (
    CANCEL_REASONS,
    NOW,
    SHOP,
    AnsweringSession,
    cancel_id,
    cancellation,
    make_tab,
    order_id,
    return_id,
)

from tiktok_desktop.services.request_answers import APPROVE, REJECT, Answer
from tiktok_desktop.services.request_plans import AnswerPlan
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.store.requests import REQUEST_ANSWER
from tiktok_desktop.ui import messages
from tiktok_desktop.ui.requests import RequestsTab
from tiktok_desktop.ui.requests.answering import RejectDialog, approval_text
from tiktok_desktop.ui.requests.listing import ALL, CLOSED, NEEDS, WAITING
from tiktok_desktop.ui.requests.model import (
    AMBER,
    ANSWER_BY,
    ITEMS,
    RED,
    RESULT,
    TO_DO,
)
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner


@pytest.fixture
def heard() -> Iterator[list[messages.Message]]:
    found: list[messages.Message] = []
    messages.bus().posted.connect(found.append)
    yield found
    messages.bus().posted.disconnect(found.append)


def orders_listed(tab: RequestsTab) -> list[str]:
    return [tab.model.request(r).order_id for r in range(tab.model.rowCount())]


def row_texts(tab: RequestsTab, order: str) -> list[str]:
    row = next(r for r in range(tab.model.rowCount())
               if tab.model.request(r).order_id == order)
    return [tab.model.text(row, c) for c in range(tab.model.columnCount())]


def colour(tab: RequestsTab, row: int, column: int) -> object:
    brush = tab.model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)
    return brush.color() if isinstance(brush, QBrush) else None


def filter_texts(tab: RequestsTab) -> list[str]:
    return [tab.shows.tabText(i) for i in range(tab.shows.count())]


def select(tab: RequestsTab, *request_ids: str) -> None:
    selection = tab.table.selectionModel()
    selection.clearSelection()
    for request_id in request_ids:
        row = tab.model.row_of(request_id)
        assert row is not None, request_id
        selection.select(tab.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def answer_with(tab: RequestsTab, monkeypatch: pytest.MonkeyPatch, *, approve: bool = True,
                reject: tuple[str, str, str] | None = None) -> list[object]:
    asked: list[object] = []

    def confirm(planned: AnswerPlan) -> bool:
        asked.append(planned)
        return approve

    def ask_reject(planned: AnswerPlan, reasons: object) -> tuple[str, str, str] | None:
        asked.append((planned, reasons))
        return reject

    monkeypatch.setattr(tab.answering, "confirm_approval", confirm)
    monkeypatch.setattr(tab.answering, "ask_reject", ask_reject)
    return asked


def test_the_tab_opens_on_what_waits_for_an_answer_most_urgent_first(
        tab: RequestsTab, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    assert tab.current_filter == NEEDS
    assert filter_texts(tab) == ["Needs my answer (5)", "Waiting for the buyer (1)",
                                 "Closed (3)", "All (9)"]
    assert orders_listed(tab) == [order_id(n) for n in (2, 4, 1, 6, 5)]
    assert row_texts(tab, order_id(2))[:7] == [
        "Overdue by 3 h", "Cancellation", "Approve or reject the cancellation",
        "2 × Cotton tee (Black, M)", "$25.00", "Ordered by mistake", order_id(2)]
    assert row_texts(tab, order_id(4))[:4] == [
        "5 h left", "Return and refund", "Approve or reject the return",
        "1 × Cotton tee (Black, M); 1 × Enamel mug"]
    assert row_texts(tab, order_id(1))[0] == "1 d 4 h left"
    assert row_texts(tab, order_id(6))[2] == "Check the returned package"
    assert row_texts(tab, order_id(5))[1:3] == ["Refund only", "Approve or reject the refund"]
    assert [colour(tab, r, ANSWER_BY) for r in range(3)] == [RED, AMBER, None]
    assert tab.needs_answer_count == 5 and tab.tab_title() == "Requests (5)"
    assert tab.summary.text() == "5 requests"
    qtmodeltester.check(tab.model)


def test_filters_by_where_requests_stand_and_by_kind_with_their_counts(
        tab: RequestsTab) -> None:
    tab.set_filter(WAITING)
    assert orders_listed(tab) == [order_id(7)]
    assert row_texts(tab, order_id(7))[:3] == [
        "", "Return and refund", "Approved, waiting for the buyer to send it back"]
    tab.set_filter(CLOSED)
    assert sorted(orders_listed(tab)) == [order_id(n) for n in (8, 9, 10)]
    assert row_texts(tab, order_id(8))[2] == "Refunded · TikTok Shop decided for the buyer"
    assert row_texts(tab, order_id(9))[2] == "Cancelled and refunded"
    assert row_texts(tab, order_id(10))[2] == "Not cancelled (rejected or withdrawn)"
    assert colour(tab, 0, TO_DO) is not None  # closed: greyed
    tab.set_filter(ALL)
    tab.set_kind("cancel")
    assert sorted(orders_listed(tab)) == [order_id(n) for n in (1, 2, 9, 10)]
    assert filter_texts(tab) == ["Needs my answer (2)", "Waiting for the buyer (0)",
                                 "Closed (2)", "All (4)"]
    tab.set_kind("refund")
    assert orders_listed(tab) == [order_id(5)]
    assert tab.needs_answer_count == 5  # the title counts every kind


def test_the_detail_says_what_to_do_by_when_in_the_sellers_time_and_what_each_answer_does(
        tab: RequestsTab) -> None:
    tab.select(cancel_id(1))
    text = tab.detail.toPlainText()
    assert "Cancellation · order 576000000000000001" in text
    assert "Approve or reject the cancellation" in text
    # NOW is 03:00 in New York; the deadline 28 hours on, 07:00 the next day there.
    assert "Answer within 1 d 4 h (by tomorrow at 07:00 EST)" in text
    assert ("If you approve: The order is cancelled and the buyer gets $25.00 back." in text)
    assert "If you reject: The order is not cancelled: it stays to ship" in text
    assert "Buyer's reason\nNo longer needed" in text
    assert "Items (2 units)" in text and "2 × Cotton tee (Black, M)\nSKU TEE-BLK-M" in text
    assert "Items\n$23.00\nTax\n$2.00\nRefund\n$25.00" in text
    tab.select(return_id(6))
    text = tab.detail.toPlainText()
    assert "Check the returned package" in text
    assert "The item is dropped off by the buyer.\nUSPS: 9200190100000000000001" in text
    assert ("If you approve: You confirm the item came back as expected: the buyer gets "
            "$25.00 back.") in text
    tab.select(cancel_id(2))
    assert "Overdue by 3 h (by today at 00:00 EST)" in tab.detail.toPlainText()


def test_items_show_their_products_pictures(tab: RequestsTab) -> None:
    row = tab.model.row_of(return_id(4))
    assert row is not None
    picture = tab.model.index(row, ITEMS).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(picture, QPixmap) and not picture.isNull()
    tab.select(return_id(4))
    assert "<img" in tab.detail.toHtml()
    for product_id in tab.model.request(row).product_ids:  # both items pictured
        shown = tab.detail.loadResource(QTextDocument.ResourceType.ImageResource.value,
                                        f"picture:{product_id}")
        assert isinstance(shown, QPixmap) and not shown.isNull()


def test_the_buttons_follow_a_selection_of_requests_waiting_for_an_answer(
        tab: RequestsTab) -> None:
    buttons = (tab.answering.approve_button, tab.answering.reject_button)
    assert [b.isEnabled() for b in buttons] == [False, False]
    tab.set_filter(ALL)
    select(tab, return_id(7), cancel_id(9))  # nothing to answer in them
    assert [b.isEnabled() for b in buttons] == [False, False]
    select(tab, return_id(7), cancel_id(1))
    assert [b.isEnabled() for b in buttons] == [True, True]


def test_approving_a_selection_confirms_in_plain_words_then_shows_each_result(
        qtbot: QtBot, tab: RequestsTab, session: AnsweringSession,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked = answer_with(tab, monkeypatch)
    tab.set_filter(ALL)
    select(tab, cancel_id(1), return_id(5), return_id(7))
    titles: list[str] = []
    tab.title_changed.connect(titles.append)
    with qtbot.waitSignal(tab.changed) as wrote:
        tab.answering.approve_button.click()
    [planned] = asked
    assert isinstance(planned, AnswerPlan)
    question, details = approval_text(planned)
    assert question == "Approve 2 requests?"
    assert ("Order 576000000000000001 (cancellation): The order is cancelled and the buyer "
            "gets $25.00 back.") in details
    assert ("Order 576000000000000005 (refund only): The buyer gets $25.00 back and keeps "
            "the item.") in details
    assert ("Left as they are:<br>• Order 576000000000000007 (return and refund): Nothing to "
            "answer: approved, waiting for the buyer to send it back.") in details
    assert session.calls == [(Answer(cancel_id(1), APPROVE), Answer(return_id(5), APPROVE))]
    assert wrote.args[0].touches("cancellations", "returns")
    box = tab.answering.results_box
    assert box is not None and box.isVisible()
    assert box.summary.text() == "2 requests answered."
    assert [row.cells for row in box.model.rows] == [
        (order_id(1), "Cancellation", "Approved"), (order_id(5), "Refund only", "Approved")]
    assert titles == ["Requests (3)"] and tab.needs_answer_count == 3
    assert row_texts(tab, order_id(1))[2] == "Cancelled and refunded"
    assert row_texts(tab, order_id(1))[8] == "Approved"


def test_a_refused_answer_says_why_on_its_row_and_the_rest_goes_through(
        qtbot: QtBot, tab: RequestsTab, session: AnsweringSession,
        monkeypatch: pytest.MonkeyPatch, heard: list[messages.Message]) -> None:
    answer_with(tab, monkeypatch)
    session.refuse[cancel_id(2)] = ("Already answered or closed elsewhere: cancelled and "
                                    "refunded.")
    select(tab, cancel_id(2), return_id(4))
    with qtbot.waitSignal(tab.listed):
        tab.answering.approve_button.click()
    assert heard[-1].level is messages.Level.WARNING
    assert heard[-1].text == ("1 request answered, 1 not answered (the reason is given for "
                              "each).")
    assert orders_listed(tab) == [order_id(n) for n in (2, 1, 6, 5)]  # the return left
    row = tab.model.row_of(cancel_id(2))
    assert row is not None
    assert tab.model.text(row, RESULT) == ("Not answered: Already answered or closed "
                                           "elsewhere: cancelled and refunded.")
    assert colour(tab, row, RESULT) == RED
    box = tab.answering.results_box
    assert box is not None
    assert [row.cells[2] for row in box.model.rows] == [
        "Not answered: Already answered or closed elsewhere: cancelled and refunded.",
        "Approved"]


def test_rejecting_takes_one_kind_at_a_time_and_a_reason_every_request_offers(
        tab: RequestsTab, session: AnsweringSession, monkeypatch: pytest.MonkeyPatch,
        heard: list[messages.Message]) -> None:
    code, words = CANCEL_REASONS[0]
    asked = answer_with(tab, monkeypatch, reject=(code, words, "Packed this morning"))
    select(tab, cancel_id(1), return_id(4))
    tab.answering.reject_button.click()
    assert heard[-1].text == ("Reject one kind of request at a time: TikTok Shop's reasons "
                              "differ between them. The selection has 1 return request, 1 "
                              "cancellation request.")
    assert session.reason_calls == [] and session.calls == []
    select(tab, cancel_id(1), cancel_id(2))
    tab.answering.reject_button.click()
    assert session.reason_calls == [(cancel_id(2), cancel_id(1))]
    [(_, reasons)] = asked  # type: ignore[misc]
    assert reasons == CANCEL_REASONS
    assert session.calls == [(
        Answer(cancel_id(2), REJECT, code, words, "Packed this morning"),
        Answer(cancel_id(1), REJECT, code, words, "Packed this morning"))]
    assert tab.needs_answer_count == 3


def test_the_reject_dialog_says_what_rejecting_does_and_sends_the_reasons_code(
        qtbot: QtBot, tab: RequestsTab) -> None:
    with Store.open(tab.session.cache.path) as store:
        from tiktok_desktop.services.request_plans import plan

        planned = plan(store, SHOP, REJECT, [return_id(4), return_id(7)])
    dialog = RejectDialog(planned, (("seller_reject_return_item_used", "Item was used"),
                                    ("seller_reject_return_no_evidence", "No evidence")))
    qtbot.addWidget(dialog)
    texts = [w.text() for w in dialog.findChildren(type(dialog.count))]
    assert "<b>Reject 1 return request?</b>" in texts
    assert any("can take it to TikTok Shop, who then decides" in t for t in texts)
    assert any("Nothing to answer: approved, waiting for the buyer" in t for t in texts)
    assert dialog.reject_button.text() == "Reject 1 request"
    dialog.reason.setCurrentIndex(1)
    dialog.comment.setPlainText("  No photos of the damage  ")
    assert dialog.choice() == ("seller_reject_return_no_evidence", "No evidence",
                               "No photos of the damage")
    dialog.comment.setPlainText("x" * 600)
    assert dialog.count.text() == "600 of 500 characters: the rest is not sent"
    assert len(dialog.choice()[2]) == 500


def test_answers_left_by_a_crash_are_finished_when_the_tab_opens(
        qtbot: QtBot, session: AnsweringSession, tasks: ImmediateTaskRunner,
        settings: Settings, new_york: None) -> None:
    with Store.open(session.store_path) as store:
        store.outbox.add(SHOP, REQUEST_ANSWER, cancel_id(1), {
            "kind": "cancel", "answer": APPROVE, "idempotency_key": "k1",
            "next_action": "SELLER_RESPOND_CANCEL"})
    tab = make_tab(qtbot, session, tasks, settings)
    assert session.calls == [()]  # only finish what is queued
    row = tab.model.row_of(cancel_id(1))
    assert row is not None
    assert tab.model.text(row, TO_DO) == "Your approval is waiting to be sent"
    tab.shop_closing()


def test_a_scanned_order_shows_its_request_whatever_the_filters(tab: RequestsTab) -> None:
    tab.set_kind("cancel")
    assert tab.take_scan(order_id(7))
    assert tab.current_filter == ALL and tab.kind == ALL
    assert tab.detail.request_id == return_id(7)
    assert not tab.take_scan("123")


def test_the_count_in_the_title_follows_a_sync_while_the_tab_is_hidden(
        tab: RequestsTab) -> None:
    titles: list[str] = []
    tab.title_changed.connect(titles.append)
    tab.hide()
    with Store.open(tab.session.cache.path) as store:
        asked = cancellation(3, "CANCELLATION_REQUEST_PENDING", deadline=NOW + 40 * 3600)
        store.save_page(SHOP, "cancellations", [asked], None)
    tab.refresh(Changes.of(SHOP, cancellations=1))
    assert titles == ["Requests (6)"] and tab.needs_answer_count == 6
    tab.show()  # read when shown
    assert filter_texts(tab)[0] == "Needs my answer (6)"


def test_after_an_answer_the_next_request_is_shown(
        tab: RequestsTab, monkeypatch: pytest.MonkeyPatch) -> None:
    answer_with(tab, monkeypatch)
    tab.select(return_id(4))  # the second most urgent
    tab.answering.approve_button.click()
    assert orders_listed(tab) == [order_id(n) for n in (2, 1, 6, 5)]
    assert tab.detail.request_id == cancel_id(1)  # the one that took its place
    assert tab.answering.approve_button.isEnabled()
