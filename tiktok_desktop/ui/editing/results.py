"""What the tabs that act on a selection through the outbox (Approve…/Reject… in Requests,
Activate…/Deactivate… in Listings) share: the bulleted names in a confirmation, the
confirmation itself, the run's summary and how it is told, and finishing at the tab's opening
what a crash or a lost answer left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QWidget

from tiktok_desktop.services.outbox_batches import BatchResult
from tiktok_desktop.store import Store
from tiktok_desktop.ui import messages

SHOWN = 12  # items named in a confirmation; the rest are counted


def named(lines: Sequence[str]) -> str:
    """The lines as bullets (rich text), the first SHOWN of them and a count of the rest."""
    shown = [f"• {escape(line, quote=False)}" for line in lines[:SHOWN]]
    if len(lines) > SHOWN:
        shown.append(f"… and {len(lines) - SHOWN:,} more")
    return "<br>".join(shown)


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """The feature's buttons side by side at the left, for the tab's layout."""
    layout = QHBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        layout.addWidget(button)
    layout.addStretch(1)
    return layout


def confirm(parent: QWidget, title: str, question: str, details: str, yes: str) -> bool:
    """Ask `question` (with `details`, rich text) in a window; True when `yes` is clicked."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setInformativeText(details)
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is accept


def summary(result: BatchResult, counted: Callable[[int], str], done: str) -> str:
    """How many items are `done` (e.g. "answered"), not, and still to come."""
    finished, failed = result.count("done"), result.count("failed")
    left = len(result.results) - finished - failed
    text = f"{counted(finished)} {done}"
    if failed:
        text += f", {failed:,} not {done} (the reason is given for each)"
    if left:
        text += f", {left:,} still to be confirmed or sent"
    return text + "."


def troubled(result: BatchResult) -> bool:
    """Whether the run stopped early or an item failed."""
    return bool(result.problem or result.count("failed"))


def tell(result: BatchResult, text: str) -> str:
    """Say the run's summary `text` (and why it stopped, if it did) in the status bar, as a
    warning when something went wrong; the words said."""
    if result.problem:
        text = f"{text} {result.problem}"
    (messages.warning if troubled(result) else messages.info)(text)
    return text


def left_over(store: Store, shop_id: str, kind: str) -> bool:
    """Whether items of `kind` were left pending or in doubt (an indexed count: fine on the
    GUI thread)."""
    return bool(store.outbox.count(shop_id, ("pending", "sent"), kind=kind))
