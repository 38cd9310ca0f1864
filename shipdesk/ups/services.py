"""UPS service codes (Shipping API ``Service.Code``) with the names UPS gives them.

The codes an admin maps Acumatica Ship Vias to (``[ups.services]``). UPS may answer a rate shop with a
code not listed here; :func:`service_name` then falls back to the code itself.
"""

from __future__ import annotations

from enum import StrEnum


class ServiceCode(StrEnum):
    """``ServiceCode.GROUND == "03"``; ``ServiceCode.GROUND.label == "UPS Ground"``."""

    label: str

    def __new__(cls, code: str, label: str) -> ServiceCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    NEXT_DAY_AIR = "01", "UPS Next Day Air"
    SECOND_DAY_AIR = "02", "UPS 2nd Day Air"
    GROUND = "03", "UPS Ground"
    WORLDWIDE_EXPRESS = "07", "UPS Worldwide Express"
    WORLDWIDE_EXPEDITED = "08", "UPS Worldwide Expedited"
    STANDARD = "11", "UPS Standard"
    THREE_DAY_SELECT = "12", "UPS 3 Day Select"
    NEXT_DAY_AIR_SAVER = "13", "UPS Next Day Air Saver"
    NEXT_DAY_AIR_EARLY = "14", "UPS Next Day Air Early"
    WORLDWIDE_EXPRESS_PLUS = "54", "UPS Worldwide Express Plus"
    SECOND_DAY_AIR_AM = "59", "UPS 2nd Day Air A.M."
    WORLDWIDE_SAVER = "65", "UPS Worldwide Saver"
    HEAVY_GOODS = "75", "UPS Heavy Goods"
    GROUND_SAVER = "93", "UPS Ground Saver"


_BY_CODE = {service.value: service for service in ServiceCode}


def known_service(code: str) -> ServiceCode | None:
    return _BY_CODE.get(code.strip())


def service_name(code: str) -> str:
    """UPS's name for ``code``, or the code itself when shipdesk does not know it."""
    known = known_service(code)
    return known.label if known is not None else code
