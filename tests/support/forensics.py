"""PostgreSQL as a database operator sees it: every tuple version on every page, dead ones included."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

LIVE_AND_DEAD = """
SELECT t_xmin::text::bigint, t_xmax::text::bigint, t_ctid::text, coalesce(t_data, ''::bytea)
FROM {schema}.heap_page_items({schema}.get_raw_page(%(relation)s, %(block)s))
WHERE lp_flags = 1
"""
RELATIONS = """
SELECT c.relname, c.relkind, pg_relation_size(c.oid) / current_setting('block_size')::int
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i', 't')
"""


@dataclass(frozen=True)
class TupleVersion:
    table: str
    xmin: int
    xmax: int
    ctid: str
    data: bytes


@dataclass(frozen=True)
class PageDump:
    """Every heap tuple version (live or dead) and the raw bytes of every table and index page."""

    tuples: list[TupleVersion]
    raw: bytes


def current_transaction_id(engine: Engine) -> int:
    with engine.begin() as connection:
        return int(connection.exec_driver_sql("SELECT pg_current_xact_id()::text::bigint").scalar_one())


def dump_pages(engine: Engine) -> PageDump:
    """Read the pages with pageinspect, as anyone who can connect as a superuser can."""
    with engine.begin() as connection:
        available = connection.exec_driver_sql(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pageinspect'"
        ).scalar()
        if not available:
            pytest.skip("pageinspect (PostgreSQL's contrib package) is not installed")
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
        schema = connection.exec_driver_sql(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pageinspect'"
        ).scalar_one()
        tuples: list[TupleVersion] = []
        raw: list[bytes] = []
        for relation, kind, blocks in connection.exec_driver_sql(RELATIONS).all():
            for block in range(blocks):
                page = connection.exec_driver_sql(
                    f"SELECT {schema}.get_raw_page(%(relation)s, %(block)s)",
                    {"relation": relation, "block": block},
                ).scalar_one()
                raw.append(bytes(page))
                if kind != "r":
                    continue
                for xmin, xmax, ctid, data in connection.exec_driver_sql(
                    LIVE_AND_DEAD.format(schema=schema), {"relation": relation, "block": block}
                ):
                    tuples.append(TupleVersion(relation, xmin, xmax, ctid, bytes(data)))
    return PageDump(tuples=tuples, raw=b"".join(raw))
