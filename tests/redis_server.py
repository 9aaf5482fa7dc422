"""A real ``redis-server`` on a free loopback port, for the shared rate limit's tests (scripts/test.sh
installs it), and ``redis-cli`` to look inside it."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """``redis-server`` without persistence on 127.0.0.1; ``kill()`` and ``start()`` again on the
    same port. With ``tls=True`` it speaks only TLS, with a certificate for 127.0.0.1 signed by a
    CA of its own (trustme), whose PEM is ``ca_file``."""

    def __init__(self, port: int | None = None, *, tls: bool = False) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: bash scripts/test.sh installs it (apt)")
        self.binary = binary
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="paystack-rs-redis-")
        self.process: subprocess.Popen[bytes] | None = None
        self.tls = tls
        self.ca_file = Path(self.dir) / "ca.pem"
        if tls:
            import trustme

            ca = trustme.CA()
            cert = ca.issue_cert("127.0.0.1", "localhost")
            ca.cert_pem.write_to_path(str(self.ca_file))
            cert.private_key_pem.write_to_path(str(Path(self.dir) / "key.pem"))
            cert.cert_chain_pems[0].write_to_path(str(Path(self.dir) / "cert.pem"))

    @property
    def url(self) -> str:
        return f"{'rediss' if self.tls else 'redis'}://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        args = [self.binary, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        if self.tls:
            args += ["--port", "0", "--tls-port", str(self.port), "--tls-auth-clients", "no"]
            args += ["--tls-cert-file", str(Path(self.dir) / "cert.pem")]
            args += ["--tls-key-file", str(Path(self.dir) / "key.pem"), "--tls-ca-cert-file", str(self.ca_file)]
        else:
            args += ["--port", str(self.port)]
        args += ["--dir", self.dir, "--logfile", str(Path(self.dir) / "redis.log")]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pid = self.server_pid()
            if pid == self.process.pid:
                return self
            if pid is not None:  # another process's server took the port first
                self.kill()
                raise RuntimeError(f"port {self.port} is held by another redis-server")
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            time.sleep(0.02)
        raise RuntimeError("redis-server did not answer within 10 s")

    def server_pid(self) -> int | None:
        """The process id of the Redis answering on the port (``INFO server``), if one does: so
        that another server that took the port is never taken for this one."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as plain:
                s = plain
                if self.tls:
                    s = ssl.create_default_context(cafile=str(self.ca_file)).wrap_socket(
                        plain, server_hostname="127.0.0.1"
                    )
                s.sendall(b"INFO server\r\n")
                answer = b""
                while b"process_id:" not in answer or not answer.split(b"process_id:", 1)[1].count(b"\r\n"):
                    chunk = s.recv(4096)
                    if not chunk or len(answer) > 65536:
                        return None
                    answer += chunk
                return int(answer.split(b"process_id:", 1)[1].split(b"\r\n", 1)[0])
        except (OSError, ValueError):
            return None

    def kill(self) -> None:
        """SIGKILL: the connections break as they would if the machine went away."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def cli(self, *args: str) -> str:
        tls = ["--tls", "--cacert", str(self.ca_file)] if self.tls else []
        out = subprocess.run(
            ["redis-cli", "-p", str(self.port), *tls, "--raw", *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return out.stdout.strip()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
