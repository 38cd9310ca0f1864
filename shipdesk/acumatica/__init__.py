"""Acumatica contract-based REST API: the client, its sign-in methods and the typed records."""

from shipdesk.acumatica.auth import CookieAuth, OAuthAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.errors import TrackingNotSaved

__all__ = ["AcumaticaClient", "CookieAuth", "OAuthAuth", "TrackingNotSaved"]
