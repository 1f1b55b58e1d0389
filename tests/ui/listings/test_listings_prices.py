"""The price table in the Listings tab: the listings shown, one row per SKU, edited like the
stock table — typed, pasted, bulk operations, undo and redo, review — and written to the
outbox (over the small cached shop, synchronous runner)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from tiktok_desktop.services.price_edits import open_edits
from tiktok_desktop.store.listings import status_name
from tiktok_desktop.ui.editing.review_dialog import ReviewDialog
from tiktok_desktop.ui.listings import ListingsTab
from tiktok_desktop.ui.listings.price_model import LISTING, NEW, PRICE, SELLER_SKU, STATUS
from tiktok_desktop.ui.listings.prices import PricesView

QUIET = settings(max_examples=40, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


def open_prices(tab: ListingsTab) -> PricesView:
    tab.price_toggle.setChecked(True)
    return tab.prices


def row(view: PricesView, seller_sku: str) -> int:
    return next(r for r in range(view.model.rowCount())
                if view.model.cell(r).seller_sku == seller_sku)


def select(view: PricesView, rows: list[int]) -> None:
    chosen = view.table.selectionModel()
    flag = chosen.SelectionFlag
    chosen.setCurrentIndex(view.model.index(rows[0], NEW), flag.ClearAndSelect)
    for r in rows[1:]:
        chosen.select(view.model.index(r, NEW), flag.Select)


def outbox(view: PricesView) -> dict[str, Decimal]:
    store = view.editor.session.cache.gui()
    return {sku: e.new for sku, e in open_edits(store, view.shop_id).items()}


def text(view: PricesView, seller_sku: str, column: int) -> str:
    return view.model.index(row(view, seller_sku), column).data()


def test_the_price_table_lists_every_sku_of_the_listings_shown(tab: ListingsTab) -> None:
    view = open_prices(tab)
    assert tab.views.currentWidget() is view
    assert not tab.status_changes.activate_button.isVisible()
    skus = [view.model.cell(r).seller_sku for r in range(view.model.rowCount())]
    assert set(skus) == {"TEE-BLK-M", "TEE-BLK-L", "HOOD-GRY-M", "BEAN-RED", "CASE-GLT-15",
                         "SCARF-GRN", "CANDLE-SAGE", "MUG-WHT", "SOCK-3PK"}  # not the deleted
    assert text(view, "TEE-BLK-M", PRICE) == "12.50 GBP"
    assert text(view, "BEAN-RED", LISTING) == status_name("PENDING") == "In review"
    tab.filters.set_status("Live")
    assert {view.model.cell(r).seller_sku for r in range(view.model.rowCount())} == {
        "TEE-BLK-M", "TEE-BLK-L", "HOOD-GRY-M"}
    assert tab.edit_actions()["set"] is view.edit_actions["set"]  # the Edit menu's items too


def test_a_typed_price_is_shown_at_once_written_to_the_outbox_and_undone(
        tab: ListingsTab) -> None:
    view = open_prices(tab)
    index = view.model.index(row(view, "TEE-BLK-M"), NEW)
    assert view.model.setData(index, "£13.99")
    assert text(view, "TEE-BLK-M", NEW) == "12.50 → 13.99"
    assert text(view, "TEE-BLK-M", STATUS) == "Not pushed yet"
    sku = view.model.cell(index.row()).sku_id
    assert outbox(view) == {sku: Decimal("13.99")}
    assert view.editor.push_button.text() == "Push 1"
    view.editor.undo_action.trigger()
    assert text(view, "TEE-BLK-M", NEW) == "" and outbox(view) == {}
    view.editor.redo_action.trigger()
    assert outbox(view) == {sku: Decimal("13.99")}


def test_a_price_the_shop_would_refuse_is_not_taken_and_says_why(tab: ListingsTab) -> None:
    view = open_prices(tab)
    index = view.model.index(row(view, "TEE-BLK-M"), NEW)
    assert not view.model.setData(index, "12.999")
    assert view.editor.banner.text() == ("TEE-BLK-M: GBP prices have at most 2 decimals: "
                                         "“12.999” has more.")
    assert outbox(view) == {}


def test_bulk_operations_change_the_selection_or_refuse_whole(tab: ListingsTab) -> None:
    view = open_prices(tab)
    tee_m, tee_l, hood = (row(view, s) for s in ("TEE-BLK-M", "TEE-BLK-L", "HOOD-GRY-M"))
    select(view, [tee_m, tee_l, hood])
    assert view.price_actions.raise_by_percent(view.price_actions.selected_cells(), "10") == 3
    assert [text(view, s, NEW) for s in ("TEE-BLK-M", "TEE-BLK-L", "HOOD-GRY-M")] == [
        "12.50 → 13.75", "14.00 → 15.40", "30.00 → 33.00"]
    assert view.price_actions.end_in_99() == 3
    assert sorted(outbox(view).values()) == [Decimal("13.99"), Decimal("14.99"),
                                             Decimal("32.99")]
    assert view.price_actions.raise_by(view.price_actions.selected_cells(), "-14.00") == 0
    assert "would leave 1 row at 0 or less (TEE-BLK-M)" in view.editor.banner.text()
    assert sorted(outbox(view).values())[0] == Decimal("13.99")  # nothing half applied
    view.editor.undo_action.trigger()  # the .99 step
    assert sorted(outbox(view).values()) == [Decimal("13.75"), Decimal("15.40"),
                                             Decimal("33.00")]


def test_a_pasted_column_fills_the_rows_from_the_selected_one(tab: ListingsTab) -> None:
    view = open_prices(tab)
    tab.filters.set_status("Live")
    view.table.sortByColumn(SELLER_SKU, Qt.SortOrder.AscendingOrder)
    assert [view.model.cell(r).seller_sku for r in range(3)] == [
        "HOOD-GRY-M", "TEE-BLK-L", "TEE-BLK-M"]
    select(view, [0])
    assert view.price_actions.paste_text("29.00\n\n15.50\n") == 2
    assert [text(view, s, NEW) for s in ("HOOD-GRY-M", "TEE-BLK-L", "TEE-BLK-M")] == [
        "30.00 → 29.00", "", "12.50 → 15.50"]  # an empty line leaves its row alone
    assert view.price_actions.paste_text("1\n2\n3\n4\n") == 0
    assert "4 prices were copied but only 3 rows" in view.editor.banner.text()


def test_the_review_highlights_a_large_drop_and_a_listing_not_live(tab: ListingsTab) -> None:
    view = open_prices(tab)
    for seller_sku, price in (("HOOD-GRY-M", "15.00"), ("BEAN-RED", "9.49")):
        view.model.setData(view.model.index(row(view, seller_sku), NEW), price)
    view.editor.push_or_review()  # a change to look at twice: the review opens, nothing sent
    dialog = view.editor.dialog
    assert isinstance(dialog, ReviewDialog)
    checks = {dialog.model.index(r, 2).data(): dialog.model.index(r, 6).data()
              for r in range(dialog.model.rowCount())}
    assert checks == {"HOOD-GRY-M": "Large drop: down 50% from 30.00.",
                      "BEAN-RED": "Not live (In review): TikTok Shop will refuse it."}
    assert dialog.headline.text() == "<b>2 prices will change: 2 SKUs in 2 products.</b>"


@QUIET
@given(st.lists(st.one_of(
    st.tuples(st.just("type"), st.integers(0, 2), st.integers(1, 99_999)),
    st.tuples(st.just("percent"), st.integers(-50, 50).filter(bool)),
    st.tuples(st.just("undo")), st.tuples(st.just("redo"))), max_size=12))
def test_edits_undos_and_redos_end_where_the_undo_stack_says(tab: ListingsTab,
                                                             steps: list[tuple]) -> None:
    """Whatever the sequence, the table and the outbox show the state of the last step done:
    the same as replaying the done steps alone on a fresh table."""
    view = open_prices(tab)
    stack = view.editor.editing.undo_stack
    stack.clear()
    view.editor.session.cache.gui().conn.execute("DELETE FROM outbox")
    tab.filters.set_status("Live")
    view.show_products([])
    tab.reload()
    skus = ("TEE-BLK-M", "TEE-BLK-L", "HOOD-GRY-M")
    done: list[tuple] = []  # the steps in effect, as the undo stack holds them
    undone: list[tuple] = []
    for step in steps:
        if step[0] == "undo":
            if stack.canUndo():
                stack.undo()
                undone.append(done.pop())
            continue
        if step[0] == "redo":
            if stack.canRedo():
                stack.redo()
                done.append(undone.pop())
            continue
        before = stack.index()
        if step[0] == "type":
            view.model.setData(view.model.index(row(view, skus[step[1]]), NEW),
                               f"{Decimal(step[2]) / 100:.2f}")
        else:
            select(view, [row(view, s) for s in skus])
            view.price_actions.raise_by_percent(view.price_actions.selected_cells(),
                                                str(step[1]))
        if stack.index() == before + 1:  # a step was made (not one that changed nothing)
            done.append(step)
            undone.clear()
    expected = {s: view.model.cell(row(view, s)).available for s in skus}
    for step in done:  # replay: what the done steps make of the shop's prices
        if step[0] == "type":
            expected[skus[step[1]]] = Decimal(step[2]) / 100
        else:
            for s in skus:
                expected[s] = (expected[s] * (1 + Decimal(step[1]) / 100)).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP)
    shown = {s: view.model.cell(row(view, s)).current for s in skus}
    assert shown == expected
    written = outbox(view)
    ids = {s: view.model.cell(row(view, s)).sku_id for s in skus}
    for s in skus:
        shop = view.model.cell(row(view, s)).available
        assert written.get(ids[s], shop) == expected[s]
