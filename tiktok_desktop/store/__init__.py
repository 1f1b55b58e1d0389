"""The local cache: one SQLite file per user (no Qt, no HTTP). See database.Store."""

from tiktok_desktop.store.audit import AuditEntry
from tiktok_desktop.store.catalog import DetailsWanted, StockRow, Warehouse
from tiktok_desktop.store.changes import Changes
from tiktok_desktop.store.database import Store, cache_exists, default_path, delete_cache
from tiktok_desktop.store.finance import OrderEarnings, StatementRow, Transaction
from tiktok_desktop.store.listings import ListingDetail, ListingQuery, ListingRow, PriceRow
from tiktok_desktop.store.orders import (
    SORT_COLUMNS,
    STATUS_FILTERS,
    LineGroup,
    OrderDetail,
    OrderQuery,
    OrderRow,
    PackageInfo,
)
from tiktok_desktop.store.outbox import Edit, OutboxItem, stock_target
from tiktok_desktop.store.pages import RESOURCES, PreparedPage, prepare_page
from tiktok_desktop.store.rescue import LostEdit, RescueReport, is_damaged, rescue_cache
from tiktok_desktop.store.shops import ShopInfo

__all__ = [
    "RESOURCES",
    "SORT_COLUMNS",
    "STATUS_FILTERS",
    "AuditEntry",
    "Changes",
    "DetailsWanted",
    "Edit",
    "LineGroup",
    "ListingDetail",
    "ListingQuery",
    "ListingRow",
    "LostEdit",
    "OrderDetail",
    "OrderEarnings",
    "OrderQuery",
    "OrderRow",
    "OutboxItem",
    "PackageInfo",
    "PreparedPage",
    "PriceRow",
    "RescueReport",
    "ShopInfo",
    "StatementRow",
    "StockRow",
    "Store",
    "Transaction",
    "Warehouse",
    "cache_exists",
    "default_path",
    "delete_cache",
    "is_damaged",
    "prepare_page",
    "rescue_cache",
    "stock_target",
]
