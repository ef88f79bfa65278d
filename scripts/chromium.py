#!/usr/bin/env python3
"""Find a headless Chromium for the report tests, installing Debian's package if needed.

    python scripts/chromium.py          # prints the binary path (installs when root)

`ensure_chromium()` looks for `chromium` / `chromium-browser` / `google-chrome`
on PATH (or the path in $CHROMIUM_BIN). When none is there and we run as root
on a Debian-like system, it runs
`apt-get install -y --no-install-recommends chromium` (after one
`apt-get update` if the first attempt cannot find the package). Otherwise it
raises ChromiumUnavailable with the command to run by hand.

`headless_args(profile_dir)` gives the flags the tests use: no sandbox, no GPU,
no network chatter, a throwaway profile.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_COMMAND = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]


class ChromiumUnavailable(RuntimeError):
    """No Chromium binary and no way to install one here."""


def find_chromium() -> str | None:
    """Path of a Chromium binary on PATH (or $CHROMIUM_BIN), else None."""
    override = os.environ.get("CHROMIUM_BIN")
    if override and Path(override).is_file() and os.access(override, os.X_OK):
        return override
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _apt(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(args, env=env, capture_output=True, text=True, check=False)


def install_chromium() -> None:
    """Install Debian's chromium package with apt-get (root only)."""
    if shutil.which("apt-get") is None:
        raise ChromiumUnavailable(
            "Chromium is not installed and apt-get is not available: install a "
            "Chromium/Chrome build and put it on PATH (or set CHROMIUM_BIN)."
        )
    if not _is_root():
        raise ChromiumUnavailable(
            "Chromium is not installed. Install it with:\n"
            "    sudo apt-get update && sudo " + " ".join(INSTALL_COMMAND)
        )
    result = _apt(INSTALL_COMMAND)
    if result.returncode != 0:
        # Fresh machines have no package lists yet: update once and retry.
        update = _apt(["apt-get", "update"])
        if update.returncode != 0:
            raise ChromiumUnavailable(f"apt-get update failed:\n{update.stderr[-2000:]}")
        result = _apt(INSTALL_COMMAND)
    if result.returncode != 0:
        raise ChromiumUnavailable(
            f"`{' '.join(INSTALL_COMMAND)}` failed:\n{result.stderr[-2000:]}"
        )


def ensure_chromium() -> str:
    """Return the path of a Chromium binary, installing Debian's package if needed."""
    path = find_chromium()
    if path:
        return path
    install_chromium()
    path = find_chromium()
    if not path:
        raise ChromiumUnavailable("chromium was installed but no binary is on PATH")
    return path


def headless_args(profile_dir: str | Path) -> list[str]:
    """Flags for an offline, throwaway headless run."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile_dir}",
    ]


def main() -> int:
    try:
        print(ensure_chromium())
    except ChromiumUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
