"""Compare the packages installed in this environment with the lock file.

``make install`` runs it after installing from ``requirements.lock`` and ``make test`` runs it
again (tests/test_lock.py), so a newcomer's environment is known to hold exactly the versions
CI tested. Only the standard library and ``packaging`` (itself locked) are used.

Usage: python tools/check_lock.py [requirements.lock]; exit 0 when every locked package that
applies to this Python and platform is installed at its locked version, else 1 with a list.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?\s*$")


def locked_versions(lock: Path) -> dict[str, str]:
    """The lock's ``name==version`` pins whose environment marker holds here."""
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if not match:
            continue
        name, version, marker = match.groups()
        if marker and not Marker(marker).evaluate():
            continue
        pins[canonicalize_name(name)] = version
    return pins


def installed_versions() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


def differences(lock: Path = LOCK) -> list[str]:
    """One line per locked package that is missing or at another version."""
    installed = installed_versions()
    problems = []
    for name, version in sorted(locked_versions(lock).items()):
        have = installed.get(name)
        if have is None:
            problems.append(f"{name}: locked {version}, not installed")
        elif have != version:
            problems.append(f"{name}: locked {version}, installed {have}")
    return problems


def main(argv: list[str]) -> int:
    lock = Path(argv[1]) if len(argv) > 1 else LOCK
    problems = differences(lock)
    if problems:
        print(f"The environment differs from {lock.name}:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("Run 'make clean install' to reinstall the locked versions.", file=sys.stderr)
        return 1
    print(f"{len(locked_versions(lock))} packages installed exactly as locked in {lock.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
