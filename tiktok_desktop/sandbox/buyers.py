"""Buyers derived from one integer each: name, phone, address and ids without storing them.

The API masks what the seller may not see for TikTok-shipped orders (the name, the phone and
the street number); the shipping label shows the real thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .catalog import CITIES, FIRST_NAMES, LAST_NAMES, RETAIL_DELIVERY_FEE_CENTS, STREETS


def _mix(seed: int, salt: int) -> int:
    return ((seed ^ salt) * 2654435761 + salt * 40503) % 4294967296


@dataclass(frozen=True)
class Buyer:
    """Fields are computed on first use and kept (cached_property writes past `frozen`)."""

    seed: int

    @cached_property
    def first_name(self) -> str:
        return FIRST_NAMES[_mix(self.seed, 1) % len(FIRST_NAMES)]

    @cached_property
    def last_name(self) -> str:
        return LAST_NAMES[_mix(self.seed, 2) % len(LAST_NAMES)]

    @cached_property
    def city(self) -> tuple:
        return CITIES[_mix(self.seed, 3) % len(CITIES)]

    @cached_property
    def street_line(self) -> str:
        number = 10 + _mix(self.seed, 4) % 9890
        return f"{number} {STREETS[_mix(self.seed, 5) % len(STREETS)]}"

    @cached_property
    def apartment(self) -> str:
        n = _mix(self.seed, 6) % 10
        return f"Apt {n * 11 + 1}" if n < 3 else ""

    @cached_property
    def postal_code(self) -> str:
        return self.city[4] + str(_mix(self.seed, 7) % 100).zfill(2)

    @cached_property
    def phone(self) -> str:
        middle = str(200 + _mix(self.seed, 8) % 800)
        return f"(+1){self.city[5]}-{middle}-{str(_mix(self.seed, 9) % 10000).zfill(4)}"

    @cached_property
    def user_id(self) -> str:
        return "7494" + str(self.seed).zfill(14)

    @cached_property
    def email(self) -> str:
        return f"v{_mix(self.seed, 10):010d}{self.seed % 977:03d}@chat.seller.tiktok.com"

    @cached_property
    def nickname(self) -> str:
        return f"{self.first_name.lower()}{_mix(self.seed, 11) % 10000}"

    @cached_property
    def tax_rate(self) -> float:
        return self.city[6] / 10000

    @cached_property
    def retail_delivery_fee(self) -> int:
        return RETAIL_DELIVERY_FEE_CENTS.get(self.city[2], 0)

    def address_lines(self) -> list[str]:
        """Unmasked, as printed on the label."""
        city, _state, code = self.city[:3]
        lines = [f"{self.first_name} {self.last_name}", self.street_line]
        if self.apartment:
            lines.append(self.apartment)
        lines.append(f"{city}, {code} {self.postal_code}")
        return lines

    def address(self, *, masked: bool, with_districts: bool) -> dict:
        """`recipient_address` as the Open API returns it."""
        city, state, code, county = self.city[:4]
        first, last = self.first_name, self.last_name
        phone, street = self.phone, self.street_line
        if masked:
            first, last = first[0] + "***", last[0] + "***"
            phone = phone[:8] + "***" + phone[11:]
            number, rest = street.split(" ", 1)
            street = number[0] + "*" * (len(number) - 1) + " " + rest
        detail = f"{street} {self.apartment}".strip()
        full = f"{detail}, {city}, {state}, {self.postal_code}, United States"
        districts = [
            {"address_level": "L0", "address_level_name": "Country",
             "address_name": "United States", "iso_code": "US"},
            {"address_level": "L1", "address_level_name": "State", "address_name": state,
             "iso_code": f"US-{code}"},
            {"address_level": "L2", "address_level_name": "County", "address_name": county},
            {"address_level": "L3", "address_level_name": "City", "address_name": city},
        ]
        return {
            "name": f"{first} {last}",
            "first_name": first,
            "last_name": last,
            "phone_number": phone,
            "full_address": full,
            "address_detail": detail,
            "address_line1": street,
            "address_line2": self.apartment,
            "address_line3": "",
            "address_line4": "",
            "postal_code": self.postal_code,
            "region_code": "US",
            "district_info": districts if with_districts else [],
            "delivery_preferences": {"drop_off_location": ""},
        }
