"""Every module of the app is small and says what it is for: at most 400 lines, and a docstring of its job."""

from __future__ import annotations

import ast
from pathlib import Path

import slackapp

MAX_LINES = 400
PACKAGE = Path(slackapp.__file__).parent


def _modules() -> list[Path]:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50, f"found only {len(modules)} modules under {PACKAGE}"
    return modules


def test_no_module_is_longer_than_400_lines() -> None:
    too_long = {
        str(path.relative_to(PACKAGE)): lines
        for path in _modules()
        if (lines := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}, f"split these by job (lines): {too_long}"


def test_every_module_says_its_job_in_a_docstring() -> None:
    silent = [
        str(path.relative_to(PACKAGE))
        for path in _modules()
        if not (ast.get_docstring(ast.parse(path.read_text("utf-8"))) or "").strip()
    ]
    assert silent == [], f"give these a module docstring that says their job: {silent}"
