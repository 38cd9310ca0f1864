"""One running shipdesk per data folder: a second launch brings the first window forward and exits.

Two windows on one data folder would share one store and one label archive, and a second demo launch
reset the demo data under the first one's feet. The first launch listens on a local socket (a named pipe on
Windows) whose name is made from the data folder; a later launch that can connect to it says "show
yourself" and exits instead of starting. A socket left by a crashed launch is removed before listening.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_MS = 500
SHOW = b"show\n"


def server_name(data_folder: Path) -> str:
    """A name for the local socket of ``data_folder`` (the same folder always gives the same name)."""
    digest = hashlib.sha256(str(data_folder.resolve()).encode()).hexdigest()[:16]
    return f"shipdesk-{digest}"


def ask_running_copy_to_show(data_folder: Path) -> bool:
    """True when shipdesk already runs on ``data_folder`` (and was asked to bring its window forward)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_folder))
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(SHOW)
    socket.flush()
    socket.waitForBytesWritten(CONNECT_MS)
    socket.disconnectFromServer()
    return True


class SingleInstance(QObject):
    """Listens for later launches on ``data_folder``; ``show_window`` runs when one asks."""

    def __init__(self, data_folder: Path, show_window: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show = show_window
        self.server = QLocalServer(self)
        name = server_name(data_folder)
        if not self.server.listen(name):  # left over from a launch that crashed: nobody answered on it
            QLocalServer.removeServer(name)
            if not self.server.listen(name):
                log.warning("cannot listen for other launches (%s): a second copy would not be stopped",
                            self.server.errorString())
        self.server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(SHOW.strip()):
            log.info("another launch on this data folder: bringing the window forward")
            self._show()

    def close(self) -> None:
        self.server.close()
