"""Sealing the UPS token for a store: Fernet with a key derived from the UPS client secret.

HKDF-SHA256 turns the client secret into a 32-byte Fernet key, salted with the client id and bound to the
shipper account: every station configured with the same UPS app derives the same key, and anyone holding
only the store (a copied data folder, the shared database, a backup) cannot read the token. A store
sealed under another secret (the secret was changed) simply does not unseal: the manager asks UPS anew.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shipdesk.ups.token_store import CachedToken

_INFO = b"shipdesk ups token v1|"


class TokenSeal:
    def __init__(self, *, client_id: str, client_secret: str, account_number: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=client_id.encode("utf-8"),
                   info=_INFO + account_number.upper().encode("utf-8")).derive(client_secret.encode("utf-8"))
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def __repr__(self) -> str:
        return "TokenSeal(<derived key>)"

    def seal(self, token: CachedToken) -> str:
        return self._fernet.encrypt(json.dumps(asdict(token)).encode("utf-8")).decode("ascii")

    def unseal(self, sealed: str) -> CachedToken | None:
        """The token, or None when it was sealed under another key or is damaged."""
        try:
            return CachedToken(**json.loads(self._fernet.decrypt(sealed.encode("ascii"))))
        except (InvalidToken, ValueError, TypeError):
            return None
