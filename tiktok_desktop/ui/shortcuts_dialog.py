"""Help → Keyboard shortcuts: every key the window answers to, read from its actions (so the
list can't drift from what the keys do), grouped by where they work, plus the keys of typing in
a table and of a barcode scanner, which are not actions."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

EVERYWHERE = "Everywhere"
# Keys that are not actions: what the tables and the scanner do with them.
TYPING: dict[str, list[tuple[str, str]]] = {
    EVERYWHERE: [("Scan a barcode", "Open the order, package or SKU it names, from any tab")],
    "Inventory": [
        ("Type a number", "Start editing the selected stock"),
        ("Enter", "Write the number and move down"),
        ("Tab", "Write the number and move right"),
        ("Esc", "Leave the cell as it was"),
    ],
}


def _label(action: QAction) -> str:
    text = action.text().split("\t")[0].replace("&", "")
    return text.removesuffix("…")


def _keys(action: QAction) -> str:
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText)
                     for key in action.shortcuts() if not key.isEmpty())


def _menu_actions(menus: Iterable[QMenu]) -> list[QAction]:
    found: list[QAction] = []
    for menu in menus:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                found += _menu_actions([sub])
            elif _keys(action):
                found.append(action)
    return found


def shortcuts(window: QMainWindow, tabs: QTabWidget | None) -> dict[str, list[tuple[str, str]]]:
    """Where → [(keys, what)], the window's menus first, then each tab's own keys."""
    groups: dict[str, list[tuple[str, str]]] = {EVERYWHERE: []}
    tab_actions = set()
    named: list[tuple[str, QWidget]] = []
    if tabs is not None:
        named = [(tabs.tabText(i).replace("&", ""), tabs.widget(i)) for i in range(tabs.count())]
        tab_actions = {a for _, tab in named for a in tab.actions()}
    menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    seen: set[str] = set()
    window_keys = [a for a in window.actions() if _keys(a)]  # also those in no menu
    for action in _menu_actions(menus) + window_keys:  # type: ignore[arg-type]
        if action in tab_actions or _keys(action) in seen:
            continue  # a tab's own key: listed with its tab
        seen.add(_keys(action))
        what = _label(action)
        if tabs is not None and what in [name for name, _ in named]:
            what = f"Go to {what}"
        groups[EVERYWHERE].append((_keys(action), what))
    for name, tab in named:
        own = [(_keys(a), _label(a)) for a in tab.actions() if _keys(a)]
        if own:
            groups.setdefault(name, []).extend(own)
    for where, keys in TYPING.items():
        if where == EVERYWHERE or where in groups:
            groups[where].extend(keys)
    return groups


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow, tabs: QTabWidget | None) -> None:
        """`tabs`: the open shop's tabs (None on the welcome page)."""
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Keys", "What it does"])
        self.tree.setRootIsDecorated(False)
        for where, keys in shortcuts(window, tabs).items():
            group = QTreeWidgetItem(self.tree, [where])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            for key, what in keys:
                QTreeWidgetItem(group, [key, what])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(520, 560)
