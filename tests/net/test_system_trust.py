"""Certificates are checked against the system's trust store (truststore), as a company proxy that inspects
HTTPS with its own certificate authority needs: against a local HTTPS server whose certificate a test
authority signed. On Linux the system store is OpenSSL's default paths, which ``SSL_CERT_FILE`` moves: the
tests put the company authority there the way IT puts it in /etc/ssl (or the Windows certificate store)."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from shipdesk.errors import ConnectionFailed
from shipdesk.net.retry import RetryPolicy
from shipdesk.net.transport import Transport
from shipdesk.updates import UpdateStatus, check_for_update

HOST = "ups.example.invalid"  # the name a client asks the proxy for; the certificate is made for it


@dataclass(frozen=True)
class Authority:
    """A certificate authority (a company's, or one nobody trusts) and a server certificate it signed."""

    ca_pem: Path
    server_cert: Path
    server_key: Path


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def make_authority(folder: Path, label: str) -> Authority:
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name(f"{label} Root CA")).issuer_name(_name(f"{label} Root CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False),
                         critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    server = (x509.CertificateBuilder().subject_name(_name(HOST)).issuer_name(ca.subject)
              .public_key(key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
              .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST), x509.DNSName("localhost"),
                                                          x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                             critical=False)
              .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    paths = Authority(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    paths.ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.server_cert.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths.server_key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    return paths


class HttpsServer:
    """An HTTPS server on 127.0.0.1 that answers every GET with a small JSON body."""

    def __init__(self, authority: Authority, body: bytes = b'{"ok": true}') -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(authority.server_cert, authority.server_key)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class TunnellingProxy:
    """A company proxy as HTTPS clients meet it: ``CONNECT host:443`` opens a tunnel, here always to the local
    HTTPS server, whose certificate (signed by the company authority) stands in for the one the proxy makes."""

    def __init__(self, target_port: int) -> None:
        self.asked: list[str] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self._target = ("127.0.0.1", target_port)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            self.asked.append(head.split(b"\r\n", 1)[0].decode("ascii"))
            with socket.create_connection(self._target) as upstream:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                sockets = [client, upstream]
                while True:
                    readable, _, _ = select.select(sockets, [], [], 10)
                    if not readable:
                        return
                    for source in readable:
                        data = source.recv(65536)
                        if not data:
                            return
                        (upstream if source is client else client).sendall(data)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> Iterator[tuple[Authority, HttpsServer]]:
    """The company's authority and an HTTPS server with a certificate it signed."""
    authority = make_authority(tmp_path_factory.mktemp("company"), "ACME Proxy")
    server = HttpsServer(authority, b'{"version": "0.1.0", "url": "https://ups.example.invalid/setup.exe", '
                                    b'"sha256": "' + b"0" * 64 + b'"}')
    yield authority, server
    server.close()


@pytest.fixture
def clean_environment(monkeypatch, tmp_path):
    """No proxy or CA bundle from the machine running the tests; an empty system store to start from."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
                 "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    empty = tmp_path / "no-authorities.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "no-such-dir"))
    return monkeypatch


def transport() -> Transport:
    return Transport("UPS", policy=RetryPolicy(max_attempts=1, budget_seconds=1.0))


def test_a_company_authority_in_the_system_store_is_trusted(company, clean_environment):
    authority, server = company
    url = f"https://127.0.0.1:{server.port}/api/track"
    with pytest.raises(requests.exceptions.SSLError):  # Python's own default (certifi) does not know it
        requests.get(url, timeout=10)

    clean_environment.setenv("SSL_CERT_FILE", str(authority.ca_pem))  # IT's group policy, on Linux

    assert transport().request("GET", url).status_code == 200


def test_https_through_the_company_proxy_is_trusted(company, clean_environment):
    authority, server = company
    proxy = TunnellingProxy(server.port)
    clean_environment.setenv("HTTPS_PROXY", proxy.url)
    clean_environment.setenv("SSL_CERT_FILE", str(authority.ca_pem))
    try:
        answer = transport().request("GET", f"https://{HOST}/api/track/v1/details/1Z")
    finally:
        proxy.close()

    assert answer.status_code == 200
    assert [line.rsplit(" ", 1)[0] for line in proxy.asked] == [f"CONNECT {HOST}:443"]


def test_requests_ca_bundle_is_still_trusted(company, clean_environment):
    authority, server = company
    clean_environment.setenv("REQUESTS_CA_BUNDLE", str(authority.ca_pem))  # the system store knows nothing of it

    assert transport().request("GET", f"https://127.0.0.1:{server.port}/").status_code == 200


def test_an_authority_nobody_trusts_is_refused_with_a_sentence(tmp_path, company, clean_environment):
    authority, _ = company
    stranger = HttpsServer(make_authority(tmp_path / "stranger", "Stranger"))
    clean_environment.setenv("SSL_CERT_FILE", str(authority.ca_pem))
    try:
        with pytest.raises(ConnectionFailed, match="secure connection failed"):
            transport().request("GET", f"https://127.0.0.1:{stranger.port}/")
    finally:
        stranger.close()


def test_the_update_manifest_on_an_intranet_server_with_the_company_authority(company, clean_environment):
    authority, server = company
    clean_environment.setenv("SSL_CERT_FILE", str(authority.ca_pem))

    check = check_for_update(f"https://127.0.0.1:{server.port}/shipdesk/latest.json", current="0.1.0")

    assert check.status is UpdateStatus.UP_TO_DATE, check.message
