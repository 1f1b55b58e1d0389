"""Activate… and Deactivate… in the Listings tab: the buttons follow the selection, the
confirmation says what will happen to each listing in plain words, each listing's result is
shown, the table is read again, and changes left by a crash are finished when the tab opens."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from listing_samples import SHOP, product_id
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from tiktok_desktop.services.listing_status import (
    DEACTIVATE,
    LISTING_STATUS,
    WANTED,
    StatusChangeResult,
    StatusPlan,
    StatusResult,
)
from tiktok_desktop.store import Changes, Store
from tiktok_desktop.ui.listings import ListingsTab
from tiktok_desktop.ui.listings.status_change import confirmation_text
from tiktok_desktop.ui.settings import Settings
from tiktok_desktop.ui.tasks import ImmediateTaskRunner

TEE, HOODIE, SCARF, MUG = product_id(0), product_id(1), product_id(4), product_id(6)


@dataclass
class ChangingSession:
    """The cached shop, changing listings as TikTok Shop would (the service is tested against
    the demo shop in tests/services/test_listing_status.py)."""

    inner: object
    refuse: dict[str, str] = field(default_factory=dict)  # product id → TikTok's reason
    calls: list[tuple[str | None, tuple[str, ...]]] = field(default_factory=list)

    @property
    def shop_id(self) -> str:
        return SHOP

    @property
    def cache(self):  # type: ignore[no-untyped-def]
        return self.inner.cache  # type: ignore[attr-defined]

    def change_listing_status(self, action: str | None, product_ids: Sequence[str] = (),
                              cancel: threading.Event | None = None) -> StatusChangeResult:
        self.calls.append((action, tuple(product_ids)))
        results = []
        with self.cache.using("serial") as store:
            for p in product_ids:
                if p in self.refuse:
                    results.append(StatusResult(p, action or "", "failed", self.refuse[p]))
                    continue
                store.conn.execute("UPDATE products SET status = ? WHERE id = ?",
                                   (WANTED[action or ""][0], p))
                results.append(StatusResult(p, action or "", "done"))
            store.conn.commit()
        return StatusChangeResult(tuple(results), None, Changes.of(SHOP, products=1))


@pytest.fixture
def changing(session) -> ChangingSession:  # type: ignore[no-untyped-def]
    return ChangingSession(session)


def open_tab(qtbot: QtBot, session: ChangingSession, tasks: ImmediateTaskRunner,
             settings: Settings) -> ListingsTab:
    tab = ListingsTab(session, tasks, settings)  # type: ignore[arg-type]
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


@pytest.fixture
def tab(qtbot: QtBot, changing: ChangingSession, tasks: ImmediateTaskRunner,
        settings: Settings):  # type: ignore[no-untyped-def]
    opened = open_tab(qtbot, changing, tasks, settings)
    yield opened
    if opened.status_changes.results_box is not None:
        opened.status_changes.results_box.close()
    opened.shop_closing()


def select(tab: ListingsTab, *product_ids: str) -> None:
    selection = tab.table.selectionModel()
    selection.clearSelection()
    for p in product_ids:
        row = tab.model.row_of(p)
        assert row is not None
        selection.select(tab.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def status_of(tab: ListingsTab, product: str) -> str:
    row = tab.model.row_of(product)
    assert row is not None
    return tab.model.row(row).status_name


def confirm(tab: ListingsTab, monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[StatusPlan]:
    asked: list[StatusPlan] = []

    def ask(planned: StatusPlan) -> bool:
        asked.append(planned)
        return answer

    monkeypatch.setattr(tab.status_changes, "confirm_status_change", ask)
    return asked


def test_the_buttons_follow_a_selection_of_several_listings(tab: ListingsTab) -> None:
    buttons = (tab.status_changes.activate_button, tab.status_changes.deactivate_button)
    assert tab.table.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert [b.isEnabled() for b in buttons] == [False, False]
    select(tab, TEE, SCARF)
    assert sorted(tab.selected_product_ids()) == sorted([TEE, SCARF])
    assert [b.isEnabled() for b in buttons] == [True, True]
    assert [b.text() for b in buttons] == ["Activate…", "Deactivate…"]
    tab.table.clearSelection()
    assert [b.isEnabled() for b in buttons] == [False, False]


def test_deactivating_confirms_in_plain_words_then_shows_each_result_and_refreshes(
        tab: ListingsTab, changing: ChangingSession, monkeypatch: pytest.MonkeyPatch,
        qtbot: QtBot) -> None:
    asked = confirm(tab, monkeypatch, True)
    select(tab, TEE, HOODIE, SCARF, MUG)
    with qtbot.waitSignal(tab.listed):
        tab.status_changes.deactivate_button.click()
    [planned] = asked
    question, details = confirmation_text(planned)
    assert question == "Deactivate 2 listings?"
    assert "Buyers can't buy them from the moment they're deactivated" in details
    assert "• Cotton tee" in details and "• Hoodie" in details
    assert "Already deactivated, left as they are:<br>• Wool scarf" in details
    assert ("Can't be deactivated:<br>• Enamel mug: A frozen listing can't be deactivated: "
            "TikTok Shop froze it; see Seller Center.") in details
    assert changing.calls == [(DEACTIVATE, (TEE, HOODIE))]  # only those that can change
    box = tab.status_changes.results_box
    assert box is not None and box.isVisible()
    assert box.text() == "2 listings changed."
    assert "Cotton tee: Deactivated." in box.informativeText()
    assert status_of(tab, TEE) == status_of(tab, HOODIE) == "Deactivated by you"
    assert tab.filters.status_tabs.tabText(4) == "Deactivated by you (3)"


def test_activation_says_it_goes_through_review(tab: ListingsTab,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    asked = confirm(tab, monkeypatch, False)
    select(tab, SCARF, TEE)
    tab.status_changes.activate_button.click()
    question, details = confirmation_text(asked[0])
    assert question == "Activate 1 listing?"
    assert "TikTok Shop reviews each one first" in details
    assert "Already live or in review, left as they are:<br>• Cotton tee" in details


def test_cancelling_the_confirmation_changes_nothing(
        tab: ListingsTab, changing: ChangingSession, monkeypatch: pytest.MonkeyPatch) -> None:
    confirm(tab, monkeypatch, False)
    select(tab, TEE)
    tab.status_changes.deactivate_button.click()
    assert changing.calls == [] and status_of(tab, TEE) == "Live"
    assert tab.status_changes.results_box is None


def test_a_refusal_is_shown_with_its_reason(
        tab: ListingsTab, changing: ChangingSession, monkeypatch: pytest.MonkeyPatch) -> None:
    changing.refuse[HOODIE] = "TikTok Shop refused this change (product status is invalid)."
    confirm(tab, monkeypatch, True)
    select(tab, TEE, HOODIE)
    tab.status_changes.deactivate_button.click()
    box = tab.status_changes.results_box
    assert box is not None
    assert box.text() == "1 listing changed, 1 not changed (the reason is given for each)."
    assert ("Hoodie: not changed. TikTok Shop refused this change (product status is "
            "invalid).") in box.informativeText()
    assert status_of(tab, HOODIE) == "Live" and status_of(tab, TEE) == "Deactivated by you"


def test_nothing_to_change_sends_nothing(tab: ListingsTab, changing: ChangingSession,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    asked = confirm(tab, monkeypatch, True)
    select(tab, SCARF, MUG)
    tab.status_changes.deactivate_button.click()
    assert asked == [] and changing.calls == []


def test_changes_left_by_a_crash_are_finished_when_the_tab_opens(
        qtbot: QtBot, changing: ChangingSession, tasks: ImmediateTaskRunner,
        settings: Settings) -> None:
    with Store.open(changing.inner.store_path) as store:  # type: ignore[attr-defined]
        store.outbox.add(SHOP, LISTING_STATUS, TEE, DEACTIVATE)
        [item] = store.outbox.items(SHOP, kind=LISTING_STATUS)
        store.outbox.claim([item.id])  # sent when the app died: in doubt
    tab = open_tab(qtbot, changing, tasks, settings)
    assert changing.calls == [(None, ())]  # finish only: nothing new is asked for
    tab.shop_closing()


def test_nothing_left_over_means_no_request_at_the_opening(tab: ListingsTab,
                                                           changing: ChangingSession) -> None:
    assert changing.calls == []
