"""Approve… and Reject… in the Requests tab: a confirmation that says what the answer does to
each selected request, the answers sent in the background through the outbox
(services/request_answers.py), and each request's result.

Approving takes any selection: each request gets the approval its stage asks for. Rejecting a
selection takes requests waiting for the same kind of answer (all cancellations, all refunds,
all returns, all returned packages): TikTok's reasons are read for each of them and the seller
picks one reason that every one of them offers — one decision, valid for each request, in one
dialog. A mixed selection is told to reject one kind at a time.

When the tab opens, answers a crash or a lost reply left are finished first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.services.request_answers import (
    APPROVE,
    COMMENT_LIMIT,
    REJECT,
    Answer,
    AnswersResult,
)
from tiktok_desktop.services.request_plans import AnswerPlan, common_reasons, plan
from tiktok_desktop.services.request_words import requests_word, type_name
from tiktok_desktop.store import Store
from tiktok_desktop.store.requests import REQUEST_ANSWER, BuyerRequest
from tiktok_desktop.ui import cache_ops, messages
from tiktok_desktop.ui.editing import results
from tiktok_desktop.ui.editing.results import button_row, confirm, left_over, named, tell
from tiktok_desktop.ui.editing.rows_model import DONE, EDITED, FAILED, Row, RowsModel, rows_view
from tiktok_desktop.ui.requests.words import (
    approve_effect,
    group_name,
    refund_text,
    reject_effect,
    result_text,
)

if TYPE_CHECKING:
    from tiktok_desktop.ui.requests.tab import RequestsTab

Reasons = tuple[tuple[str, str], ...]  # (code, words), in TikTok's order


def _left_out(planned: AnswerPlan) -> str:
    if not planned.left:
        return ""
    return "Left as they are:<br>" + named(
        [f"Order {r.order_id} ({type_name(r).lower()}): {why}" for r, why in planned.left])


def approval_text(planned: AnswerPlan) -> tuple[str, str]:
    """The question and the details of the approval's confirmation (rich text)."""
    question = f"Approve {requests_word(len(planned.send))}?"
    parts = ["What happens:<br>" + named(
        [f"Order {r.order_id} ({type_name(r).lower()}): {approve_effect(r)}"
         for r in planned.send]), _left_out(planned)]
    return question, "<br><br>".join(p for p in parts if p)


def rejection_text(planned: AnswerPlan) -> tuple[str, str]:
    """The question and what a rejection does (rich text) for the reject dialog."""
    first = planned.send[0]
    question = f"Reject {group_name(first.next_action, len(planned.send))}?"
    parts = [escape(reject_effect(first)), named(
        [f"Order {r.order_id}: {refund_text(r) or type_name(r)} — {r.reason or 'no reason'}"
         for r in planned.send]), _left_out(planned)]
    return question, "<br><br>".join(p for p in parts if p)


def summary(result: AnswersResult) -> str:
    return results.summary(result, requests_word, "answered")


class RejectDialog(QDialog):
    """Pick TikTok's reason (one every selected request offers) and, if wanted, a comment."""

    def __init__(self, planned: AnswerPlan, reasons: Reasons,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reject requests")
        question, details = rejection_text(planned)
        heading = QLabel(f"<b>{escape(question)}</b>")
        text = QLabel(details)
        text.setWordWrap(True)
        self.reason = QComboBox()
        for code, words in reasons:
            self.reason.addItem(words, code)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText("A note for the buyer and TikTok Shop (optional), e.g. "
                                        "what you saw on the returned item")
        self.comment.setMaximumHeight(self.fontMetrics().height() * 5)
        self.count = QLabel()
        self.comment.textChanged.connect(self._counted)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.reject_button = buttons.addButton(f"Reject {requests_word(len(planned.send))}",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(QLabel("TikTok Shop's reason:"))
        layout.addWidget(self.reason)
        layout.addWidget(QLabel("Comment:"))
        layout.addWidget(self.comment)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self._counted()

    @Slot()
    def _counted(self) -> None:
        used = len(self.comment.toPlainText())
        self.count.setText(f"{used:,} of {COMMENT_LIMIT:,} characters"
                           + (": the rest is not sent" if used > COMMENT_LIMIT else ""))

    def choice(self) -> tuple[str, str, str]:
        """(reason code, its words, comment)."""
        return (self.reason.currentData(), self.reason.currentText(),
                self.comment.toPlainText().strip()[:COMMENT_LIMIT])


class ResultsDialog(QDialog):
    """Each request's result, in a window the seller closes when done reading."""

    def __init__(self, text: str, rows: Sequence[Row], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Answers sent")
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        self.model = RowsModel(("Order", "Request", "Result"), rows, self)
        self.table = rows_view(self.model, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 110,
                    self.fontMetrics().height() * (len(rows) + 8))


class Answering(QObject):
    """The tab's Approve… and Reject… buttons and what they do."""

    answered = Signal(object)  # AnswersResult, once answers (or a finish) ended

    def __init__(self, tab: RequestsTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.sending = False
        self.results_box: ResultsDialog | None = None
        self.known: dict[str, BuyerRequest] = {}  # the requests answered, for the results
        self.approve_button = QPushButton("Approve…", tab)
        self.approve_button.setToolTip("Approve the selected requests: each gets what its "
                                       "stage asks for (you see what happens first)")
        self.reject_button = QPushButton("Reject…", tab)
        self.reject_button.setToolTip("Reject the selected requests with one of TikTok "
                                      "Shop's reasons")
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(False)  # until requests waiting for an answer are selected

    def row(self) -> QHBoxLayout:
        return button_row(self.approve_button, self.reject_button)

    @Slot()
    def selection_changed(self) -> None:
        """The buttons work on the selected requests that wait for an answer."""
        answerable = not self.sending and any(map(self._answerable,
                                                   self.tab.selected_requests()))
        self.approve_button.setEnabled(answerable)
        self.reject_button.setEnabled(answerable)

    def _answerable(self, request: BuyerRequest) -> bool:
        """Waiting for an answer, none on its way (one refused may be answered again)."""
        state = self.tab.model.state(request.id)
        return request.needs_answer and (state is None or state.state == "failed")

    # -- approving ------------------------------------------------------------------------------

    @Slot()
    def approve_selected(self) -> None:
        self._plan(APPROVE, self._confirm_approval)

    def _plan(self, answer: str, then: Callable[[AnswerPlan], None]) -> None:
        ids, shop_id = [r.id for r in self.tab.selected_requests()], self.tab.shop_id
        if not ids:
            return
        cache_ops.read(self.tab, self.tab.tasks, self.tab.session,
                       lambda store: plan(store, shop_id, answer, ids),
                       name="Reading the selected requests", on_done=then)

    def _confirm_approval(self, planned: AnswerPlan) -> None:
        if not planned.send:
            self._nothing_to_answer(planned)
            return
        if self.confirm_approval(planned):
            self.send([Answer(r.id, APPROVE) for r in planned.send], planned.send)

    def confirm_approval(self, planned: AnswerPlan) -> bool:
        """The confirmation (tests replace this method)."""
        return confirm(self.tab, "Approve requests", *approval_text(planned),
                       f"Approve {requests_word(len(planned.send))}")

    @staticmethod
    def _nothing_to_answer(planned: AnswerPlan) -> None:
        why = "; ".join(f"order {r.order_id}: {reason}" for r, reason in planned.left[:3])
        messages.info("Nothing to answer in the selection" + (f" ({why})." if why else "."))

    # -- rejecting ------------------------------------------------------------------------------

    @Slot()
    def reject_selected(self) -> None:
        self._plan(REJECT, self._read_reasons)

    def _read_reasons(self, planned: AnswerPlan) -> None:
        if not planned.send:
            self._nothing_to_answer(planned)
            return
        if len(planned.next_actions) > 1:
            kinds = ", ".join(group_name(a, sum(r.next_action == a for r in planned.send))
                              for a in planned.next_actions)
            messages.info(f"Reject one kind of request at a time: TikTok Shop's reasons differ "
                          f"between them. The selection has {kinds}.")
            return
        session, ids = self.tab.session, [r.id for r in planned.send]
        self._busy(True)
        self.tab.tasks.run(lambda control: session.reject_reasons(ids, control.cancelled),
                           name="Reading TikTok Shop's reject reasons", parent=self.tab,
                           on_done=lambda found: self._ask_reason(planned, found),
                           on_failed=self._failed)

    def _ask_reason(self, planned: AnswerPlan, found: dict[str, Reasons]) -> None:
        self._busy(False)
        reasons = common_reasons([found.get(r.id, ()) for r in planned.send])
        if not reasons:
            messages.info("TikTok Shop gives these requests no reason in common: reject them "
                          "one at a time.")
            return
        chosen = self.ask_reject(planned, reasons)
        if chosen is None:
            return
        code, words, comment = chosen
        self.send([Answer(r.id, REJECT, code, words, comment or None) for r in planned.send],
                  planned.send)

    def ask_reject(self, planned: AnswerPlan, reasons: Reasons) -> tuple[str, str, str] | None:
        """The reject dialog (tests replace this method)."""
        dialog = RejectDialog(planned, reasons, self.tab)
        return dialog.choice() if dialog.exec() else None

    # -- sending --------------------------------------------------------------------------------

    def send(self, answers: Sequence[Answer] = (),
             requests: Sequence[BuyerRequest] = ()) -> None:
        """Send these answers (none: finish what a crash or a lost reply left)."""
        session = self.tab.session
        self.known.update({r.id: r for r in requests})
        self._busy(True)
        if answers:
            messages.info(f"Sending your answers to {requests_word(len(answers))}…")
        self.tab.tasks.run(lambda control: session.answer_requests(answers, control.cancelled),
                           name="Answering requests", parent=self.tab, on_done=self._answered,
                           on_failed=self._failed)

    def finish_left_over(self, store: Store) -> None:
        """At the tab's opening: finish the answers left pending or in doubt, if any
        (an indexed count: fine on the GUI thread)."""
        if left_over(store, self.tab.shop_id, REQUEST_ANSWER):
            self.send()

    def _busy(self, busy: bool) -> None:
        self.sending = busy
        self.selection_changed()

    def _answered(self, result: AnswersResult) -> None:
        self._busy(False)
        self.tab.model.set_results(result.results)
        self.answered.emit(result)
        if not result.results:
            return
        self.show_results(result, tell(result, summary(result)))

    def show_results(self, result: AnswersResult, text: str) -> None:
        known = self.known | {r.id: r for r in self.tab.model.requests}
        colours = {"done": DONE, "failed": FAILED, "in_doubt": EDITED, "waiting": EDITED}
        rows = []
        for r in result.results:
            request = known.get(r.request_id)
            rows.append(Row((request.order_id if request else "",
                             type_name(request) if request else r.request_id,
                             result_text(r)), colours[r.state], r.message or "", r))
        box = ResultsDialog(text, rows, self.tab)
        self.results_box = box
        box.open()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        messages.report_failure(error, doing="Answering requests")
