"""HTTPS as users meet Paystack: a test CA, a certificate nginx serves, and the trust store every
client is handed through its own CA setting.

- The CA and the server's certificate (for ``127.0.0.1`` and ``localhost``) are made by trustme,
  afresh for each run; nothing is trusted system-wide.
- The bundle the clients get is certifi's roots followed by the test CA. Against Paystack each
  library loads a full public trust store (certifi's, or the system's), and loading it is part of
  what a client that builds a new SSL context per call pays; a bundle holding only the test CA
  would make those clients look cheaper than they are.
- Without the CA every client must refuse the server (``worker tls-refused``): a benchmark of a
  client that does not verify would measure the wrong thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: The environment variables through which libraries pick up a trust store. The worker clears them
#: all before a measurement, so each client uses only the CA setting its adapter gives it.
CA_ENVIRONMENT = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")

#: What nginx offers: TLS 1.2 and 1.3, and HTTP/2 by ALPN (a client that speaks it uses it; the
#: others stay on HTTP/1.1).
PROTOCOLS = ("TLSv1.2", "TLSv1.3")
ALPN = ("h2", "http/1.1")

#: nginx's log line for a request on the check port (``log_format paybench_tls``).
LOG_FORMAT = "$server_protocol $ssl_protocol $request_method $uri $status"

#: What a refusal must say to count as a failure to verify the certificate (not a refused
#: connection, say): OpenSSL's words (Python's ssl module) and rustls's (paystack-rs).
_CERTIFICATE_FAILURE = re.compile(
    r"certificate verify failed: [^()\[\]'\"]*[^()\[\]'\" ]|invalid peer certificate: \w+", re.IGNORECASE
)


@dataclass(frozen=True)
class Credentials:
    """The files of one run's test CA, under the nginx folder."""

    cert_chain: Path
    private_key: Path
    ca_cert: Path
    #: certifi's roots followed by the test CA: what every client is told to trust.
    ca_bundle: Path
    #: Certificates in the bundle (reported beside the figures).
    bundle_certificates: int


def make(folder: Path) -> Credentials:
    import certifi
    import trustme

    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="paybench test CA")
    server = ca.issue_cert("127.0.0.1", "localhost")
    cert_chain, private_key = folder / "server.pem", folder / "server.key"
    ca_cert, ca_bundle = folder / "test-ca.pem", folder / "ca-bundle.pem"
    server.private_key_pem.write_to_path(str(private_key))
    for i, blob in enumerate(server.cert_chain_pems):
        blob.write_to_path(str(cert_chain), append=i > 0)
    ca.cert_pem.write_to_path(str(ca_cert))
    roots = Path(certifi.where()).read_bytes()
    ca_bundle.write_bytes(roots.rstrip(b"\n") + b"\n" + ca.cert_pem.bytes())
    count = ca_bundle.read_bytes().count(b"-----BEGIN CERTIFICATE-----")
    # nginx's workers run as an unprivileged user when nginx is started as root.
    for path in (cert_chain, private_key, ca_cert, ca_bundle):
        path.chmod(0o644)
    return Credentials(cert_chain, private_key, ca_cert, ca_bundle, count)


def listen(port: int, credentials: Credentials) -> str:
    """An nginx server block's TLS listener: PROTOCOLS, HTTP/2 offered by ALPN (``http2`` on the
    listen line, as nginx 1.22 spells it), a session cache as production servers keep."""
    return (
        f"        listen 127.0.0.1:{port} ssl http2 backlog=4096;\n"
        f"        ssl_certificate {credentials.cert_chain};\n"
        f"        ssl_certificate_key {credentials.private_key};\n"
        f"        ssl_protocols {' '.join(PROTOCOLS)};\n"
        "        ssl_session_cache shared:paybench:10m;\n"
    )


def summary(credentials: Credentials) -> dict[str, object]:
    """What the report says of the HTTPS set-up."""
    return {
        "bundle_certificates": credentials.bundle_certificates,
        "protocols": " ".join(PROTOCOLS),
        "alpn": ", ".join(ALPN),
    }


def parse_log(text: str) -> list[dict[str, str]]:
    """The check port's access log, one dict per request."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 5:
            http, tls, method, uri, status = parts
            out.append({"http": http, "tls": tls, "method": method, "uri": uri, "status": status})
    return out


def certificate_failure(message: str) -> str | None:
    """The reason a refusal gives for not trusting the certificate, or None if it gives none."""
    match = _CERTIFICATE_FAILURE.search(message)
    return match.group(0) if match else None
