"""Realistic `ok: true` answers per method, loaded from the `responses/` package data."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib.resources import files
from typing import Any


def template(method: str) -> dict[str, Any]:
    """A fresh copy of the stored answer for `method` (`{"ok": true}` when none is stored)."""
    return copy.deepcopy(_load(method))


@lru_cache(maxsize=256)
def _load(method: str) -> dict[str, Any]:
    resource = files(__package__ or "fakeslack").joinpath("responses", f"{method}.json")
    if not resource.is_file():
        return {"ok": True}
    loaded: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return loaded
