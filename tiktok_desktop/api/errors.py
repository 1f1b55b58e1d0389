"""Typed API errors a UI can turn into plain words (reference §5).

The gateway reuses `36009004` for unrelated problems, so the mapping looks at the code *and* at
keywords of the message. HTTP status only decides when the code says nothing (reference §5.1).
"""

from __future__ import annotations

from typing import Any

# Client-side failures that never reached an answer from TikTok Shop carry this code.
NO_ANSWER = -1


class ApiError(Exception):
    """An error answered by TikTok Shop (or a failure to get an answer at all)."""

    plain = "TikTok Shop refused this request."

    def __init__(
        self,
        code: int,
        message: str,
        request_id: str = "",
        http_status: int | None = None,
        *,
        plain: str | None = None,
    ) -> None:
        super().__init__(code, message, request_id, http_status)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        if plain is not None:
            self.plain = plain

    def __str__(self) -> str:
        where = f", request {self.request_id}" if self.request_id else ""
        return f"{self.message} (code {self.code}{where})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled across from the sync's own process: the same class with every attribute
        # (its plain words too), without calling __init__, whose signature differs per class.
        return (_restore, (type(self), self.args, self.__dict__))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code}, message={self.message!r}, "
            f"request_id={self.request_id!r}, http_status={self.http_status})"
        )


class TokenExpiredError(ApiError):
    plain = "The connection to your TikTok Shop has expired and must be renewed."


class InvalidTokenError(ApiError):
    plain = "This app is no longer connected to your TikTok Shop; please sign in again."


class AuthorizationDeniedError(ApiError):
    plain = "The shop did not approve the connection to this app."


class ScopeMissingError(ApiError):
    plain = (
        "Your shop has not given this app permission for this action; sign in again and approve "
        "all requested permissions."
    )


class SignatureError(ApiError):
    plain = "TikTok Shop did not accept this app's key or secret; check the app's credentials."


class ShopCipherError(ApiError):
    plain = "The request did not identify your shop correctly; choose the shop again."


class RateLimitedError(ApiError):
    plain = "TikTok Shop asked the app to slow down; it will try again in a moment."

    def __init__(
        self,
        code: int,
        message: str,
        request_id: str = "",
        http_status: int | None = None,
        *,
        plain: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(code, message, request_id, http_status, plain=plain)
        self.retry_after = retry_after  # seconds the server asked us to wait, if it said


class NotFoundError(ApiError):
    plain = "TikTok Shop could not find that order, listing or package."


class InvalidParameterError(ApiError):
    plain = "TikTok Shop did not accept a value in this request."


class ServerError(ApiError):
    plain = "TikTok Shop had a problem on its side; try again in a moment."


class NetworkError(ApiError):
    plain = "Could not reach TikTok Shop; check the internet connection."

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(NO_ANSWER, message)
        self.timed_out = timed_out


# Errors that asking again will not fix: the seller must sign in again (or approve more).
# Sync and push stop at once on these and keep everything they have not sent.
NEEDS_SIGN_IN: tuple[type[ApiError], ...] = (
    InvalidTokenError, TokenExpiredError, AuthorizationDeniedError, ScopeMissingError,
    SignatureError, ShopCipherError,
)

_BY_CODE: dict[int, type[ApiError]] = {
    105002: TokenExpiredError,
    101000: InvalidTokenError,
    36004001: InvalidTokenError,  # token host: refresh token has expired
    36004004: InvalidTokenError,  # token host: invalid auth code
    36004005: InvalidTokenError,  # token host: no such authorization
    105005: ScopeMissingError,
    106001: SignatureError,
    106013: ShopCipherError,
    36009002: RateLimitedError,
    36009009: NotFoundError,
    12019150: NotFoundError,  # product id does not exist
    12052032: NotFoundError,  # product does not exist
    21008111: NotFoundError,  # order or package does not belong to this seller
    98001004: InvalidParameterError,
    36009022: InvalidParameterError,
    36009023: InvalidParameterError,
    36009003: ServerError,
    36009007: ServerError,
    10002014: ServerError,  # "Failed to get orders…" (retryable per docs)
    10002015: ServerError,
    10037002: ServerError,
    10037003: ServerError,
    10037004: ServerError,
}

_PLAIN_BY_CODE: dict[int, str] = {
    36004001: "The connection to your TikTok Shop has ended; please sign in again.",
    36004004: "The sign-in code was not accepted (it expires after 30 minutes and works once); "
    "please sign in again.",
    36004005: "TikTok Shop has no record of this sign-in; please sign in again.",
    36009033: "TikTok Shop refused this computer's IP address for this app.",
    36009037: "The development shop's hourly request quota is used up; try again within the hour.",
    36009043: "This shop is deactivated on TikTok Shop.",
    36009044: "This seller account is deactivated on TikTok Shop.",
    21008106: "This action is not available in your shop's region.",
    11034002: "TikTok has no label for this package: it is shipped by the seller.",
    11034037: "TikTok Shop is still making this label; try again in a minute.",
    21023035: "Arrange shipment for this package first: its label exists only after that.",
    21042102: "This package was already picked up, so TikTok Shop no longer gives its label; "
    "reprint the copy saved on this computer.",
    12019113: "The listing must be live (active) before its price can be changed.",
    12019045: "The price is locked by a running promotion.",
    12019028: "Stock must be given for every warehouse of the item.",
}

# Product validation errors share a prefix (12019xxx, 12052xxx).
_VALIDATION_PREFIXES = ("12019", "12052")


def _classify_36009004(message: str) -> tuple[type[ApiError], str | None]:
    """The docs reuse 36009004 for unrelated errors: tell them apart by the message."""
    text = message.lower()
    if "unexpected identifier" in text or "shop_cipher" in text or "shop_id" in text:
        return ShopCipherError, None
    if "access-token" in text or "access_token" in text:
        return InvalidTokenError, None
    if "app_key" in text or "app_secret" in text or "signature" in text:
        return SignatureError, None
    if "timestamp" in text:
        return InvalidParameterError, (
            "This computer's clock is wrong; set it to the correct time and try again."
        )
    return InvalidParameterError, None


def error_for(
    code: int,
    message: str,
    request_id: str = "",
    http_status: int | None = None,
    *,
    retry_after: float | None = None,
) -> ApiError:
    """The typed error for an envelope's `code` and `message`."""
    plain = _PLAIN_BY_CODE.get(code)
    if code == 36009004:
        cls, plain = _classify_36009004(message)
    elif code in _BY_CODE:
        cls = _BY_CODE[code]
    elif str(code).startswith(_VALIDATION_PREFIXES):
        cls = InvalidParameterError
    elif http_status == 429:
        cls = RateLimitedError
    elif http_status == 404:
        cls = NotFoundError
    elif http_status is not None and http_status >= 500:
        cls = ServerError
    else:
        cls = ApiError
    if cls is RateLimitedError:
        return RateLimitedError(
            code, message, request_id, http_status, plain=plain, retry_after=retry_after
        )
    return cls(code, message, request_id, http_status, plain=plain)


def _restore(cls: type[ApiError], args: tuple[Any, ...], state: dict[str, Any]) -> ApiError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error
