"""The Edit menu: the same items in the same places whatever tab is open, each doing what the
open tab (or the text field being typed in) does with it, and greyed out where it means nothing.

A tab offers its items with `edit_actions()`: item name → its own QAction (with its shortcut,
active while the focus is in the tab). The menu shows those very actions, so a shortcut and its
menu item can never disagree or become ambiguous. Items the tab lacks are shown disabled; Cut,
Copy, Paste and Select all act on a text field instead when one has the focus (the search box),
as in any application. Those stand-ins carry no shortcut of their own (the shortcut column is
written after a tab character), so they never compete with the tab's or the field's keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

StandardKey = QKeySequence.StandardKey


class Item(NamedTuple):
    name: str
    text: str
    key: QKeySequence | StandardKey | str | None = None


# The menu's items in order; None is a separator.
ITEMS: tuple[Item | None, ...] = (
    Item("undo", "&Undo", StandardKey.Undo),
    Item("redo", "&Redo", "Ctrl+Shift+Z"),
    None,
    Item("cut", "Cu&t", StandardKey.Cut),
    Item("copy", "&Copy", StandardKey.Copy),
    Item("paste", "&Paste", StandardKey.Paste),
    Item("select_all", "Select &all", StandardKey.SelectAll),
    None,
    Item("fill_down", "Fill &down", "Ctrl+D"),
    Item("set", "&Set to…"),
    Item("add", "A&dd…"),
    Item("subtract", "Su&btract…"),
    Item("set_zero", "Set to &0"),
    Item("raise", "Raise or &lower by…"),
    Item("percent", "By perce&nt…"),
    Item("end_99", "End in .&99"),
    Item("clear_edits", "Clear &edits", StandardKey.Delete),
)
_TEXT_ITEMS: dict[str, Callable[[QLineEdit], None]] = {
    "cut": QLineEdit.cut, "copy": QLineEdit.copy, "paste": QLineEdit.paste,
    "select_all": QLineEdit.selectAll,
}


def key_text(key: QKeySequence | StandardKey | str | None) -> str:
    return "" if key is None else QKeySequence(key).toString(
        QKeySequence.SequenceFormat.NativeText)


class EditMenu(QObject):
    """Fills `menu` each time it opens from the open tab and the focused widget; `extra` (Find)
    closes the menu."""

    def __init__(self, menu: QMenu, window: QWidget, current_tab: Callable[[], QWidget | None],
                 extra: list[QAction]) -> None:
        super().__init__(menu)
        self.menu, self.window, self.current_tab, self.extra = menu, window, current_tab, extra
        self.stand_ins: dict[str, QAction] = {}  # item name → its disabled or text-field copy
        self._field: QLineEdit | None = None
        menu.aboutToShow.connect(self.fill)
        self.fill()

    def _stand_in(self, item: Item) -> QAction:
        action = self.stand_ins.get(item.name)
        if action is None:
            label = item.text + (f"\t{key_text(item.key)}" if item.key is not None else "")
            action = QAction(label, self)
            action.triggered.connect(self._on_text_field)
            action.setData(item.name)
            self.stand_ins[item.name] = action
        return action

    def actions_for(self, tab: QWidget | None, focus: QWidget | None) -> list[QAction | None]:
        """What the menu shows for this tab and focused widget (None: a separator)."""
        own: Mapping[str, QAction] = getattr(tab, "edit_actions", lambda: {})()
        self._field = focus if isinstance(focus, QLineEdit) else None
        shown: list[QAction | None] = []
        for item in ITEMS:
            if item is None:
                shown.append(None)
                continue
            if self._field is not None and item.name in _TEXT_ITEMS:
                action = self._stand_in(item)
                action.setEnabled(item.name != "cut" or not self._field.isReadOnly())
            elif item.name in own:
                action = own[item.name]
                action.setText(item.text)  # the menu's words and mnemonic (Alt+E, U); a
                # toolbar shows the action's iconText, which the tabs set themselves
            else:
                action = self._stand_in(item)
                action.setEnabled(False)
            shown.append(action)
        return shown

    @Slot()
    def fill(self) -> None:
        self.menu.clear()
        for action in self.actions_for(self.current_tab(), self.window.focusWidget()):
            if action is None:
                self.menu.addSeparator()
            else:
                self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addActions(self.extra)

    @Slot()
    def _on_text_field(self) -> None:
        action = self.sender()
        field = self._field
        if isinstance(action, QAction) and field is not None and action.data() in _TEXT_ITEMS:
            _TEXT_ITEMS[action.data()](field)
            field.setFocus()
