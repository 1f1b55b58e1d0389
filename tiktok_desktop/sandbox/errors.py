"""Error codes the demo shop answers with, and the exception handlers raise to refuse a request.

Codes and messages follow the reference (§5.2 and the endpoint tables). Where the reference has no
code for a situation (e.g. shipping a package twice), the shop answers with the generic
`36009004 invalid param error`, which is what the docs use for most endpoint validation.
"""

from __future__ import annotations

# Gateway (common) errors.
INVALID = 36009004
SIGN_INVALID = 106001
TOKEN_EXPIRED = 105002
SCOPE_MISSING = 105005
CIPHER_MISSING = 106013
NOT_AUTHORIZED = 101000
TOO_MANY_REQUESTS = 36009002
INTERNAL_ERROR = 36009003
REQUEST_TIMEOUT = 36009007
UNKNOWN_PATH = 36009009
WRONG_METHOD = 36009010
BAD_FORMAT = 36009022

# Token host.
AUTH_CODE_INVALID = 36004004
AUTH_RECORD_MISSING = 36004005
REFRESH_EXPIRED = 36004001

# Endpoint errors.
PRODUCT_NOT_FOUND = 12019150
PRODUCT_MISSING = 12052032
PRODUCT_STATUS_INVALID = 12019113
PRICE_LOCKED = 12019045
STOCK_INVALID = 12019024
WAREHOUSES_INCOMPLETE = 12019028
TOO_MANY_PRODUCT_IDS = 12019120
SKU_FILTER_LIMIT = 12019027
SKU_ID_FILTER_LIMIT = 12019087
CATEGORY_MISSING = 12052023
CATEGORY_NOT_LEAF = 12052024
NOT_YOUR_ORDER = 21008111
NO_PLATFORM_LABEL = 11034002
NOT_ARRANGED = 21023035
PICKED_UP = 21042102


class ApiFailure(Exception):
    """A refusal: becomes the envelope `{code, message, request_id, data: null}` with `status`."""

    def __init__(self, code: int, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def invalid_param(detail: str) -> ApiFailure:
    return ApiFailure(INVALID, f"invalid param error: {detail}", 400)


def not_found(code: int, what: str) -> ApiFailure:
    return ApiFailure(code, what, 404)


def item_error(code: int, message: str, **detail: object) -> dict:
    """One entry of a batch endpoint's `errors[]`."""
    return {"code": code, "message": message, "detail": detail}
