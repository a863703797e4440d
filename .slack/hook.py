"""Run one of Kindly's Slack CLI hooks with the project's own Python, whether or not a virtualenv is active.

The Slack CLI runs hooks with whatever `python3` is first on PATH, which in a fresh clone is the system's,
without Kindly's dependencies. This file uses the standard library only: it finds `.venv` beside it (as
the README creates it), else the active virtualenv, and hands over to Kindly there.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = {"get-manifest": "slackapp.manifest", "start": "slackapp.slack_cli_start"}
SETUP = "python3 -m venv .venv && .venv/bin/pip install -e ."


def _interpreter() -> str | None:
    """The Python that has Kindly installed: the project's .venv, the active virtualenv, or this one."""
    homes = [ROOT / ".venv", *([Path(os.environ["VIRTUAL_ENV"])] if os.environ.get("VIRTUAL_ENV") else [])]
    for home in homes:
        for candidate in (home / "bin" / "python", home / "Scripts" / "python.exe"):
            if candidate.is_file():
                return str(candidate)
    return sys.executable if importlib.util.find_spec("slack_bolt") is not None else None


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in MODULES:
        sys.stderr.write(f"usage: python3 .slack/hook.py {{{','.join(MODULES)}}}\n")
        return 2
    python = _interpreter()
    if python is None:
        sys.stderr.write(f"kindly: Kindly is not installed here yet. In {ROOT}, run: {SETUP}\n")
        return 2
    # The hook's process becomes Kindly's, so the CLI's signals (Ctrl-C in `slack run`) reach Kindly.
    os.execv(python, [python, "-m", MODULES[argv[1]]])  # noqa: S606 (our own argv, not a user's)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
