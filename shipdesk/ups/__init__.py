"""The UPS REST client: OAuth token cache, ship/void/label recovery, rate, address validation,
track and Track Alert."""

from shipdesk.ups.auth import TokenManager
from shipdesk.ups.client import UpsClient
from shipdesk.ups.tracking_number import is_valid_1z

__all__ = ["TokenManager", "UpsClient", "is_valid_1z"]
