"""One UPS token for the warehouse: four stations and the scheduled sync share it through the store.

UPS caps token grants per day; with 1-hour tokens, ten stations each keeping their own would spend most
of the cap. Here 4 stations and a sync, all on one shared store, call UPS every 5 simulated minutes for a
10-hour shift, all at the same moment (the worst case for a refresh): the UPS sandbox, whose tokens last
one hour, grants at most 11 tokens in total: one per token life (refreshed 5 minutes before its end).
The token in the store is sealed: the database alone cannot use it.
"""

from __future__ import annotations

import threading

from shipdesk.core.store.models import UpsToken
from shipdesk.sandbox import Sandboxes
from shipdesk.ups.client import UpsClient
from shipdesk.ups.models import UpsAddress

from .conftest import station_context

STATIONS = ("PACK-01", "PACK-02", "PACK-03", "PACK-04", "SYNC-SERVER")
SHIFT_MINUTES = 10 * 60
EVERY_MINUTES = 5
ADDRESS = UpsAddress(lines=("1 Main St",), city="New York", state="NY", postal_code="10001", country="US")


def test_four_stations_and_the_sync_get_at_most_eleven_tokens_in_a_ten_hour_shift(sandboxes: Sandboxes,
                                                                                  postgres_url, tmp_path):
    sandboxes.ups.tokens.lifetime_s = 3600  # the 1-hour tokens UPS announced

    def sim_time() -> float:
        return sandboxes.clock.now().timestamp()

    contexts = [station_context(sandboxes, tmp_path / name, station=name, store_url=postgres_url)
                for name in STATIONS]
    clients = [UpsClient(base_url=sandboxes.ups_url, client_id="demo", client_secret="demo", account_number="A1B2C3",
                         token_store=context.token_store, clock=sim_time) for context in contexts]
    failures: list[BaseException] = []

    def call(client: UpsClient, start: threading.Barrier) -> None:
        start.wait()
        try:
            client.validate_address(ADDRESS)
        except BaseException as exc:  # collected, asserted below
            failures.append(exc)

    try:
        for _minute in range(0, SHIFT_MINUTES, EVERY_MINUTES):
            start = threading.Barrier(len(clients))  # all five ask at the same moment
            threads = [threading.Thread(target=call, args=(client, start)) for client in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            sandboxes.clock.advance(minutes=EVERY_MINUTES)
        granted = sandboxes.ups.stats_payload()["tokens_granted"]
        sealed = [row.sealed for row in UpsToken.select()]
    finally:
        for client in clients:
            client.close()
        for context in contexts:
            context.close()

    assert failures == []
    assert 10 <= granted <= 11, granted
    assert len(sealed) == 1 and "." not in sealed[0]  # one sealed token, not a bearer token in clear
    print(f"\n{len(STATIONS)} stations sharing the store, {SHIFT_MINUTES // 60} h with 1-hour tokens: "
          f"{granted} UPS token grants")


def test_without_a_shared_store_each_station_pays_for_its_own_tokens(sandboxes: Sandboxes, tmp_path):
    """What the shared store saves: the same two stations, each with a database of its own."""
    sandboxes.ups.tokens.lifetime_s = 3600

    def sim_time() -> float:
        return sandboxes.clock.now().timestamp()

    contexts = [station_context(sandboxes, tmp_path / name, station=name) for name in STATIONS[:2]]
    clients = [UpsClient(base_url=sandboxes.ups_url, client_id="demo", client_secret="demo", account_number="A1B2C3",
                         token_store=context.token_store, clock=sim_time) for context in contexts]
    try:
        for _minute in range(0, 3 * 60, EVERY_MINUTES):
            for client in clients:
                client.validate_address(ADDRESS)
            sandboxes.clock.advance(minutes=EVERY_MINUTES)
    finally:
        for client in clients:
            client.close()
        for context in contexts:
            context.close()
    assert sandboxes.ups.stats_payload()["tokens_granted"] == 2 * 4  # each station: 4 tokens in 3 hours
