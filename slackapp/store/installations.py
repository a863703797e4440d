"""Slack OAuth installations, in our own database through slack_sdk's SQLAlchemy stores.

An installation is a workspace's (its team id, and its org's enterprise id inside an Enterprise Grid org)
or an org-wide one (the org's enterprise id, no team id). Kindly's data is stored under its id (the
workspace's, or the org's for an org-wide install): see `slackapp.listeners.identity.scope_of`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import ColumnElement, Engine, TableClause, and_, column, or_, select, table, update
from sqlalchemy.orm import Session

from slackapp.store.sealed_installations import SealedInstallationStore, TokenSealer

STATE_EXPIRATION_SECONDS = 600


def installation_store(engine: Engine, *, client_id: str, sealer: TokenSealer) -> SealedInstallationStore:
    """slack_sdk's store with tokens sealed at rest. Tables come from migrations 0005 and 0011."""
    return SealedInstallationStore(client_id=client_id, engine=engine, sealer=sealer)


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)


@dataclass(frozen=True)
class InstallationKey:
    """How slack_sdk's store keys an installation; `team_id` is None for an org-wide install."""

    enterprise_id: str | None
    team_id: str | None

    @classmethod
    def of(cls, installation: Installation) -> InstallationKey:
        team_id = None if installation.is_enterprise_install else installation.team_id
        return cls(installation.enterprise_id, team_id)

    @property
    def org_wide(self) -> bool:
        return self.team_id is None

    @property
    def scope(self) -> str:
        """The id Kindly's data of this installation is stored under."""
        scope = self.team_id or self.enterprise_id
        assert scope is not None, "an installation has a team id or an enterprise id"
        return scope


def bot_tokens(store: SealedInstallationStore, *, scopes: Collection[str]) -> dict[str, str]:
    """The newest bot token of each data scope, in one query: the workspace's own install, else the
    org-wide install. A scope with none is left out.

    A workspace inside a Grid org has its org's enterprise id on its row, which the dispatcher does not
    know, so the row is matched on the team id alone (slack_sdk's `find_bot` needs both).
    """
    wanted = set(scopes)
    if not wanted:
        return {}
    c = store.bots.c
    rows = (
        select(c.team_id, c.enterprise_id, c.bot_token)
        .where(
            c.client_id == store.client_id,
            c.bot_token.is_not(None),
            or_(c.team_id.in_(wanted), and_(c.team_id.is_(None), c.enterprise_id.in_(wanted))),
        )
        .order_by(c.installed_at.desc())
    )
    newest: dict[str, str] = {}
    with store.engine.connect() as connection:
        for team_id, enterprise_id, token in connection.execute(rows):
            scope = team_id if team_id in wanted else enterprise_id
            newest.setdefault(scope, token)
    return {scope: store.sealer.open(token) or "" for scope, token in newest.items()}


def installation_named(
    store: SQLAlchemyInstallationStore,
    *,
    enterprise_id: str | None,
    team_id: str | None,
    is_enterprise_install: bool,
) -> InstallationKey | None:
    """The installation an `app_uninstalled` or `tokens_revoked` event is about.

    Slack sends those events without `authorizations` (the tokens are gone), and an org's may name one of
    its workspaces, so the payload alone does not tell an org-wide install from a workspace's: the
    workspace's own stored install wins, then the org-wide one. With neither stored (the other event came
    first), the most specific key is returned, and deleting by it again changes nothing.
    """
    candidates = []
    if team_id and team_id != enterprise_id and not is_enterprise_install:
        candidates.append(InstallationKey(enterprise_id, team_id))
    if enterprise_id:
        candidates.append(InstallationKey(enterprise_id, None))
    for key in candidates:
        if is_stored(store, key):
            return key
    return candidates[0] if candidates else None


def is_stored(store: SQLAlchemyInstallationStore, key: InstallationKey) -> bool:
    """Whether the store holds an installation (or a bot) under exactly this key."""
    enterprise_id, team_id, org_wide = key.enterprise_id, key.team_id, key.org_wide
    installation = store.find_installation(
        enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
    )
    bot = store.find_bot(enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide)
    return installation is not None or bot is not None


def has_bot(session: Session, *, scope: str) -> bool:
    """Whether a bot token of any client is stored for a data scope (wiping is the side to be sure of)."""
    return (
        session.execute(select(_BOTS.c.bot_token).where(_bots_of(_BOTS, scope)).limit(1)).first() is not None
    )


# The columns of slack_sdk's bots table that scope lookups need, for code that has no store at hand.
_BOTS = table("slack_bots", column("team_id"), column("enterprise_id"), column("bot_token"))


# The columns of slack_sdk's installations table that name the person who installed Kindly.
_INSTALLATIONS = table(
    "slack_installations",
    column("team_id"),
    column("enterprise_id"),
    column("user_id"),
    column("user_token"),
    column("user_refresh_token"),
    column("user_scopes"),
    column("user_token_expires_at"),
)


def forget_installer(session: Session, *, scope: str, user_id: str, placeholder: str) -> None:
    """The installer's forget-me: their id and user token leave slack_sdk's rows; the bot's stay.

    slack_sdk's `user_id` column may not be empty, so it takes `placeholder` instead.
    """
    c = _INSTALLATIONS.c
    in_scope = or_(c.team_id == scope, and_(c.team_id.is_(None), c.enterprise_id == scope))
    session.execute(
        update(_INSTALLATIONS)
        .where(c.user_id == user_id, in_scope)
        .values(
            user_id=placeholder,
            user_token=None,
            user_refresh_token=None,
            user_scopes=None,
            user_token_expires_at=None,
        )
    )


def _bots_of(bots: TableClause, scope: str) -> ColumnElement[bool]:
    """Bots with a token for a data scope: the workspace's own install, or the org-wide install."""
    c = bots.c
    return and_(
        c.bot_token.is_not(None),
        or_(c.team_id == scope, and_(c.team_id.is_(None), c.enterprise_id == scope)),
    )
