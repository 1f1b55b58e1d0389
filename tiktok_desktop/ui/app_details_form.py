"""The seller's Partner Center app, as the connect dialog asks for it: app key, app secret,
service ID and market, each checked as the seller submits, with the reason next to the field."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from tiktok_desktop.services.accounts import MARKETS, AppDetails, check_app_details

ERROR_STYLE = "color: #b3261e;"
FIELDS = (("app_key", "App key"), ("app_secret", "App secret"), ("service_id", "Service ID"))


def error_label() -> QLabel:
    """A red, wrapping, hidden-until-needed sentence under what it is about."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class AppDetailsForm(QWidget):
    def __init__(self, prefill: AppDetails | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.inputs: dict[str, QLineEdit] = {}
        self.problems: dict[str, QLabel] = {}
        for name, label in FIELDS:
            edit = QLineEdit(getattr(prefill, name, "") if prefill else "")
            if name == "app_secret":
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._clear_problems)
            problem = error_label()
            holder = QVBoxLayout()
            holder.setSpacing(2)
            holder.addWidget(edit)
            holder.addWidget(problem)
            form.addRow(label, holder)
            self.inputs[name], self.problems[name] = edit, problem
        self.market = QComboBox()
        for market, name in MARKETS.items():
            self.market.addItem(name, market)
        if prefill is not None:
            self.market.setCurrentIndex(max(0, self.market.findData(prefill.market)))
        form.addRow("Market", self.market)

    @Slot()
    def _clear_problems(self) -> None:
        for problem in self.problems.values():
            problem.hide()

    def first_empty(self) -> QLineEdit:
        """Where the seller starts typing."""
        return next((e for e in self.inputs.values() if not e.text()),
                    self.inputs["app_key"])

    def details(self) -> AppDetails | None:
        """The app's details, or None after showing what is wrong next to each field."""
        values = {name: edit.text() for name, edit in self.inputs.items()}
        problems = check_app_details(**values)
        for name, problem in self.problems.items():
            problem.setText(problems.get(name, ""))
            problem.setVisible(name in problems)
        if problems:
            self.inputs[next(n for n, _ in FIELDS if n in problems)].setFocus()
            return None
        return AppDetails(market=self.market.currentData(), **values)
