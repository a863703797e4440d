"""Private metadata: a reflection's practice and kintsugi link sealed with its author's key; export files.

Which practice a person chose (and so how they were arriving) and which old entry a kintsugi reflection
revisits were clear columns. They move into `sealed_meta`, sealed with the author's own data key and
padded to one length; the link is kept on the kintsugi entry only (the old entry is no longer updated).
Existing rows are sealed here, so this migration needs the master keys: `kindly migrate` and start-up
hand them over (`master_keys` in the Alembic attributes), and only when there are rows to seal or open.

`export_files` keeps the Slack file ids of exports until they are deleted from Slack.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MENDED_FK = "fk_reflections_mended_by_id_reflections"
UNKNOWN_PRACTICE = "unknown"
# The sealed plaintext as this revision defines it (slackapp/store/reflection_meta.py then): written out
# here, not imported, so this migration seals and opens the same bytes however the app changes later.
SEALED_SIZE = 128

reflections = sa.table(
    "reflections",
    sa.column("id", sa.Uuid()),
    sa.column("team_id", sa.String()),
    sa.column("user_id", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("practice", sa.String()),
    sa.column("mended_by_id", sa.Uuid()),
    sa.column("mended_at", sa.DateTime(timezone=True)),
    sa.column("sealed_meta", sa.LargeBinary()),
)
data_keys = sa.table(
    "data_keys",
    sa.column("team_id", sa.String()),
    sa.column("user_id", sa.String()),
    sa.column("wrapped_key"),
)


def upgrade() -> None:
    # Keys first: SQLite runs DDL outside the transaction, so a missing key must stop us before any change.
    keys = _data_keys(op.get_bind()) if _has_reflections() else {}
    op.create_table(
        "export_files",
        sa.Column("file_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("export_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_export_files")),
    )
    op.create_index("ix_export_files_owner", "export_files", ["team_id", "user_id"])
    with op.batch_alter_table("reflections") as batch:
        batch.add_column(sa.Column("sealed_meta", sa.LargeBinary(), nullable=True))
    _seal_existing_rows(keys)
    with op.batch_alter_table("reflections") as batch:
        batch.drop_constraint(MENDED_FK, type_="foreignkey")
        batch.drop_column("mended_at")
        batch.drop_column("mended_by_id")
        batch.drop_column("practice")
        batch.alter_column("sealed_meta", existing_type=sa.LargeBinary(), nullable=False)


def downgrade() -> None:
    keys = _data_keys(op.get_bind()) if _has_reflections() else {}
    with op.batch_alter_table("reflections") as batch:
        batch.add_column(sa.Column("practice", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("mended_by_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("mended_at", sa.DateTime(timezone=True), nullable=True))
    links = _open_existing_rows(keys)
    with op.batch_alter_table("reflections") as batch:
        batch.alter_column("practice", existing_type=sa.String(length=40), nullable=False)
        batch.create_foreign_key(MENDED_FK, "reflections", ["mended_by_id"], ["id"], ondelete="SET NULL")
        batch.drop_column("sealed_meta")
    # Only now: SQLite's batch mode recreates the table, and dropping the old one would set these to NULL.
    for old_id, values in links.items():
        op.get_bind().execute(sa.update(reflections).where(reflections.c.id == old_id).values(**values))
    op.drop_index("ix_export_files_owner", table_name="export_files")
    op.drop_table("export_files")


def _has_reflections() -> bool:
    return op.get_bind().execute(sa.select(reflections.c.id).limit(1)).first() is not None


def _seal_existing_rows(keys: dict[tuple[str, str], Fernet]) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            reflections.c.id,
            reflections.c.team_id,
            reflections.c.user_id,
            reflections.c.practice,
            reflections.c.mended_by_id,
        )
    ).all()
    revisits = {row.mended_by_id: row.id for row in rows if row.mended_by_id is not None}
    for row in rows:
        key = keys.get((row.team_id, row.user_id))
        if key is None:  # its author's key is destroyed: the row can never be read, so it goes
            connection.execute(sa.delete(reflections).where(reflections.c.id == row.id))
            continue
        sealed = key.encrypt(_sealed_plaintext(row.practice, revisits.get(row.id)))
        # The clear values are blanked before their columns go, so no live row version still holds them.
        connection.execute(
            sa.update(reflections)
            .where(reflections.c.id == row.id)
            .values(sealed_meta=sealed, practice="", mended_by_id=None, mended_at=None)
        )


def _open_existing_rows(keys: dict[tuple[str, str], Fernet]) -> dict[Any, dict[str, Any]]:
    """Put each practice back in clear; returns the old entries' kintsugi links, to restore last."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            reflections.c.id,
            reflections.c.team_id,
            reflections.c.user_id,
            reflections.c.created_at,
            reflections.c.sealed_meta,
        )
    ).all()
    present = {row.id for row in rows}
    links: dict[Any, dict[str, Any]] = {}
    for row in rows:
        practice, revisits = _opened(keys.get((row.team_id, row.user_id)), row.sealed_meta)
        connection.execute(sa.update(reflections).where(reflections.c.id == row.id).values(practice=practice))
        if revisits in present:
            links[revisits] = {"mended_by_id": row.id, "mended_at": row.created_at}
    return links


def _sealed_plaintext(practice: str, revisits: uuid.UUID | None) -> bytes:
    """JSON of the practice and the kintsugi link, padded with spaces to exactly SEALED_SIZE bytes."""
    document = {"practice": practice, "revisits": str(revisits) if revisits else None}
    return json.dumps(document, separators=(",", ":")).encode("utf-8").ljust(SEALED_SIZE, b" ")


def _opened(key: Fernet | None, token: bytes) -> tuple[str, uuid.UUID | None]:
    """The practice and the entry it revisits; an unreadable row keeps an unknown practice and no link."""
    if key is None:
        return UNKNOWN_PRACTICE, None
    try:
        document = json.loads(key.decrypt(token))
    except InvalidToken:
        return UNKNOWN_PRACTICE, None
    revisits = document.get("revisits")
    return str(document["practice"]), uuid.UUID(revisits) if revisits else None


def _data_keys(connection: sa.Connection) -> dict[tuple[str, str], Fernet]:
    master = _master_keys()
    keys: dict[tuple[str, str], Fernet] = {}
    for team_id, user_id, wrapped in connection.execute(
        sa.select(data_keys.c.team_id, data_keys.c.user_id, data_keys.c.wrapped_key)
    ):
        try:
            keys[(team_id, user_id)] = Fernet(master.decrypt(bytes(wrapped)))
        except InvalidToken:
            raise RuntimeError(
                "migration 0010 seals reflection metadata with each person's data key, but a data key does "
                "not open with the configured master keys: check KINDLY_ENCRYPTION_KEYS"
            ) from None
    return keys


def _master_keys() -> MultiFernet:
    loader: Callable[[], Any] | None = context.config.attributes.get("master_keys")
    if loader is None:
        raise RuntimeError(
            "migration 0010 seals reflection metadata and needs the master keys: run `kindly migrate`"
        )
    master = loader()
    assert isinstance(master, MultiFernet)
    return master
