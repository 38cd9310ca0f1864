"""A real PostgreSQL server the tests start themselves, and a fresh database for each test that asks.

The server binaries come from the ``pgserver`` wheel (the ``test`` extra), so a fresh machine needs nothing
else. The server listens on 127.0.0.1 on a free port and asks for passwords (scram-sha-256), as a
warehouse's server would: the store connects with ``postgresql://shipdesk@127.0.0.1:PORT/<db>`` and the
password handed over like the keyring's. Started once per test session in a temporary folder and stopped
at the end; made for speed, not durability (fsync off). Running as root (CI containers), the server runs
as the system user ``pgserver`` (which pgserver's own helper creates) from a copy of the binaries in that
folder, so no permission outside it is changed.

Fixtures (registered by ``tests/conftest.py``):
- ``postgres_server``: the session's server (tests that need one skip, with the reason, when it cannot start);
- ``postgres_url``: a new empty database for this test, as a ``[store] url`` (password: ``PASSWORD``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

USER = "shipdesk"
PASSWORD = "shipdesk-test-password"
_ADMIN_PASSWORD = "postgres-test-password"
_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",  # a test server: speed over durability
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "400",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}


class PostgresUnavailable(RuntimeError):
    """The server could not be started here (the message says why)."""


@dataclass
class PostgresServer:
    root: Path
    port: int
    run_as: str | None
    _bin: Path
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "shipdesk_test") -> str:
        """A new empty database owned by the test user; returns its ``[store] url``."""
        with self._lock:
            name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self.sql(f'CREATE DATABASE "{name}" OWNER "{USER}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the server's superuser (outside a transaction: CREATE DATABASE needs that)."""
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", password=_ADMIN_PASSWORD,
                                      dbname=database, connect_timeout=10)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str, timeout: float = 120) -> None:
        _run_as(self._bin / program, args, self.run_as, timeout)


def _run_as(program: Path, args: tuple[str, ...] | list[str], user: str | None, timeout: float) -> None:
    result = subprocess.run([str(program), *args], capture_output=True, text=True, timeout=timeout, user=user)
    if result.returncode != 0:
        raise PostgresUnavailable(f"{program.name} failed: {(result.stderr or result.stdout).strip()[-800:]}")


def _copy_binaries(bin_path: Path, into: Path) -> Path:
    """The server's files, with the shared libraries the wheel keeps beside its package (the binaries find
    them at ``$ORIGIN/../../../pgserver.libs``): the same layout under ``into``."""
    install = bin_path.parent  # .../site-packages/pgserver/pginstall
    site = install.parent.parent
    copied = shutil.copytree(install, into / install.parent.name / install.name, symlinks=True)
    libs = site / "pgserver.libs"
    if libs.is_dir():
        shutil.copytree(libs, into / libs.name, symlinks=True)
    return copied / "bin"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_postgres() -> PostgresServer:
    """Initialise and start a server in a new temporary folder (raises ``PostgresUnavailable``)."""
    try:
        with warnings.catch_warnings():  # pgserver's import asks platformdirs for a runtime folder it never uses
            warnings.simplefilter("ignore")
            from pgserver._commands import POSTGRES_BIN_PATH
    except ImportError as exc:  # the test extra is not installed
        raise PostgresUnavailable(f"pgserver is not installed ({exc}): pip install -e '.[test]'") from exc
    root = Path(tempfile.mkdtemp(prefix="shipdesk-pg-"))
    run_as = None
    binaries = POSTGRES_BIN_PATH
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # PostgreSQL refuses to run as root
        from pgserver.utils import ensure_user_exists

        run_as = "pgserver"
        ensure_user_exists(run_as)  # a system user, as pgserver itself makes one
        root.chmod(0o755)  # the server's user reaches its files here; nothing outside this folder changes
        binaries = _copy_binaries(POSTGRES_BIN_PATH, root / "binaries")
        shutil.chown(root, run_as, run_as)
    port = _free_port()
    password_file = root / "pw"
    password_file.write_text(_ADMIN_PASSWORD + "\n")
    if run_as:
        shutil.chown(password_file, run_as, run_as)
    data = root / "data"
    try:
        _run_as(binaries / "initdb", ["-D", str(data), "-U", "postgres", "--auth-local=trust",
                                               "--auth-host=scram-sha-256", f"--pwfile={password_file}",
                                               "--encoding=UTF8", "--no-sync"], run_as, 120)
        with (data / "postgresql.conf").open("a") as conf:
            for name, value in {**_SETTINGS, "port": str(port), "unix_socket_directories": f"'{root}'"}.items():
                conf.write(f"{name} = {value}\n")
        _run_as(binaries / "pg_ctl", ["-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
                                               "start"], run_as, 90)
    except (PostgresUnavailable, subprocess.SubprocessError, OSError) as exc:
        log = root / "server.log"
        detail = log.read_text()[-800:] if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(f"{exc} {detail}".strip()) from exc
    server = PostgresServer(root, port, run_as, binaries)
    server.sql(f"CREATE ROLE \"{USER}\" LOGIN CREATEDB PASSWORD '{PASSWORD}'")
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL could not be started for the shared-store tests: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new empty database for this test; its password is in ``SHIPDESK_STORE_PASSWORD`` too."""
    url = postgres_server.create_database()
    monkeypatch.setenv("SHIPDESK_STORE_PASSWORD", PASSWORD)
    yield url
    postgres_server.drop_database(url)
