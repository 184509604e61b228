"""The base: the right modules are imported, the layers stay apart, the CLI
contract exists, the sample reports ship with the package."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

HEADLESS = ("parsing", "checks", "store")
FORBIDDEN = ("textual", "rich", "tui")


def _py(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("package", HEADLESS)
def test_headless_packages_never_import_the_ui(package):
    """Importing every module of a headless package pulls in no textual/rich/tui."""
    code = f"""
import importlib, pkgutil, sys, json
pkg = importlib.import_module({package!r})
for m in pkgutil.walk_packages(pkg.__path__, prefix={package!r} + '.'):
    importlib.import_module(m.name)
bad = sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r})
print(json.dumps(bad))
"""
    r = _py(code)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [], f"{package} pulls in {r.stdout}"


def test_imported_top_level_modules_are_this_projects():
    """parsing, store and tui are also names on PyPI: the ones imported must be ours."""
    r = _py(
        "import json, parsing, checks, store, tui, sample_reports;"
        "print(json.dumps({m.__name__: (m.__file__ or list(m.__path__)[0]) for m in (parsing, checks, store, tui, sample_reports)}))"
    )
    assert r.returncode == 0, r.stderr
    for name, file in json.loads(r.stdout).items():
        assert Path(file).resolve().is_relative_to(ROOT), f"{name} imported from {file}"


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("gipr-tui")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120, **kw)


def test_help_lists_the_contracts_commands():
    r = _cli("--help")
    assert r.returncode == 0
    for word in ("extract", "check", "export", "--db", "GIPR_DB", "--version"):
        assert word in r.stdout
    for sub in ("extract", "check", "export"):
        s = _cli(sub, "--help")
        assert s.returncode == 0, s.stderr
        assert f"gipr-tui {sub}" in s.stdout


def test_version():
    r = _cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("gipr-tui ")


def test_bad_usage_exits_2_without_traceback():
    for args in (("extract",), ("export",), ("check",), ("--no-such-option",), ("export", "--format", "xls")):
        r = _cli(*args)
        assert r.returncode == 2, (args, r.returncode)
        assert "Traceback" not in r.stderr


def test_extract_unreadable_file_is_one_line_exit_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for target in (empty, tmp_path / "does-not-exist.txt", tmp_path):
        r = _cli("extract", str(target))
        assert r.returncode == 2
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert str(target) in r.stderr


def test_sample_reports_are_named_for_people_and_utf8():
    names = sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert len(names) == 5
    for n in names:
        assert n[:4].isdigit() and n.isascii(), n
        (SAMPLES / n).read_bytes().decode("utf-8")


def test_sample_reports_ship_in_the_wheel(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]  # setuptools and wheel come with the test extra
    wheel = next(tmp_path.glob("gipr_tui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for p in SAMPLES.glob("*.txt"):
        assert f"sample_reports/{p.name}" in names
    # every module of the project, subpackages included, and the app's stylesheets
    for pkg in ("parsing", "checks", "store", "tui"):
        for f in (ROOT / pkg).rglob("*"):
            if f.suffix in (".py", ".tcss") and "__pycache__" not in f.parts:
                assert f.relative_to(ROOT).as_posix() in names, f"{f} missing from the wheel"
