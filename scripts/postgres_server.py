#!/usr/bin/env python3
"""A throwaway PostgreSQL server on loopback, for tests and trying the project on PostgreSQL.

Uses the Debian `postgresql` package's binaries (installed with apt-get when
missing and running as root). The server gets a temporary data directory, a
free port on 127.0.0.1 and a socket directory of its own; stopping it removes
everything. Authentication is `trust` on loopback only: this is a disposable
test server, never a place for real data.

    python scripts/postgres_server.py start   # prints the connection env vars, keeps running
    python scripts/postgres_server.py stop --root DIR --port PORT   # both printed by start
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DATABASE = "customer_health"
SUPERUSER = "postgres"


def find_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


def ensure_installed() -> Path:
    bin_dir = find_bin_dir()
    if bin_dir:
        return bin_dir
    if os.geteuid() != 0:
        raise RuntimeError("PostgreSQL is not installed: run `sudo apt-get install -y postgresql`")
    print("installing the Debian postgresql package ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    bin_dir = find_bin_dir()
    if not bin_dir:
        raise RuntimeError("apt-get installed postgresql but no pg_ctl was found under /usr/lib/postgresql")
    return bin_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; run its binaries as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def env(self) -> dict[str, str]:
        return {
            "CUSTOMER_HEALTH_TARGET": "postgres",
            "CUSTOMER_HEALTH_PG_HOST": "127.0.0.1",
            "CUSTOMER_HEALTH_PG_PORT": str(self.port),
            "CUSTOMER_HEALTH_PG_USER": SUPERUSER,
            "CUSTOMER_HEALTH_PG_PASSWORD": "",
            "CUSTOMER_HEALTH_PG_DATABASE": DATABASE,
        }

    def dsn(self, user: str = SUPERUSER, database: str = DATABASE) -> str:
        return f"host=127.0.0.1 port={self.port} user={user} dbname={database}"

    def start(self) -> "PostgresServer":
        self.data_dir.mkdir(parents=True)
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.data_dir, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        subprocess.run(
            as_server_user([str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
                            "--auth=trust", "--encoding=UTF8", "--locale=C"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC")
        subprocess.run(
            as_server_user([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-o", options,
                            "-l", str(self.root / "server.log"), "-w", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            ready = subprocess.run([str(self.bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                                   stdout=subprocess.DEVNULL)
            if ready.returncode == 0:
                break
            time.sleep(0.2)
        subprocess.run([str(self.bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", SUPERUSER, DATABASE], check=True)
        return self

    def stop(self) -> None:
        if self.data_dir.exists():
            subprocess.run(
                as_server_user([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"]),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PostgresServer:
    bin_dir = ensure_installed()
    root = Path(tempfile.mkdtemp(prefix="customer_health_pg_"))
    os.chmod(root, 0o755)
    server = PostgresServer(bin_dir=bin_dir, root=root, port=free_port())
    try:
        return server.start()
    except BaseException:
        server.stop()        # a server that started but failed later (createdb) is not left running
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("start", help="start a server and print the env vars that point the dbt profile at it")
    stop = sub.add_parser("stop", help="stop a server started with `start` and remove its files")
    stop.add_argument("--root", required=True, help="the server's directory printed by `start`")
    stop.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    if args.command == "start":
        server = start_server()
        for key, value in server.env().items():
            print(f"export {key}={value}")
        print(f"# stop with: python scripts/postgres_server.py stop --root {server.root} --port {server.port}")
        return 0
    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL is not installed", file=sys.stderr)
        return 1
    PostgresServer(bin_dir=bin_dir, root=Path(args.root), port=args.port).stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
