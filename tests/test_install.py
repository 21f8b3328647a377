"""A plain (non-editable) install works: the wheel carries the theme and the starter briefing."""

from __future__ import annotations

import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with briefing installed from a freshly built wheel."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(wheels)],
                   check=True, capture_output=True)
    env = base / "venv"
    venv.create(env, with_pip=True)
    # The dependencies come from this interpreter's site-packages, wherever they are (the
    # system's, or a virtual environment's: system_site_packages would give the base
    # interpreter's, without them), listed after the venv's own, which holds the package
    # from the wheel. A plain path in a .pth file: its own .pth files (this checkout's
    # editable install among them) are not run.
    own = next((env / "lib").glob("python*/site-packages"))
    (own / "outer.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    wheel = next(wheels.glob("briefing-*.whl"))
    subprocess.run([env / "bin" / "python", "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True)
    return env


def test_init_from_a_plain_install_copies_the_default_theme(installed: Path, tmp_path: Path) -> None:
    python = installed / "bin" / "python"
    where = subprocess.run([python, "-c", "import briefing; print(briefing.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert str(installed) in where, "the test must exercise the installed copy, not this checkout"
    target = tmp_path / "baru"
    subprocess.run([installed / "bin" / "briefing", "init", str(target)], check=True, capture_output=True)
    for name in ("base.html", "article.html", "pdf/briefing.html", "static/style.css", "i18n/id.yaml"):
        assert (target / "templates" / name).is_file(), name
    check = subprocess.run([installed / "bin" / "briefing", "--root", str(target), "check"],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    assert "0 errors" in check.stdout
