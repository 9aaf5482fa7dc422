"""Real servers for the tests, each a process on a free loopback port: the Django test project
under ``manage.py runserver`` (WSGI) or uvicorn (ASGI), and nginx as a reverse proxy."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

PROJECT = Path(__file__).resolve().parent / "django_project"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(
    url: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    method: str = "POST",
    source: str | None = None,
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """One request from ``source`` (a loopback address, default the kernel's choice): status, the
    JSON answer (``{}`` if not JSON) and the headers."""
    parts = http.client.urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=30, source_address=(source, 0) if source else None
    )
    try:
        headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, parts.path, body=body, headers=headers)
        answer = connection.getresponse()
        raw = answer.read()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {}
        return answer.status, payload, {k.lower(): v for k, v in answer.getheaders()}
    finally:
        connection.close()


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            status, _, _ = post(url, method="GET")
        except OSError:
            time.sleep(0.05)
            continue
        if status == 405:  # the webhook view answers, and only to POST
            return
        raise RuntimeError(f"{what}: GET {url} answered {status}:\n{log.read_text(errors='replace')}")
    raise RuntimeError(f"{what} did not start in 60 s:\n{log.read_text(errors='replace')}")


class DjangoServer:
    """``tests/django_project`` under a real server: ``kind`` is ``runserver`` or ``uvicorn``.

    ``settings`` go to the project as PSR_SETTINGS; ``records()`` are the receivers' calls and
    ``log()`` what the server wrote (the ``paystack_rs`` logger at DEBUG among it).
    """

    def __init__(self, kind: str, settings: dict[str, Any], *, debug: bool) -> None:
        self.kind = kind
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.dir = Path(tempfile.mkdtemp(prefix=f"paystack-rs-django-{kind}-"))
        self.record_path = self.dir / "records.jsonl"
        self.control = self.dir / "control"
        self.control.mkdir()
        self.log_path = self.dir / "server.log"
        self.settings = settings
        self.debug = debug
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYSTACK_", "DJANGO_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="webhook_site.settings",
            PSR_DEBUG="1" if self.debug else "0",
            PSR_SETTINGS=json.dumps(self.settings),
            PSR_RECORD=str(self.record_path),
            PSR_CONTROL=str(self.control),
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``manage.py *args`` with this server's settings (e.g. ``createcachetable``, ``check``)."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            check=False,
            cwd=PROJECT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def __enter__(self) -> DjangoServer:
        env = self.env()
        if self.kind == "runserver":
            command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"]
        elif self.kind == "uvicorn":
            command = [
                sys.executable, "-m", "uvicorn", "webhook_site.asgi:application",
                "--host", "127.0.0.1", "--port", str(self.port),
                # The view decides which proxies to believe; uvicorn would otherwise take
                # X-Forwarded-For from 127.0.0.1 itself.
                "--no-proxy-headers", "--no-access-log",
            ]  # fmt: skip
        else:
            raise ValueError(self.kind)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(self.process, self.url("/paystack/webhook/"), self.log_path, f"Django under {self.kind}")
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def records(self) -> list[dict[str, Any]]:
        if not self.record_path.exists():
            return []
        return [json.loads(line) for line in self.record_path.read_text().splitlines() if line]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def tell(self, kind: str, reference: str, text: str = "") -> None:
        """Leaves an instruction for the receivers: ``fail`` once, or be ``slow`` (seconds)."""
        (self.control / f"{kind}-{reference}").write_text(text)


NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_buffer_size 1m;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
{servers}
}}
"""

NGINX_SERVER = """\
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_bind {bind};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not found:
        raise RuntimeError("nginx is missing: scripts/test.sh installs nginx-light")
    return found


class Nginx:
    """nginx as the reverse proxy in front of servers: ``Nginx({name: upstream_port}, bind=...)``
    listens on a port per upstream (``url(name, path)``) and connects to each from ``bind`` (a
    loopback address), appending the address it saw to X-Forwarded-For, as a deployment's does."""

    def __init__(self, upstreams: dict[str, int], *, bind: str) -> None:
        self.ports = {name: free_port() for name in upstreams}
        self.upstreams = upstreams
        self.bind = bind
        self.dir = Path(tempfile.mkdtemp(prefix="paystack-rs-nginx-"))
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Nginx:
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / "tmp" / sub).mkdir(parents=True)
        servers = "".join(
            NGINX_SERVER.format(port=self.ports[name], upstream=upstream, bind=self.bind)
            for name, upstream in self.upstreams.items()
        )
        conf = self.dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=self.dir, servers=servers))
        log = self.dir / "stderr.log"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [nginx_binary(), "-c", str(conf), "-p", str(self.dir)], stdout=out, stderr=subprocess.STDOUT
            )
        try:
            for name in self.upstreams:
                _wait_until_up(self.process, self.url(name, "/paystack/webhook/"), log, "nginx")
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"
