"""The first check of `make run`, `make check`, `make test` and .ci/run: every Python package that
loads a system library imports cleanly with warnings as errors (as the suite treats them), and a
failure names the Debian package to install, from debian-packages.txt, with the exact command.

Run it as `python -W error scripts/preflight.py`; it exits 1 naming what is missing.
"""

from __future__ import annotations

import ctypes.util
import importlib
import sys
import warnings
from pathlib import Path

PACKAGES_FILE = Path(__file__).resolve().parent.parent / "debian-packages.txt"

# Python module -> the shared libraries it loads: (name for ctypes.util.find_library, what it is,
# Debian package). The packages must be in debian-packages.txt; a test checks it.
SYSTEM_LIBRARIES: dict[str, list[tuple[str, str, str]]] = {
    "weasyprint": [
        ("gobject-2.0", "GObject", "libglib2.0-0"),
        ("pango-1.0", "Pango", "libpango-1.0-0"),
        ("pangoft2-1.0", "Pango's FreeType back end", "libpangoft2-1.0-0"),
        ("fontconfig", "Fontconfig", "libfontconfig1"),
        ("harfbuzz", "HarfBuzz", "libharfbuzz0b"),
        ("harfbuzz-subset", "HarfBuzz-Subset", "libharfbuzz-subset0"),
    ],
}


def missing_libraries(module: str) -> list[tuple[str, str]]:
    return [
        (label, package)
        for name, label, package in SYSTEM_LIBRARIES[module]
        if ctypes.util.find_library(name) is None
    ]


def check(module: str) -> str | None:
    """None when `module` imports cleanly, else the message saying what to install."""
    missing = missing_libraries(module)
    problem = ""
    if not missing:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                importlib.import_module(module)
        except (ImportError, OSError, Warning) as error:
            problem = f"{type(error).__name__}: {error}"
        else:
            return None
    lines = [f"{module} cannot be used on this machine."]
    if problem:
        lines.append(f"Importing it with warnings as errors said: {problem}")
    if missing:
        packages = " ".join(package for _, package in missing)
        for label, package in missing:
            lines.append(f"- {label} is missing: it comes in the Debian package {package}")
        lines.append(f"Install with: apt-get install -y {packages}")
        lines.append("(or run `make test` as root, which installs what debian-packages.txt lists)")
    return "\n".join(lines)


def main() -> int:
    problems = [message for module in SYSTEM_LIBRARIES if (message := check(module))]
    for message in problems:
        print(message, file=sys.stderr)
    if problems:
        return 1
    print("preflight: system libraries found; imported cleanly: " + ", ".join(SYSTEM_LIBRARIES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
