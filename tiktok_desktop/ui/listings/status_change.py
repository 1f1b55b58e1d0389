"""Activate… and Deactivate… in the Listings tab: a confirmation that says what will happen to
each selected listing, the change sent in the background through the outbox
(services/listing_status.py), and each listing's result.

When the tab opens, changes a crash or a lost answer left are finished first.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton

from tiktok_desktop.services.listing_status import (
    ACTIVATE,
    DEACTIVATE,
    LISTING_STATUS,
    StatusChangeResult,
    StatusPlan,
    plan,
)
from tiktok_desktop.store import Store
from tiktok_desktop.ui import cache_ops, messages
from tiktok_desktop.ui.editing import results
from tiktok_desktop.ui.editing.results import (
    button_row,
    confirm,
    left_over,
    named,
    tell,
    troubled,
)

if TYPE_CHECKING:
    from tiktok_desktop.ui.listings.tab import ListingsTab

VERB = {ACTIVATE: "Activate", DEACTIVATE: "Deactivate"}
DOING = {ACTIVATE: "Activating", DEACTIVATE: "Deactivating"}
DONE = {ACTIVATE: "Activated: in TikTok Shop's review", DEACTIVATE: "Deactivated"}
WHAT_HAPPENS = {
    ACTIVATE: "TikTok Shop reviews each one first; it goes on sale once approved.",
    DEACTIVATE: "Buyers can't buy them from the moment they're deactivated. You can activate "
                "them again later (TikTok Shop reviews them again first).",
}


def listings_word(count: int) -> str:
    return f"{count:,} listing{'' if count == 1 else 's'}"


def confirmation_text(planned: StatusPlan) -> tuple[str, str]:
    """The question and the details of the confirmation (rich text)."""
    action, count = planned.action, len(planned.change)
    question = f"{VERB[action]} {listings_word(count)}?"
    parts = [WHAT_HAPPENS[action], named([x.title for x in planned.change])]
    if planned.already:
        parts.append(f"Already {'live or in review' if action == ACTIVATE else 'deactivated'}"
                     f", left as they are:<br>{named([x.title for x in planned.already])}")
    if planned.refused:
        parts.append(f"Can't be {action}d:<br>" + named(
            [f"{x.title}: {why}" for x, why in planned.refused]))
    return question, "<br><br>".join(p for p in parts if p)


def result_lines(result: StatusChangeResult, titles: dict[str, str]) -> list[str]:
    """Each listing's result in the seller's words: done, refused with the reason, or waiting."""
    lines = []
    for r in result.results:
        title = titles.get(r.product_id, r.product_id)
        if r.state == "done":
            lines.append(f"{title}: {DONE[r.action]}.")
        elif r.state == "failed":
            lines.append(f"{title}: not changed. {r.message}")
        elif r.state == "in_doubt":
            lines.append(f"{title}: being checked with TikTok Shop before anything is sent "
                         f"again.")
        else:
            lines.append(f"{title}: waiting to be sent.")
    return lines


def summary(result: StatusChangeResult) -> str:
    return results.summary(result, listings_word, "changed")


class StatusChanges(QObject):
    """The tab's Activate… and Deactivate… buttons and what they do."""

    changed = Signal(object)  # StatusChangeResult, once a change (or a finish) ended

    def __init__(self, tab: ListingsTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.titles: dict[str, str] = {}  # product id → title, for the results
        self.results_box: QMessageBox | None = None
        self.activate_button = QPushButton("Activate…", tab)
        self.activate_button.setToolTip("Put the selected listings back on sale, after "
                                        "TikTok Shop's review")
        self.deactivate_button = QPushButton("Deactivate…", tab)
        self.deactivate_button.setToolTip("Take the selected listings off sale")
        self.activate_button.clicked.connect(self.activate_selected)
        self.deactivate_button.clicked.connect(self.deactivate_selected)
        self._busy(True)  # until listings are selected

    def row(self) -> QHBoxLayout:
        """The buttons, for the tab's layout."""
        return button_row(self.activate_button, self.deactivate_button)

    @Slot()
    def selection_changed(self) -> None:
        chosen = bool(self.tab.selected_product_ids())
        self.activate_button.setEnabled(chosen)
        self.deactivate_button.setEnabled(chosen)

    @Slot()
    def activate_selected(self) -> None:
        self.ask(ACTIVATE)

    @Slot()
    def deactivate_selected(self) -> None:
        self.ask(DEACTIVATE)

    def ask(self, action: str) -> None:
        """Read what the change would do to each selected listing, then confirm it."""
        ids, shop_id = self.tab.selected_product_ids(), self.tab.shop_id
        if not ids:
            return
        cache_ops.read(self.tab, self.tab.tasks, self.tab.session,
                       lambda store: plan(store, shop_id, action, ids),
                       name="Reading the selected listings", on_done=self._confirm)

    def _confirm(self, planned: StatusPlan) -> None:
        if not planned.change:
            refused = "; ".join(f"{x.title}: {why}" for x, why in planned.refused)
            messages.info(f"Nothing to {planned.action}: the selected listings already are "
                          f"{'live or in review' if planned.action == ACTIVATE else 'off sale'}"
                          + (f", or can't be changed ({refused})." if refused else "."))
            return
        if self.confirm_status_change(planned):
            for listing in planned.change:
                self.titles[listing.product_id] = listing.title
            self.send(planned.action, [x.product_id for x in planned.change])

    def confirm_status_change(self, planned: StatusPlan) -> bool:
        """The confirmation (tests replace this method)."""
        verb = VERB[planned.action]
        return confirm(self.tab, f"{verb} listings", *confirmation_text(planned),
                       f"{verb} {listings_word(len(planned.change))}")

    def send(self, action: str | None, product_ids: Sequence[str] = ()) -> None:
        """Change these listings (none: finish what a crash or a lost answer left)."""
        session = self.tab.session
        self._busy(True)
        if product_ids:
            messages.info(f"{DOING[action or ACTIVATE]} {listings_word(len(product_ids))}…")
        self.tab.tasks.run(
            lambda control: session.change_listing_status(action, product_ids,
                                                          control.cancelled),
            name="Changing listings", parent=self.tab, on_done=self._changed,
            on_failed=self._failed)

    def finish_left_over(self, store: Store) -> None:
        """At the tab's opening: finish the changes left pending or in doubt, if any
        (an indexed count: fine on the GUI thread)."""
        if left_over(store, self.tab.shop_id, LISTING_STATUS):
            self.send(None)

    def _busy(self, busy: bool) -> None:
        if busy:
            self.activate_button.setEnabled(False)
            self.deactivate_button.setEnabled(False)
        else:
            self.selection_changed()

    def _changed(self, result: StatusChangeResult) -> None:
        self._busy(False)
        self.changed.emit(result)
        if not result.results:
            return
        self.show_results(result, tell(result, summary(result)))
        self.tab.reload()

    def show_results(self, result: StatusChangeResult, text: str) -> None:
        """Each listing's result, in a window the seller closes when done reading."""
        icon = QMessageBox.Icon.Warning if troubled(result) else QMessageBox.Icon.Information
        box = QMessageBox(icon, "Listings changed", text, QMessageBox.StandardButton.Close,
                          self.tab)
        lines = result_lines(result, self.titles | self.tab.titles())
        box.setInformativeText("<br>".join(escape(line, quote=False) for line in lines))
        self.results_box = box
        box.open()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        messages.report_failure(error, doing="Changing listings")
