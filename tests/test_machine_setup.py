"""A fresh machine gets what the suite needs from the repository alone: the Debian packages list,
the set-up script that reads it, the preflight check that names a missing package, and the lock
files that pin every Python dependency with hashes."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
GROUPS = {"pdf", "browser", "services"}


def debian_packages() -> dict[str, tuple[str, str]]:
    """package -> (group, reason), from debian-packages.txt."""
    packages = {}
    for line in (ROOT / "debian-packages.txt").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        package, group, reason = line.split(maxsplit=2)
        packages[package] = (group, reason)
    return packages


def load_preflight() -> ModuleType:
    spec = importlib.util.spec_from_file_location("preflight", ROOT / "scripts" / "preflight.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_debian_package_has_a_group_and_a_reason() -> None:
    packages = debian_packages()
    assert {"libharfbuzz-subset0", "chromium", "postgresql", "redis-server"} <= set(packages)
    for package, (group, reason) in packages.items():
        assert group in GROUPS, package
        assert len(reason.split()) >= 4, f"{package} needs a reason a newcomer understands"


def test_every_library_the_preflight_checks_comes_from_a_listed_pdf_package() -> None:
    packages = debian_packages()
    for libraries in load_preflight().SYSTEM_LIBRARIES.values():
        for _, _, package in libraries:
            assert packages[package][0] == "pdf", package


def test_a_missing_library_is_named_with_its_package_and_the_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    preflight = load_preflight()
    real = preflight.ctypes.util.find_library
    monkeypatch.setattr(
        preflight.ctypes.util,
        "find_library",
        lambda name: None if name == "harfbuzz-subset" else real(name),
    )
    message = preflight.check("weasyprint")
    assert message is not None
    assert "HarfBuzz-Subset is missing: it comes in the Debian package libharfbuzz-subset0" in (
        message
    )
    assert "Install with: apt-get install -y libharfbuzz-subset0" in message


def test_a_warning_on_import_is_reported_as_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    preflight = load_preflight()
    monkeypatch.setitem(preflight.SYSTEM_LIBRARIES, "noisy_module_for_preflight", [])

    def noisy_import(name: str) -> None:
        import warnings

        warnings.warn("some library will be required", DeprecationWarning, stacklevel=1)

    monkeypatch.setattr(preflight.importlib, "import_module", noisy_import)
    message = preflight.check("noisy_module_for_preflight")
    assert message is not None
    assert "DeprecationWarning: some library will be required" in message


def test_the_preflight_passes_on_this_machine() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", str(ROOT / "scripts" / "preflight.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "weasyprint" in result.stdout


def test_the_set_up_names_a_missing_package_and_the_command(tmp_path: Path) -> None:
    listing = tmp_path / "packages.txt"
    listing.write_text(
        "# a package no machine has\n"
        "portfolio-absent-test-package  browser  stands for a package this machine lacks\n"
    )
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "system-setup"), "--check", "browser"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DEBIAN_PACKAGES_FILE": str(listing)},
    )
    assert result.returncode == 1
    assert "Install them with: apt-get install -y portfolio-absent-test-package" in result.stderr


def lock_pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    return {
        match[1].lower(): match[2]
        for match in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)
    }


def pyproject_pins(extra: str | None) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["optional-dependencies"][extra] if extra else project["dependencies"]
    pins = {}
    for requirement in requirements:
        name, version = requirement.split("==")
        pins[re.sub(r"\[.*\]", "", name).lower()] = version
    return pins


def test_the_lock_files_hold_every_pin_of_pyproject_with_hashes() -> None:
    """Fails when a dependency is added to pyproject.toml without `make lock`."""
    app, test = lock_pins("app.lock"), lock_pins("test.lock")
    for name, version in pyproject_pins(None).items():
        assert app.get(name) == version, f"{name}=={version}: run `make lock`"
    for name, version in (pyproject_pins(None) | pyproject_pins("test")).items():
        assert test.get(name) == version, f"{name}=={version}: run `make lock`"
    for name, version in app.items():
        assert test[name] == version, f"{name}: the app and test locks disagree"
    for name in ("app.lock", "test.lock"):
        text = (ROOT / "requirements" / name).read_text()
        assert "--find-links" not in text
        assert "--index-url" not in text
        for block in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[1]):
            if "==" in block.splitlines()[0]:
                assert "--hash=sha256:" in block, f"{name}: {block.splitlines()[0]} has no hash"
