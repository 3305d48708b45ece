"""Every package of the source tree is installed: pyproject.toml lists packages by hand (rules/ installs
as stagelint.rules), so a new subpackage left off the list would import in the checkout and fail once
installed (as the pre-commit hook installs it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "stagelint").rglob("__init__.py")}
    found.add("stagelint.rules")
    assert found == listed
