"""A warm sandbox the command line can reach: `python -m pipelines.sandbox_service --home DIR`.

A one-shot `dothixanh ingest` would pay seconds importing Great Expectations in a
fresh worker. So the first one starts this service in the background (unless
DOTHIXANH_SANDBOX_IDLE=0): it keeps a pool of warm workers (pipelines.sandbox)
behind a Unix socket, `DOTHIXANH_HOME/run/sandbox.sock` (folder 0700, socket 0600:
only the warehouse's owner reaches it), and ends after DOTHIXANH_SANDBOX_IDLE
seconds (600) without a file. The service parses nothing itself: it relays each
request to a worker, which judges it under the limits. A lock file makes it one per
home; a code fingerprint in the greeting makes an upgraded CLI replace a service
that still runs the old code.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from pipelines.reading import FileRefused
from pipelines.sandbox import ROOT, Limits, Progress, Sandbox, SandboxError, _quiet, receive, send

DEFAULT_IDLE = 600


def idle_seconds() -> int:
    """DOTHIXANH_SANDBOX_IDLE: seconds the service stays warm without a file (0: never start one)."""
    try:
        return max(0, int(os.environ.get("DOTHIXANH_SANDBOX_IDLE", DEFAULT_IDLE)))
    except ValueError:
        return DEFAULT_IDLE


def run_dir(home: Path) -> Path:
    return Path(home) / "run"


def socket_path(home: Path) -> Path:
    return run_dir(home) / "sandbox.sock"


def code_version() -> str:
    """Fingerprint of the code and suites a worker would load (changes with every upgrade)."""
    digest = hashlib.sha256()
    for folder in ("kernel", "pipelines", "expectations"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".json", ".toml"):
                stat = path.stat()
                digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


# -- the service ------------------------------------------------------------------------------
class _Service:
    def __init__(self, home: Path, idle: int):
        self.home = Path(home)
        self.idle = idle
        self.pool = Sandbox(Limits.from_env()).start()
        self.version = code_version()
        self.active = 0
        self.last = time.monotonic()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def handle(self, conn: socket.socket) -> None:
        with self.lock:
            self.active += 1
        try:
            with conn.makefile("rb") as reader, conn.makefile("wb") as writer:
                request, blobs = receive(reader)
                op = request.get("op", "judge")
                if op == "ping":
                    send(
                        writer,
                        {
                            "status": "pong",
                            "version": self.version,
                            "pid": os.getpid(),
                            "idle_workers": len(self.pool.pids()),  # warm and free now
                            "workers": self.pool.limits.workers,
                        },
                    )
                    return
                if op == "stop":
                    send(writer, {"status": "stopping"})
                    self.stopping.set()
                    return

                def progress(step: str) -> None:
                    send(writer, {"status": "progress", "step": step})

                try:
                    reply = self.pool.run(request, blobs[0] if blobs else None, progress)
                except FileRefused as refused:
                    reply = {"status": "refused", "reason": refused.reason}
                except SandboxError as exc:
                    reply = {"status": "unavailable", "message": str(exc)}
                send(writer, reply)
        except (EOFError, OSError, ValueError):
            pass  # the client went away; its worker already finished or was replaced
        finally:
            conn.close()
            with self.lock:
                self.active -= 1
                self.last = time.monotonic()

    def idle_for(self) -> float:
        with self.lock:
            return 0.0 if self.active else time.monotonic() - self.last


def serve(home: Path, idle: int) -> int:
    """Serve until idle for `idle` seconds (0: forever), stopped, or the socket is taken away."""
    folder = run_dir(home)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    with open(folder / "sandbox.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # another service already serves this home
        path = socket_path(home)
        path.unlink(missing_ok=True)  # only a dead service's socket: we hold the lock
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            server.bind(str(path))
        finally:
            os.umask(old)
        server.listen(16)
        server.settimeout(1.0)
        inode = path.stat().st_ino
        service = _Service(home, idle)
        try:
            while not service.stopping.is_set():
                try:
                    conn, _ = server.accept()
                except TimeoutError:
                    if idle and service.idle_for() > idle:
                        break
                    try:
                        if path.stat().st_ino != inode:
                            break  # someone replaced our socket: leave it to them
                    except FileNotFoundError:
                        break
                    continue
                conn.settimeout(None)
                threading.Thread(target=service.handle, args=(conn,), daemon=True).start()
        finally:
            server.close()
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_ino == inode:
                    path.unlink()
            service.pool.close()
    return 0


# -- the client -------------------------------------------------------------------------------
class ServiceClient:
    """Talks to a running service; `run` has the same shape as Sandbox.run."""

    def __init__(self, home: Path):
        self.path = socket_path(home)

    def _connect(self, timeout: float | None = None) -> socket.socket:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(timeout)
        conn.connect(str(self.path))
        return conn

    def ping(self) -> dict | None:
        try:
            with self._connect(5) as conn, conn.makefile("rb") as reader, conn.makefile("wb") as writer:
                send(writer, {"op": "ping"})
                reply, _ = receive(reader)
                return reply
        except (OSError, EOFError, ValueError):
            return None

    def stop(self) -> None:
        with (
            contextlib.suppress(OSError, EOFError, ValueError),
            self._connect(5) as conn,
            conn.makefile("rb") as reader,
            conn.makefile("wb") as writer,
        ):
            send(writer, {"op": "stop"})
            receive(reader)

    def run(self, request: dict, data: bytes | None, progress: Progress = _quiet) -> dict:
        try:
            with self._connect() as conn, conn.makefile("rb") as reader, conn.makefile("wb") as writer:
                send(writer, {**request, "op": "judge"}, [] if data is None else [data])
                while True:
                    reply, _ = receive(reader)
                    if reply.get("status") != "progress":
                        break
                    progress(reply["step"])
        except (OSError, EOFError, ValueError) as exc:
            raise SandboxError(f"Mất kết nối với bộ đọc tệp an toàn ({exc.__class__.__name__}).") from None
        if reply.get("status") == "unavailable":
            raise SandboxError(reply.get("message") or "Bộ đọc tệp an toàn chưa sẵn sàng.")
        return reply


def running(home: Path) -> ServiceClient | None:
    """A client of this home's service if one answers with the same code, else None."""
    client = ServiceClient(home)
    if not client.path.exists():
        return None
    greeting = client.ping()
    if greeting is None:
        return None
    if greeting.get("version") != code_version():
        client.stop()  # an older service: the next start brings the new code
        return None
    return client


def start(home: Path, idle: int, wait_seconds: float = 300) -> ServiceClient | None:
    """Start this home's service in the background and wait until it answers; None if it will not."""
    folder = run_dir(home)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        log = open(folder / "sandbox.log", "ab")  # noqa: SIM115 (handed to the service)
    except OSError:
        return None
    with log:
        process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.sandbox_service", "--home", str(home), "--idle", str(idle)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            cwd=ROOT,
            start_new_session=True,  # outlives this command, untouched by its Ctrl-C
        )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if (client := running(home)) is not None:
            return client
        if process.poll() is not None and (client := running(home)) is None:
            return None  # it ended (another one holds the lock but does not answer, or it failed)
        time.sleep(0.1)
    return None


class _WithFallback:
    """A service client that, should the service vanish mid-way, judges in a fresh child instead."""

    def __init__(self, client: ServiceClient):
        self.client = client

    def run(self, request: dict, data: bytes | None, progress: Progress = _quiet) -> dict:
        from pipelines.sandbox import default_sandbox

        try:
            return self.client.run(request, data, progress)
        except SandboxError:
            return default_sandbox(prestart=False).run(request, data, progress)


def for_command(home: Path):
    """The sandbox a one-shot command should judge in: a running service, this process's pool,
    a service started now (kept warm for the next command), or a fresh sandboxed child."""
    from pipelines.sandbox import default_sandbox, existing_sandbox

    if (client := running(home)) is not None:
        return _WithFallback(client)
    if (pool := existing_sandbox()) is not None:
        return pool
    idle = idle_seconds()
    if idle and (client := start(home, idle)) is not None:
        return _WithFallback(client)
    return default_sandbox(prestart=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.sandbox_service",
        description="Dịch vụ đọc tệp an toàn, giữ sẵn các tiến trình đọc tệp cho lệnh dothixanh ingest.",
    )
    parser.add_argument("--home", required=True, help="thư mục kho dữ liệu (DOTHIXANH_HOME)")
    parser.add_argument(
        "--idle",
        type=int,
        default=idle_seconds(),
        help="số giây không có tệp nào thì tự dừng (0: không dừng)",
    )
    args = parser.parse_args(argv)
    return serve(Path(args.home).resolve(), args.idle)


if __name__ == "__main__":
    sys.exit(main())
