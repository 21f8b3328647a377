"""Where the default theme lives.

In this repository the default theme is the top-level ``templates/`` folder (the
repository is itself a briefing). Installed packages carry a copy inside the
package as ``briefing/theme/`` (see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def default_theme() -> Path:
    packaged = _PACKAGE / "theme"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "templates"
