"""Which certificate authorities shipdesk trusts: the operating system's, through ``truststore``.

A warehouse's company proxy often inspects HTTPS with its own certificate authority, which IT puts in the
Windows certificate store (group policy), the macOS keychain or the Linux system bundle. Python's own
default (certifi's copy of the public authorities) knows nothing of it, so every call to UPS and Acumatica
would fail with "secure connection failed". With :func:`use_system_trust` a session checks certificates the
way the browsers on that PC do (Windows: CertGetCertificateChain; macOS: the Security framework; Linux:
OpenSSL's system paths, which ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` can change).

``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` keep working: requests hands the bundle to urllib3, which loads
it into this context, so its authorities are trusted in addition to the system's. certifi's bundle is not
(requests would load it too): what the PC's administrators removed from the system store stays untrusted.
"""

from __future__ import annotations

import ssl
from typing import Any

import requests
import truststore
from requests.adapters import HTTPAdapter


def system_trust_context() -> ssl.SSLContext:
    """A client TLS context that verifies against the OS trust store (hostname checked, TLS 1.2 at least)."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class SystemTrustAdapter(HTTPAdapter):
    """requests' adapter with the OS trust store, also for HTTPS tunnelled through a proxy (CONNECT)."""

    def __init__(self, **kwargs: Any) -> None:
        self._context = system_trust_context()  # before super(): it builds the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        super().cert_verify(conn, url, verify, cert)
        if verify is True:  # requests would load certifi's bundle into the context: the OS store decides alone
            conn.ca_certs = conn.ca_cert_dir = None


def use_system_trust(session: requests.Session) -> requests.Session:
    """Mount :class:`SystemTrustAdapter` for ``https://`` on ``session`` (returned for chaining)."""
    session.mount("https://", SystemTrustAdapter())
    return session


def system_trust_session() -> requests.Session:
    """A new ``requests.Session`` that trusts what the OS trusts (proxies from the environment, as requests)."""
    return use_system_trust(requests.Session())
