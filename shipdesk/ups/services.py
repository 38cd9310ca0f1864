"""UPS service codes (Shipping API ``Service.Code``) and the names UPS gives them.

The codes an admin maps Acumatica Ship Vias to (``[ups.services]``). UPS may answer a rate shop with a
code not listed here; :func:`service_name` then falls back to the code itself.
"""

from __future__ import annotations

from enum import StrEnum


class ServiceCode(StrEnum):
    NEXT_DAY_AIR = "01"
    SECOND_DAY_AIR = "02"
    GROUND = "03"
    WORLDWIDE_EXPRESS = "07"
    WORLDWIDE_EXPEDITED = "08"
    STANDARD = "11"
    THREE_DAY_SELECT = "12"
    NEXT_DAY_AIR_SAVER = "13"
    NEXT_DAY_AIR_EARLY = "14"
    WORLDWIDE_EXPRESS_PLUS = "54"
    SECOND_DAY_AIR_AM = "59"
    WORLDWIDE_SAVER = "65"
    HEAVY_GOODS = "75"
    GROUND_SAVER = "93"

    @property
    def label(self) -> str:
        """UPS's name for the service ("UPS 2nd Day Air")."""
        return _NAMES[self]


_S = ServiceCode
_NAMES: dict[ServiceCode, str] = {
    _S.NEXT_DAY_AIR: "UPS Next Day Air", _S.SECOND_DAY_AIR: "UPS 2nd Day Air", _S.GROUND: "UPS Ground",
    _S.WORLDWIDE_EXPRESS: "UPS Worldwide Express", _S.WORLDWIDE_EXPEDITED: "UPS Worldwide Expedited",
    _S.STANDARD: "UPS Standard", _S.THREE_DAY_SELECT: "UPS 3 Day Select",
    _S.NEXT_DAY_AIR_SAVER: "UPS Next Day Air Saver", _S.NEXT_DAY_AIR_EARLY: "UPS Next Day Air Early",
    _S.WORLDWIDE_EXPRESS_PLUS: "UPS Worldwide Express Plus", _S.SECOND_DAY_AIR_AM: "UPS 2nd Day Air A.M.",
    _S.WORLDWIDE_SAVER: "UPS Worldwide Saver", _S.HEAVY_GOODS: "UPS Heavy Goods", _S.GROUND_SAVER: "UPS Ground Saver",
}


def known_service(code: str) -> ServiceCode | None:
    try:
        return ServiceCode(code.strip())
    except ValueError:
        return None


def service_name(code: str) -> str:
    """UPS's name for ``code``, or the code itself when shipdesk does not know it."""
    known = known_service(code)
    return known.label if known is not None else code
