"""Products (listings): search, detail, price, status, stock, catalog (reference §7.4, §8.2)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypedDict, cast

from tiktok_desktop.api._resource import ShopResource, chunked, present
from tiktok_desktop.api.paging import ItemError, ItemErrors, Page, item_errors, iter_pages

STATUS_IDS_PER_CALL = 20  # activate / deactivate
INVENTORY_PRODUCT_IDS_PER_CALL = 100
INVENTORY_SKU_IDS_PER_CALL = 600
MAX_STOCK = 99_999  # per SKU and warehouse (reference §7.4)


class SkuPriceRead(TypedDict, total=False):
    """A SKU's price as reads return it (there is no `amount` in a read)."""

    currency: str
    sale_price: str
    tax_exclusive_price: str
    unit_price: str


class WarehouseStock(TypedDict, total=False):
    warehouse_id: str
    quantity: int
    backorder_quantity: int
    handling_time: int


class Sku(TypedDict, total=False):
    id: str
    seller_sku: str
    price: SkuPriceRead
    inventory: list[WarehouseStock]
    sales_attributes: list[dict[str, object]]
    identifier_code: dict[str, str]
    external_sku_id: str
    list_price: dict[str, str]
    external_list_prices: list[dict[str, object]]
    pre_sale: dict[str, object]
    fees: list[dict[str, object]]
    combined_skus: list[dict[str, object]]
    status_info: dict[str, str]


class ProductSummary(TypedDict, total=False):
    """A product as Search Products returns it."""

    id: str
    title: str
    status: str  # DRAFT, PENDING, FAILED, ACTIVATE, SELLER_DEACTIVATED, …
    create_time: int
    update_time: int
    sales_regions: list[str]
    skus: list[Sku]
    recommended_categories: list[dict[str, object]]
    product_sync_fail_reasons: list[str]
    audit: dict[str, object]
    has_draft: bool
    listing_quality_tier: str


class Product(TypedDict, total=False):
    """A product as Get Product returns it."""

    id: str
    title: str
    description: str
    status: str
    product_status: str
    create_time: int
    update_time: int
    category_chains: list[dict[str, object]]
    brand: dict[str, str]
    main_images: list[dict[str, object]]
    video: dict[str, object]
    package_weight: dict[str, str]
    package_dimensions: dict[str, str]
    product_attributes: list[dict[str, object]]
    certifications: list[dict[str, object]]
    size_chart: dict[str, object]
    delivery_options: list[dict[str, object]]
    external_product_id: str
    is_cod_allowed: bool
    is_not_for_sale: bool
    has_draft: bool
    audit: dict[str, object]
    audit_failed_reasons: list[dict[str, object]]
    recommended_categories: list[dict[str, object]]
    shipping_insurance_requirement: str
    minimum_order_quantity: int
    product_types: list[str]
    listing_quality_tier: str
    global_product_association: dict[str, object]
    skus: list[Sku]


class ProductFilters(TypedDict, total=False):
    status: str
    seller_skus: list[str]
    create_time_ge: int
    create_time_le: int
    update_time_ge: int
    update_time_le: int


class NewPrice(TypedDict, total=False):
    amount: str  # decimal string in major units
    currency: str
    sale_price: str  # cross-border sellers only


class SkuPriceUpdate(TypedDict, total=False):
    id: str
    price: NewPrice
    list_price: dict[str, str]
    external_list_prices: list[dict[str, object]]


class SkuStockUpdate(TypedDict, total=False):
    """Every warehouse of the SKU must be listed (error 12019028 otherwise)."""

    id: str
    inventory: list[WarehouseStock]


class WarehouseInventory(TypedDict, total=False):
    warehouse_id: str
    available_quantity: int
    committed_quantity: int


class SkuInventory(TypedDict, total=False):
    id: str
    seller_sku: str
    total_available_quantity: int
    total_committed_quantity: int
    warehouse_inventory: list[WarehouseInventory]
    total_available_inventory_distribution: dict[str, object]


class ProductInventory(TypedDict, total=False):
    product_id: str
    skus: list[SkuInventory]


class Category(TypedDict, total=False):
    id: str
    parent_id: str  # "0" for a root
    local_name: str
    is_leaf: bool
    permission_statuses: list[str]


class Brand(TypedDict, total=False):
    id: str
    name: str
    authorized_status: str
    brand_status: str
    is_t1_brand: bool


class Attribute(TypedDict, total=False):
    id: str
    name: str
    type: str  # SALES_PROPERTY | PRODUCT_PROPERTY
    is_requried: bool  # (sic) the API's spelling
    is_multiple_selection: bool
    is_customizable: bool
    values: list[dict[str, str]]
    requirement_conditions: list[dict[str, object]]
    value_data_format: str


class Products(ShopResource):
    """A shop's listings and their stock."""

    def search_page(
        self,
        filters: ProductFilters | None = None,
        *,
        page_size: int = 100,
        page_token: str | None = None,
        category_version: str | None = None,
    ) -> Page[ProductSummary]:
        return self._search_page(
            "/product/202309/products/search", "products", filters,
            page_size=page_size, page_token=page_token, category_version=category_version,
        )

    def iter_pages(
        self,
        filters: ProductFilters | None = None,
        *,
        page_size: int = 100,
        page_token: str | None = None,
    ) -> Iterator[Page[ProductSummary]]:
        """Every page from `page_token` (None: the first) to the last."""
        return iter_pages(
            lambda token: self.search_page(filters, page_size=page_size, page_token=token),
            page_token,
        )

    def get(self, product_id: str, *, locale: str | None = None) -> Product:
        data = self._call(
            "GET", f"/product/202309/products/{product_id}", query=present(locale=locale)
        )
        return cast(Product, data)

    def update_price(self, product_id: str, skus: list[SkuPriceUpdate], *,
                     retry_safe: bool = True) -> ItemErrors:
        """Set SKU prices (the listing must be live: status ACTIVATE, and no SKU in a
        promotion); the answer is empty, so no per-item errors — just its `request_id`.

        Absolute prices make a repeat harmless by default; a caller that settles a lost answer
        by reading the price back (the price pusher: a repeat landing after the seller changed
        the price elsewhere would undo that) passes `retry_safe=False`.
        """
        answer = self._call_with_meta(
            "POST",
            f"/product/202309/products/{product_id}/prices/update",
            body={"skus": skus},
            retry_safe=retry_safe,
        )
        return ItemErrors(item_errors(answer.data), answer.request_id)

    def activate(
        self, product_ids: Iterable[str], *, listing_platforms: list[str] | None = None,
        retry_safe: bool = True,
    ) -> list[ItemError]:
        """Put listings live (they pass PENDING first); returns the products that failed.
        A caller that settles a lost answer by reading the products' status passes
        `retry_safe=False`, as for update_inventory."""
        return self._set_status("activate", product_ids, listing_platforms, retry_safe)

    def deactivate(self, product_ids: Iterable[str], *,
                   retry_safe: bool = True) -> list[ItemError]:
        """Take listings off sale (SELLER_DEACTIVATED); returns the products that failed."""
        return self._set_status("deactivate", product_ids, None, retry_safe)

    def _set_status(
        self, action: str, product_ids: Iterable[str], listing_platforms: list[str] | None,
        retry_safe: bool,
    ) -> list[ItemError]:
        errors: list[ItemError] = []
        for chunk in chunked(product_ids, STATUS_IDS_PER_CALL):
            data = self._call(
                "POST",
                f"/product/202309/products/{action}",
                body=present(product_ids=chunk, listing_platforms=listing_platforms),
                retry_safe=retry_safe,
            )
            errors.extend(item_errors(data))
        return errors

    def update_inventory(self, product_id: str, skus: list[SkuStockUpdate], *,
                         retry_safe: bool = True) -> ItemErrors:
        """Set stock for SKUs of one product, every warehouse of each SKU; returns SKU errors
        (with the answer's `request_id`).

        Absolute quantities make a repeat harmless by default; but a repeat landing after an
        order took stock would put the units back, so a caller that settles a lost answer by
        checking the shop's stock (the stock pusher) passes `retry_safe=False`.
        """
        answer = self._call_with_meta(
            "POST",
            f"/product/202309/products/{product_id}/inventory/update",
            body={"skus": skus},
            retry_safe=retry_safe,
        )
        return ItemErrors(item_errors(answer.data), answer.request_id)

    def inventory_search(
        self, *, product_ids: Iterable[str] | None = None, sku_ids: Iterable[str] | None = None
    ) -> list[ProductInventory]:
        """Stock per warehouse, by product ids or by SKU ids (not both)."""
        if (product_ids is None) == (sku_ids is None):
            raise ValueError("give product_ids or sku_ids")
        field, ids, size = (
            ("sku_ids", sku_ids, INVENTORY_SKU_IDS_PER_CALL)
            if sku_ids is not None
            else ("product_ids", product_ids, INVENTORY_PRODUCT_IDS_PER_CALL)
        )
        inventory: list[ProductInventory] = []
        for chunk in chunked(ids or (), size):
            data = self._call(
                "POST", "/product/202309/inventory/search", body={field: chunk}, retry_safe=True
            )
            inventory.extend(data.get("inventory") or [])
        return inventory

    def categories(
        self,
        *,
        locale: str | None = None,
        keyword: str | None = None,
        category_version: str | None = None,
        listing_platform: str | None = None,
        include_prohibited_categories: bool | None = None,
    ) -> list[Category]:
        """The whole category tree as a flat list (no paging)."""
        data = self._call(
            "GET",
            "/product/202309/categories",
            query=present(
                locale=locale, keyword=keyword, category_version=category_version,
                listing_platform=listing_platform,
                include_prohibited_categories=include_prohibited_categories,
            ),
        )
        return list(data.get("categories") or [])

    def brands_page(
        self,
        *,
        page_size: int = 100,
        page_token: str | None = None,
        category_id: str | None = None,
        brand_name: str | None = None,
        is_authorized: bool | None = None,
        category_version: str | None = None,
    ) -> Page[Brand]:
        data = self._call(
            "GET",
            "/product/202309/brands",
            query=present(
                page_size=page_size, page_token=page_token, category_id=category_id,
                brand_name=brand_name, category_version=category_version,
                is_authorized=None if is_authorized is None else int(is_authorized),
            ),
        )
        return Page.from_data(data, "brands")

    def attributes(
        self, category_id: str, *, category_version: str | None = None, locale: str | None = None
    ) -> list[Attribute]:
        data = self._call(
            "GET",
            f"/product/202309/categories/{category_id}/attributes",
            query=present(category_version=category_version, locale=locale),
        )
        return list(data.get("attributes") or [])
