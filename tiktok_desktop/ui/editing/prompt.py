"""Asking for one value before a bulk operation (Set to…, Add…, Raise by…), without blocking:
the answer comes to `then(text)`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget


def ask_value(window: QWidget, title: str, question: str,
              then: Callable[[str], None]) -> QInputDialog:
    prompt = QInputDialog(window)
    prompt.setWindowTitle(title)
    prompt.setLabelText(question)
    prompt.setInputMode(QInputDialog.InputMode.TextInput)
    prompt.textValueSelected.connect(then)
    prompt.open()
    # Wide enough for its question and for its title in the window's frame (the dialog's own
    # size fits the text box only).
    metrics = prompt.fontMetrics()
    prompt.resize(max(metrics.horizontalAdvance(question),
                      metrics.horizontalAdvance(title) * 2) + 80, prompt.height())
    return prompt
