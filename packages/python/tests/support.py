"""What the tests share: the repository's conformance files, and one real
PostgreSQL server for the whole run (initdb and pg_ctl from Debian's
postgresql package, on 127.0.0.1 and a free port, in a temporary folder;
stopped at exit)."""

import atexit
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, Dict, Optional

PACKAGE = Path(__file__).resolve().parent.parent
REPOSITORY = PACKAGE.parent.parent
CONFORMANCE = REPOSITORY / "conformance"


def conformance(name: str) -> Dict[str, Any]:
    path = CONFORMANCE / name
    if not path.is_file():
        raise AssertionError(f"{path} is missing: the tests run every vector of it")
    data: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Postgres:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._port: Optional[int] = None
        self._dir: Optional[str] = None
        self._count = 0

    def _bin(self) -> Path:
        root = Path("/usr/lib/postgresql")
        found = sorted((p / "bin" for p in root.iterdir() if (p / "bin" / "initdb").is_file()),
                       key=lambda p: int(p.parent.name)) if root.is_dir() else []
        if not found:
            raise AssertionError("PostgreSQL's initdb is needed (Debian's postgresql package)")
        return found[-1]

    def _as_server(self, *args: str) -> "subprocess.CompletedProcess[bytes]":
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)

    def start(self) -> int:
        with self._lock:
            if self._port is not None:
                return self._port
            bin = self._bin()
            self._dir = tempfile.mkdtemp(prefix="gpwh-webhooks-pg-")
            if os.geteuid() == 0:
                shutil.chown(self._dir, "postgres")
            data = os.path.join(self._dir, "data")
            made = self._as_server(str(bin / "initdb"), "--auth=trust", "--username=postgres",
                                   "--encoding=UTF8", "--pgdata", data)
            assert made.returncode == 0, made.stderr.decode()
            port = free_port()
            options = (f"-p {port} -c listen_addresses=127.0.0.1 "
                       f"-c unix_socket_directories='{self._dir}' -c max_connections=200")
            started = self._as_server(str(bin / "pg_ctl"), "--pgdata", data, "--options", options,
                                      "--wait", "--timeout=60", "--log",
                                      os.path.join(self._dir, "server.log"), "start")
            assert started.returncode == 0, started.stderr.decode()
            self._port = port
            atexit.register(self.stop, str(bin / "pg_ctl"), data)
            return port

    def stop(self, pg_ctl: str, data: str) -> None:
        self._as_server(pg_ctl, "--pgdata", data, "--mode=immediate", "stop")
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)

    def database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        port = self.start()
        with self._lock:
            self._count += 1
            name = f"test_{self._count}"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres",
                             autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{port}/{name}"


POSTGRES = _Postgres()
