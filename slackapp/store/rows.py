"""Rows of one model by their ids, in one query: how a tick loads a batch's deliveries and schedules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session


def rows_by_id(session: Session, model: Any, ids: Sequence[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(set(ids))))}
