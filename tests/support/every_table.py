"""A row in every table of Kindly's schema, built from the model metadata, so that a check over "all of a
workspace's (or a person's) data" covers a table added tomorrow without anyone remembering to list it.

A table belongs to a workspace when it has a `team_id` column, or a foreign key to a table that does. A
column names a person when it is `user_id`, `subject`, ends in `_by`, or ends in `_id` without naming one
of the things in NOT_PEOPLE. Tables that belong to no workspace must be listed in UNSCOPED, with why.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Column, Connection, Table, and_, select
from sqlalchemy import types as sqltypes
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from slackapp.store.models import Base
from slackapp.store.sealed_installations import SECRET_TABLES

SEEDED_AT = datetime(2027, 1, 4, 8, tzinfo=UTC)  # every timestamp of a seeded row

# `..._id` columns that name something other than a person.
NOT_PEOPLE = frozenset(
    {"team_id", "workspace_id", "enterprise_id", "file_id", "event_id", "key_id", "export_id", "audience_id"}
    | {"program_id", "schedule_id", "id"}
)
# Tables that hold nothing of any workspace or person.
UNSCOPED = {
    "processed_events": "Slack's event ids, for replay protection only",
    "master_keys": "one-way ids of the master keys and their ages",
}
# slack_sdk's installation store: the tokens, which an uninstall removes at once.
INSTALLATION_TABLES = tuple(SECRET_TABLES)


def names_a_person(column: Column[Any]) -> bool:
    name = column.name
    if name in NOT_PEOPLE or column.foreign_keys:
        return False
    return name in {"user_id", "subject"} or name.endswith(("_id", "_by"))


def person_columns(table: Table) -> list[Column[Any]]:
    return [column for column in table.columns if names_a_person(column)]


def belongs_to_a_workspace(table: Table) -> bool:
    if "team_id" in table.columns:
        return True
    return any(belongs_to_a_workspace(key.column.table) for key in table.foreign_keys)


def kindly_tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


@dataclass(frozen=True)
class SeededRow:
    table: Table
    key: dict[str, Any]  # its primary key
    team_id: str
    people: frozenset[str]  # the user ids its person columns hold


@dataclass
class Seeder:
    """Inserts rows with plausible values of each column's type; children point to their team's parent."""

    connection: Connection
    rows: list[SeededRow] = field(default_factory=list)
    _serial: itertools.count[int] = field(default_factory=itertools.count)
    # (table, team, whose) -> the primary key of the row that children of that owner point to
    _parents: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)

    def seed(self, team_id: str, *, person: str, other: str, skip: Collection[str] = ()) -> None:
        """Per table of the team: a row of `other`'s, one of `person`'s, and, where a table names several
        people, one per column naming `person` among columns naming `other`."""
        for table in kindly_tables():
            if table.name in skip:
                continue
            columns = person_columns(table)
            variants = [{c.name: other for c in columns}, {c.name: person for c in columns}]
            variants += [{c.name: person if c is only else other for c in columns} for only in columns]
            unique = {tuple(sorted(v.items())): v for v in variants}.values()
            for people in unique:
                whose = person if set(people.values()) == {person} else other
                self._insert(table, team_id, people, whose)

    def _insert(self, table: Table, team_id: str, people: dict[str, str], whose: str) -> None:
        values: dict[str, Any] = {}
        for column in table.columns:
            value = self._value(column, team_id, people, whose)
            if value is not None:
                values[column.name] = value
        key_names = [c.name for c in table.primary_key.columns]
        key = {name: values[name] for name in key_names if name in values}
        if len(key) == len(key_names):
            present = self.connection.execute(
                select(*table.primary_key.columns).where(and_(*(table.c[n] == v for n, v in key.items())))
            ).first()
            if present is not None:  # e.g. the workspace row an install already made
                self._remember(table, team_id, whose, key)
                return
        result = self.connection.execute(table.insert().values(**values))
        key = dict(zip(key_names, result.inserted_primary_key or (), strict=True))
        self._remember(table, team_id, whose, key)
        self.rows.append(SeededRow(table, key, team_id, frozenset(people.values())))

    def _remember(self, table: Table, team_id: str, whose: str, key: dict[str, Any]) -> None:
        for owner in (whose, ""):  # "": any row of the team, for children of tables naming nobody
            self._parents.setdefault((table.name, team_id, owner), key)

    def _value(self, column: Column[Any], team_id: str, people: dict[str, str], whose: str) -> Any:
        if column.name in people:
            return people[column.name]
        if column.name == "team_id":
            return team_id
        for foreign in column.foreign_keys:
            parent = foreign.column
            key = (
                self._parents.get((parent.table.name, team_id, whose))
                or self._parents[(parent.table.name, team_id, "")]
            )
            return key[parent.name]
        if isinstance(column.default, ScalarElementColumnDefault):
            return column.default.arg  # e.g. a delivery's "pending": what the app itself would store
        if column.nullable and not column.primary_key:
            return None  # neutral: no retention, no pause, not yet due
        if (
            column.primary_key
            and isinstance(column.type, sqltypes.Integer)
            and len(column.table.primary_key) == 1
        ):
            return None  # autoincrement
        kind = column.type
        if isinstance(kind, sqltypes.Uuid):
            return uuid.uuid4()
        if isinstance(kind, sqltypes.LargeBinary):
            return b"\x00seeded"
        if isinstance(kind, sqltypes.Boolean):
            return True
        if isinstance(kind, sqltypes.Integer):
            return 1
        if isinstance(kind, sqltypes.Date):
            return date(2027, 1, 4)
        if isinstance(kind, sqltypes.Time):
            return time(9)
        if isinstance(kind, sqltypes.DateTime | sqltypes.TypeDecorator):
            return SEEDED_AT
        if isinstance(kind, sqltypes.String):
            return f"v{next(self._serial)}"
        raise AssertionError(f"{column.table.name}.{column.name}: teach the seeder its type {kind!r}")


def still_there(connection: Connection, row: SeededRow) -> dict[str, Any] | None:
    """The row as it is now, or None once it is gone."""
    where = and_(*(row.table.c[name] == value for name, value in row.key.items()))
    found = connection.execute(select(row.table).where(where)).mappings().first()
    return dict(found) if found is not None else None


def teams_in(connection: Connection, table: Table) -> set[str]:
    return set(connection.scalars(select(table.c.team_id)))
