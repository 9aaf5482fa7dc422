"""The local Paystack: nginx serving the fixture bodies, and a recording server for the wire check.

nginx routes, on plain HTTP and (``Nginx(https=True)``) over TLS too; anything else is a Paystack-style
JSON error:
    every request without ``Authorization: Bearer <SECRET_KEY>``  401 {"status": false, ...}
    GET  /transaction/verify/re4lyvq3s3    the official verify sample
    GET  /transaction?perPage=N (or /transaction/?...)   page 1 of N transactions (N in PAGE_SIZES), else 404
    POST /bulkcharge                        the official initiate sample (``return 200 '...'``: nginx
                                            answers POST only on content it generates, not static files)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import fixtures, tls

UNAUTHORIZED = b'{"status": false, "message": "Invalid key"}'
NOT_FOUND = b'{"status": false, "message": "Not found (paybench serves only what the workloads ask for)"}'
NOT_ALLOWED = b'{"status": false, "message": "Method not allowed"}'

NGINX_CONF = """\
daemon off;
master_process on;
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    server_tokens off;
    etag off;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 300s;
    keepalive_requests 100000000;
    client_max_body_size 16m;
    client_body_buffer_size 1m;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    types {{ application/json json; }}
    default_type application/json;
{http_extra}{servers}}}
"""

#: One listener's server block: the same routes on plain HTTP and on HTTPS (tls.py).
SERVER_BLOCK = """\
    server {{
{listen}{log}        root {dir}/www;
        if ($http_authorization != "Bearer {key}") {{
            return 401 '{unauthorized}';
        }}
        location = /transaction/verify/{reference} {{
            try_files /verify.json @not_found;
        }}
        location ~ ^/transaction/?$ {{
            try_files /list/$arg_perpage.json @not_found;
        }}
        location = /bulkcharge {{
            if ($request_method = POST) {{
                return 200 '{bulk}';
            }}
            return 405 '{not_allowed}';
        }}
        location / {{
            return 404 '{not_found}';
        }}
        location @not_found {{
            return 404 '{not_found}';
        }}
    }}
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not found:
        raise SystemExit("paybench: nginx not found (bench/run.sh installs nginx-light when run as root)")
    return found


def _inline(payload: bytes) -> str:
    """A JSON body as an nginx single-quoted string."""
    text = payload.decode()
    if "'" in text or "\\" in text:
        raise ValueError("body cannot be inlined in nginx.conf")
    return text


class Nginx:
    """``with Nginx() as server: server.base_url`` — started on a free loopback port, stopped on exit.

    With ``https=True`` the same routes are also served over TLS (tls.py: a test CA made for the
    run, HTTP/2 by ALPN) on two more ports: ``tls_base_url`` for the measurements (no log) and
    ``tls_check_url``, whose access log (``take_tls_log``) records each request's HTTP and TLS
    versions for the TLS check.
    """

    def __init__(self, workers: int | str = "auto", https: bool = False) -> None:
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.dir = Path(tempfile.mkdtemp(prefix="paybench-nginx-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.tls: tls.Credentials | None = None
        self.tls_port = self.tls_check_port = 0
        if https:
            self.tls = tls.make(self.dir / "tls")
            self.tls_port, self.tls_check_port = free_port(), free_port()
        self.tls_base_url = f"https://127.0.0.1:{self.tls_port}"
        self.tls_check_url = f"https://127.0.0.1:{self.tls_check_port}"
        self._tls_log_read = 0

    def _server_block(self, listen: str, log: str = "") -> str:
        return SERVER_BLOCK.format(
            listen=listen,
            log=log,
            dir=self.dir,
            key=fixtures.SECRET_KEY,
            reference=fixtures.VERIFY_REFERENCE,
            bulk=_inline(fixtures.body(fixtures.bulk_envelope())),
            unauthorized=_inline(UNAUTHORIZED),
            not_found=_inline(NOT_FOUND),
            not_allowed=_inline(NOT_ALLOWED),
        )

    def _write_site(self) -> Path:
        www = self.dir / "www"
        (www / "list").mkdir(parents=True)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / "tmp" / sub).mkdir(parents=True)
        (www / "verify.json").write_bytes(fixtures.body(fixtures.verify_envelope()))
        for size in fixtures.PAGE_SIZES:
            (www / "list" / f"{size}.json").write_bytes(fixtures.body(fixtures.list_envelope(size)))
        servers = [self._server_block(f"        listen 127.0.0.1:{self.port} backlog=4096;\n")]
        http_extra = ""
        if self.tls is not None:
            http_extra = f"    log_format paybench_tls '{tls.LOG_FORMAT}';\n"
            servers.append(self._server_block(tls.listen(self.tls_port, self.tls)))
            log = f"        access_log {self._tls_log_path()} paybench_tls;\n"
            servers.append(self._server_block(tls.listen(self.tls_check_port, self.tls), log))
        conf = self.dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(workers=self.workers, dir=self.dir, http_extra=http_extra, servers="".join(servers))
        )
        # Workers run as an unprivileged user when nginx is started as root: let them read the site.
        for path in (self.dir, *self.dir.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        return conf

    def _tls_log_path(self) -> Path:
        return self.dir / "tls-check.log"

    def take_tls_log(self) -> list[dict[str, str]]:
        """The requests the TLS check port logged since the last call."""
        path = self._tls_log_path()
        if not path.exists():
            return []
        data = path.read_bytes()
        new, self._tls_log_read = data[self._tls_log_read :], len(data)
        return tls.parse_log(new.decode(errors="replace"))

    def start(self) -> Nginx:
        conf = self._write_site()
        log = (self.dir / "stderr.log").open("wb")
        cmd = [nginx_binary(), "-p", str(self.dir), "-c", str(conf), "-e", str(self.dir / "error.log")]
        self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited at start:\n{self.logs()}")
            try:
                for port in (self.port, self.tls_port, self.tls_check_port):
                    if port:
                        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                            pass
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not listen on port {self.port} within {timeout}s:\n{self.logs()}")

    def logs(self) -> str:
        parts = []
        for name in ("stderr.log", "error.log"):
            path = self.dir / name
            if path.exists():
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Recorded:
    """One request as the recording server saw it."""

    def __init__(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        split = urllib.parse.urlsplit(target)
        self.method = method
        self.path = split.path
        self.query = dict(urllib.parse.parse_qsl(split.query))
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def __repr__(self) -> str:
        return f"{self.method} {self.path} {self.query} ({len(self.body)} bytes)"


def route(method: str, path: str, query: dict[str, str], authorization: str | None) -> tuple[int, bytes]:
    """The nginx routes above, in Python, for the recording server."""
    if authorization != f"Bearer {fixtures.SECRET_KEY}":
        return 401, UNAUTHORIZED
    if path == f"/transaction/verify/{fixtures.VERIFY_REFERENCE}" and method == "GET":
        return 200, fixtures.body(fixtures.verify_envelope())
    if path in ("/transaction", "/transaction/") and method == "GET":
        size = {k.lower(): v for k, v in query.items()}.get("perpage", "")
        if size.isdigit() and int(size) in fixtures.PAGE_SIZES:
            return 200, fixtures.body(fixtures.list_envelope(int(size)))
        return 404, NOT_FOUND
    if path == "/bulkcharge":
        return (200, fixtures.body(fixtures.bulk_envelope())) if method == "POST" else (405, NOT_ALLOWED)
    return 404, NOT_FOUND


class _RecordingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _RecordingHTTPServer

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        recorded = Recorded(self.command, self.path, headers, payload)
        with self.server.lock:
            self.server.requests.append(recorded)
        status, answer = route(recorded.method, recorded.path, recorded.query, headers.get("authorization"))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _RecordingHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.lock = threading.Lock()
        self.requests: list[Recorded] = []


class RecordingServer:
    """``with RecordingServer() as rec: ...; rec.take()`` — every request, with its body, in order."""

    def __init__(self) -> None:
        self._server = _RecordingHTTPServer()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="paybench-recorder", daemon=True)

    def take(self) -> list[Recorded]:
        with self._server.lock:
            taken, self._server.requests = self._server.requests, []
        return taken

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
