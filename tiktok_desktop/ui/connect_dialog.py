"""Connect a real TikTok Shop: the seller's Partner Center app, consent in the system browser,
and the shops the sign-in covers.

Three pages. **Your app**: app key, app secret, service ID and market, checked as typed, with the
three steps to take in Partner Center and the exact redirect URL to register there (Copy).
**Authorize**: the app listens on its fixed loopback port (services/redirect_listener.py), opens
TikTok's consent page in the browser with a fresh `state`, and waits (Cancel, a time-out); the
seller may instead paste the address the browser ended on, or just the code — a code without our
state (an install from the Seller Center App Store) only after the seller confirms. **Shops**:
the shops the sign-in covers, to pick from. The sign-in is then kept in the keychain (or, with
no keychain and the seller's consent, in memory until the app quits) and `connected` is emitted.

Nothing here blocks the GUI thread: listening, the token exchange, the shop list and the
keychain all run in the task runner.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tiktok_desktop.api import TokenSet, code_from_pasted, code_from_redirect
from tiktok_desktop.api.errors import ApiError, AuthorizationDeniedError, NetworkError
from tiktok_desktop.services.accounts import (
    TIKTOK,
    AppDetails,
    Hosts,
    authorized_shops,
    exchange_code,
    save_account,
)
from tiktok_desktop.services.credentials import Keychain, MemoryVault
from tiktok_desktop.services.redirect_listener import RedirectListener, redirect_url
from tiktok_desktop.services.session import ShopIdentity
from tiktok_desktop.ui.app_details_form import AppDetailsForm, error_label
from tiktok_desktop.ui.messages import describe_failure

if TYPE_CHECKING:
    from tiktok_desktop.ui.tasks import Task, TaskControl, TaskRunner

WAIT_S = 10 * 60  # how long the browser has to come back


@dataclass(frozen=True)
class Connected:
    """What the dialog hands the main window: the shops chosen and where their sign-in is."""

    details: AppDetails
    account: str  # the vault entry's name
    shops: tuple[ShopIdentity, ...]
    in_memory: bool  # kept for this session only (no keychain)


def steps_text(url: str) -> str:
    return (
        "<ol style='margin-left: -20px;'>"
        "<li>In TikTok Shop Partner Center, open your app and copy its <b>App key</b>, "
        "<b>App secret</b> and <b>Service ID</b> into the fields below.</li>"
        f"<li>Register this redirect URL for the app: <b>{url}</b></li>"
        "<li>Click <b>Authorize in browser</b>, sign in with your shop's account and approve "
        "the app.</li></ol>")


class ConnectDialog(QDialog):
    connected = Signal(object)  # Connected

    def __init__(self, tasks: TaskRunner, port: int, memory: MemoryVault, *,
                 hosts: Hosts = TIKTOK, prefill: AppDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect your TikTok Shop")
        self.tasks, self.port, self.memory, self.hosts = tasks, port, memory, hosts
        self.keychain_missing = False
        self._task: Task | None = None
        self._listener: RedirectListener | None = None
        self._state = ""
        self._details: AppDetails | None = None
        self._signed_in: tuple[TokenSet, list[ShopIdentity]] | None = None
        self.pages = QStackedWidget(self)
        self.details_page = self._build_details_page(prefill)
        self.waiting_page = self._build_waiting_page()
        self.shops_page = self._build_shops_page()
        for page in (self.details_page, self.waiting_page, self.shops_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(620, self.sizeHint().height())
        self.form.first_empty().setFocus()
        self.tasks.run(self._probe_keychain, name="Checking the keychain", parent=self,
                       on_done=self._keychain_checked, on_failed=self._keychain_checked)

    # -- page 1: the app ------------------------------------------------------------------------

    def _build_details_page(self, prefill: AppDetails | None) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        url = redirect_url(self.port)
        steps = QLabel(steps_text(url))
        steps.setWordWrap(True)
        column.addWidget(steps)
        copy_row = QHBoxLayout()
        self.redirect_edit = QLineEdit(url)
        self.redirect_edit.setReadOnly(True)
        copy = QPushButton("Copy")
        copy.setAutoDefault(False)
        copy.clicked.connect(self.copy_redirect_url)
        copy_row.addWidget(QLabel("Redirect URL:"))
        copy_row.addWidget(self.redirect_edit, 1)
        copy_row.addWidget(copy)
        column.addLayout(copy_row)
        self.form = AppDetailsForm(prefill)
        self.inputs, self.problems = self.form.inputs, self.form.problems
        column.addWidget(self.form)
        self.keychain_note = QLabel()
        self.keychain_note.setWordWrap(True)
        self.keychain_note.hide()
        self.memory_ok = QCheckBox("Keep my sign-in in memory until I quit (I'll connect again "
                                   "next time)")
        self.memory_ok.hide()
        self.memory_ok.toggled.connect(self._update_authorize)
        column.addWidget(self.keychain_note)
        column.addWidget(self.memory_ok)
        self.details_problem = error_label()
        column.addWidget(self.details_problem)
        column.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.authorize_button = QPushButton("Authorize in browser")
        self.authorize_button.setDefault(True)
        self.authorize_button.clicked.connect(self.authorize)
        buttons.addWidget(cancel)
        buttons.addWidget(self.authorize_button)
        column.addLayout(buttons)
        return page

    @Slot()
    def copy_redirect_url(self) -> None:
        QGuiApplication.clipboard().setText(self.redirect_edit.text())

    def _probe_keychain(self, control: TaskControl) -> bool:
        Keychain().load("keychain-check")
        return True

    def _keychain_checked(self, outcome: object) -> None:
        """`outcome`: True, or why the keychain cannot be used (KeychainUnavailable)."""
        self.keychain_missing = isinstance(outcome, BaseException)
        if self.keychain_missing:
            self.keychain_note.setText(
                "This computer has no usable keychain, so your sign-in cannot be kept safely "
                "between starts (it is never written to a plain file). To keep it, install or "
                "unlock a keychain (on Linux: GNOME Keyring or KWallet) and open this again.")
        self.keychain_note.setVisible(self.keychain_missing)
        self.memory_ok.setVisible(self.keychain_missing)
        self._update_authorize()

    @Slot()
    def _update_authorize(self) -> None:
        self.authorize_button.setEnabled(not self.keychain_missing or self.memory_ok.isChecked())

    @Slot()
    def authorize(self) -> None:
        details = self.form.details()
        if details is None:
            return
        self._details, self._state = details, secrets.token_urlsafe(16)
        self._listener = RedirectListener(self.port, self._state)
        self.details_problem.hide()
        self.authorize_button.setEnabled(False)
        listener = self._listener
        self._run(lambda control: listener.start(), "Listening for TikTok's answer",
                  self._listening, self._details_failed)

    def _details_failed(self, error: BaseException) -> None:
        self._close_listener()
        self.details_problem.setText(self._sentence(error))
        self.details_problem.show()
        self.pages.setCurrentWidget(self.details_page)
        self._update_authorize()

    # -- page 2: waiting for the browser --------------------------------------------------------

    def _build_waiting_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        self.waiting_text = QLabel()
        self.waiting_text.setWordWrap(True)
        column.addWidget(self.waiting_text)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        column.addWidget(self.busy)
        self.waiting_problem = error_label()
        column.addWidget(self.waiting_problem)
        again = QPushButton("Open the page again")
        again.setAutoDefault(False)
        again.clicked.connect(self.open_consent_page)
        self.open_again = again
        column.addWidget(again)
        paste_help = QLabel(
            "Browser on another computer, or its last page did not load? Paste the address it "
            "shows after you authorized (or just the code):")
        paste_help.setWordWrap(True)
        column.addWidget(paste_help)
        paste_row = QHBoxLayout()
        self.pasted = QLineEdit()
        self.pasted.setPlaceholderText("http://localhost:…/callback?code=…&state=…")
        self.pasted.returnPressed.connect(self.use_pasted)
        self.use_button = QPushButton("Use it")
        self.use_button.setAutoDefault(False)
        self.use_button.clicked.connect(self.use_pasted)
        paste_row.addWidget(self.pasted, 1)
        paste_row.addWidget(self.use_button)
        column.addLayout(paste_row)
        column.addStretch(1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("Back")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back_to_details)
        cancel = QPushButton("Cancel")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        column.addLayout(buttons)
        return page

    def _listening(self, _: object) -> None:
        self.waiting_text.setText(
            "Your browser is opening TikTok Shop. Sign in with your shop's account and approve "
            "TikTok Shop Desktop; this window continues by itself when you have.")
        self.waiting_problem.hide()
        self._show_busy(True)
        self.pages.setCurrentWidget(self.waiting_page)
        self.open_consent_page()
        listener, state, details = self._listener, self._state, self._details
        assert listener is not None and details is not None

        def wait_and_sign_in(control: TaskControl) -> tuple[TokenSet, list[ShopIdentity]]:
            answer = listener.wait(control.cancelled, WAIT_S)
            return self._sign_in(details, code_from_redirect(answer, state))

        self._run(wait_and_sign_in, "Waiting for TikTok's answer", self._signed_in_ok,
                  self._waiting_failed)

    @Slot()
    def open_consent_page(self) -> None:
        if self._details is not None:
            self.open_browser(self._details.consent_url(self._state, self.hosts))

    def open_browser(self, url: str) -> None:
        """The system browser (tests replace this and play the browser themselves)."""
        QDesktopServices.openUrl(QUrl(url))

    def _sign_in(self, details: AppDetails,
                 code: str) -> tuple[TokenSet, list[ShopIdentity]]:
        """On a worker: the code for tokens, then the shops they cover."""
        tokens = exchange_code(details, code, self.hosts)
        return tokens, authorized_shops(details, tokens, self.hosts)

    @Slot()
    def use_pasted(self) -> None:
        if self._details is None:
            return
        try:
            code, ours = code_from_pasted(self.pasted.text(), self._state)
        except AuthorizationDeniedError as error:
            self._waiting_failed(error)
            return
        if not ours and not self.confirm_unverified_code():
            return
        self._cancel_task()
        self._close_listener()
        details = self._details
        self._show_busy(True)
        self.waiting_problem.hide()
        self._run(lambda control: self._sign_in(details, code), "Connecting your shop",
                  self._signed_in_ok, self._waiting_failed)

    def confirm_unverified_code(self) -> bool:
        """A code without this sign-in's state: asked in a dialog (tests replace this)."""
        answer = QMessageBox.question(
            self, "Use this code?",
            "This code did not come from the sign-in this window started (an install from the "
            "Seller Center App Store brings one like it). Use it only if you authorized TikTok "
            "Shop Desktop yourself just now.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _waiting_failed(self, error: BaseException) -> None:
        self._show_waiting_problem(self._sentence(error))

    def _show_waiting_problem(self, text: str) -> None:
        self._show_busy(False)
        self.waiting_problem.setText(text)
        self.waiting_problem.show()

    @Slot()
    def back_to_details(self) -> None:
        self._cancel_task()
        self._close_listener()
        self.pages.setCurrentWidget(self.details_page)
        self._update_authorize()

    def _show_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.open_again.setEnabled(busy and self._listener is not None)

    # -- page 3: the shops ----------------------------------------------------------------------

    def _build_shops_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        self.shops_text = QLabel()
        self.shops_text.setWordWrap(True)
        column.addWidget(self.shops_text)
        self.shop_list = QListWidget()
        column.addWidget(self.shop_list, 1)
        self.shops_problem = error_label()
        column.addWidget(self.shops_problem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.add_button = QPushButton("Add and open")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_shops)
        buttons.addWidget(cancel)
        buttons.addWidget(self.add_button)
        column.addLayout(buttons)
        return page

    def _signed_in_ok(self, signed_in: tuple[TokenSet, list[ShopIdentity]]) -> None:
        self._task = None
        self._close_listener()
        tokens, shops = signed_in
        if not shops:
            self._show_waiting_problem("This sign-in gives access to no shop. Sign in with the "
                                       "account that owns your shop.")
            return
        self._signed_in = signed_in
        self.shop_list.clear()
        for shop in shops:
            item = QListWidgetItem(f"{shop.name} ({shop.region or 'shop'} · {shop.id})")
            item.setCheckState(Qt.CheckState.Checked)
            self.shop_list.addItem(item)
        count = len(shops)
        self.shops_text.setText(
            f"Connected as {tokens.seller_name or 'your seller account'}. This sign-in covers "
            f"{count} {'shop' if count == 1 else 'shops'}; choose the ones to add.")
        self.pages.setCurrentWidget(self.shops_page)

    def chosen_shops(self) -> list[ShopIdentity]:
        assert self._signed_in is not None
        return [shop for row, shop in enumerate(self._signed_in[1])
                if self.shop_list.item(row).checkState() == Qt.CheckState.Checked]

    @Slot()
    def add_shops(self) -> None:
        chosen = self.chosen_shops()
        if not chosen or self._signed_in is None or self._details is None:
            self.shops_problem.setText("Choose at least one shop.")
            self.shops_problem.show()
            return
        tokens, details = self._signed_in[0], self._details
        in_memory = self.keychain_missing
        vault = self.memory if in_memory else Keychain()
        self.add_button.setEnabled(False)
        self._run(lambda control: save_account(vault, details, tokens), "Keeping your sign-in",
                  lambda account: self._kept(account, chosen, in_memory), self._keeping_failed)

    def _kept(self, account: str, chosen: list[ShopIdentity], in_memory: bool) -> None:
        assert self._details is not None
        self.connected.emit(Connected(self._details, account, tuple(chosen), in_memory))
        self.accept()

    def _keeping_failed(self, error: BaseException) -> None:
        self.add_button.setEnabled(True)
        self.shops_problem.setText(self._sentence(error))
        self.shops_problem.show()

    # -- the rest -------------------------------------------------------------------------------

    def _run(self, work: Callable[[TaskControl], Any], name: str,
             on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None]) -> None:
        self._task = self.tasks.run(work, name=name, parent=self, on_done=on_done,
                                    on_failed=on_failed, on_cancelled=lambda: None)

    @staticmethod
    def _sentence(error: BaseException) -> str:
        """What went wrong, in the seller's words: an API error's own sentence (a refused code
        says it lasts 30 minutes and works once), else the app's usual description."""
        if isinstance(error, ApiError) and not isinstance(error, NetworkError):
            return error.plain
        return describe_failure(error) or "Something went wrong; see the log for details."

    def _cancel_task(self) -> None:
        if self._task is not None and not self._task.finished:
            self._task.cancel()
        self._task = None

    def _close_listener(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def done(self, result: int) -> None:
        """Closing, however: stop waiting and free the port at once."""
        self._cancel_task()
        self._close_listener()
        super().done(result)
