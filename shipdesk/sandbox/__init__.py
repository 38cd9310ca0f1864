"""Local stand-ins for Acumatica and UPS that speak the vendors' real wire formats.

``start_sandboxes()`` starts both on 127.0.0.1 with one shared simulated clock; tests, demo mode,
the benchmarks and ``shipdesk sandbox`` all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from shipdesk.sandbox.clock import SimClock

if TYPE_CHECKING:
    from shipdesk.sandbox.acumatica.app import AcumaticaSandbox
    from shipdesk.sandbox.ups.app import UpsSandbox


@dataclass
class Sandboxes:
    clock: SimClock
    acumatica: AcumaticaSandbox
    ups: UpsSandbox

    @property
    def acumatica_url(self) -> str:
        """The tenant URL (with the instance path), as an admin would type it in Settings."""
        return self.acumatica.tenant_url

    @property
    def ups_url(self) -> str:
        return self.ups.url

    def advance(self, *, hours: float = 0.0) -> None:
        """Move the shared clock; the UPS sandbox pushes Track Alert events that became due."""
        self.clock.advance(hours=hours)
        self.ups.pump_events()

    def reset(self) -> None:
        """Back to the seeded day: real time again, seed data, no faults."""
        self.clock.rewind()  # first: the Acumatica seed is stamped with the clock's "now"
        self.acumatica.reset()
        self.ups.reset()

    def stop(self) -> None:
        self.acumatica.stop()
        self.ups.stop()

    def __enter__(self) -> Sandboxes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_sandboxes(
    *,
    acumatica_port: int = 0,
    ups_port: int = 0,
    max_sessions: int = 2,
    acumatica_user: str = "admin",
    acumatica_password: str = "demo",
    ups_client_id: str = "demo",
    ups_secret: str = "demo",
    ups_account: str = "A1B2C3",
) -> Sandboxes:
    from shipdesk.sandbox.acumatica.app import AcumaticaSandbox
    from shipdesk.sandbox.ups.app import UpsSandbox

    clock = SimClock()
    acumatica = AcumaticaSandbox(clock, port=acumatica_port, username=acumatica_user,
                                 password=acumatica_password, max_sessions=max_sessions).start()
    try:
        ups = UpsSandbox(clock, port=ups_port, client_id=ups_client_id, client_secret=ups_secret,
                         account=ups_account).start()
    except BaseException:
        acumatica.stop()  # no half-started pair left listening
        raise
    return Sandboxes(clock=clock, acumatica=acumatica, ups=ups)
