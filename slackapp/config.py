"""Settings from the environment, validated once at start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_FILE = "kindly.sqlite3"
DEFAULT_KEY_FILE = "kindly-master.key"
APP_CONFIG_PAGE = "https://api.slack.com/apps"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming it and how to fix it."""

    def __init__(self, variable: str, problem: str, remedy: str) -> None:
        self.variable = variable
        super().__init__(f"{variable} {problem}. {remedy}")


class Secret:
    """A string that never shows itself in repr, str or logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything Kindly reads from its environment. Tests build it directly."""

    bot_token: Secret | None = None
    signing_secret: Secret | None = None
    app_token: Secret | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    api_url: str = DEFAULT_API_URL
    # Out of repr: a PostgreSQL URL carries its password.
    database_url: str = field(default=f"sqlite:///{DEFAULT_DATABASE_FILE}", repr=False)
    encryption_keys: tuple[Secret, ...] = ()
    key_file: Path | None = None
    log_format: str = "text"
    log_level: str = "INFO"
    post_rate: float = 2.0  # chat.postMessage per second and workspace (Slack: several hundred a minute)
    post_burst: int = 10
    grace: timedelta = field(default_factory=lambda: timedelta(hours=2))
    tick_seconds: int = 30
    # How long an uninstalled workspace's data is kept for a reinstall; zero deletes it at once.
    uninstall_grace: timedelta = field(default_factory=timedelta)
    # Out of repr like every secret: the bearer token /metrics asks for (None: /metrics is open).
    metrics_token: Secret | None = None
    # `kindly doctor` warns when the oldest master key in use is older than this: rotate on a schedule.
    key_max_age: timedelta = field(default_factory=lambda: timedelta(days=90))
    # How long backups are kept (None: not said): a rotated-out key may be destroyed once they expire.
    backup_retention: timedelta | None = None
    # The private self-check (SSCS-S): off until its items are confirmed against the published scale
    # (docs/self-check.md says how), since a validated measure must be asked word for word.
    self_check: bool = False
    # Socket Mode: the port of /healthz and /readyz for container probes (0: any free one); None: none.
    health_port: int | None = None

    @property
    def oauth(self) -> bool:
        """Distributed to many workspaces: tokens come from installations, not SLACK_BOT_TOKEN."""
        return bool(self.client_id and self.client_secret)

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def _remedy(where: str) -> str:
    return f"Find it at {APP_CONFIG_PAGE} -> your app -> {where}"


_TOKEN_RULES = {
    "SLACK_BOT_TOKEN": ("xoxb-", _remedy("OAuth & Permissions -> Bot User OAuth Token")),
    "SLACK_APP_TOKEN": ("xapp-", _remedy("Basic Information -> App-Level Tokens (scope connections:write)")),
}
_SIGNING_REMEDY = _remedy("Basic Information -> App Credentials -> Signing Secret")


def _token(env: Mapping[str, str], name: str) -> Secret | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    prefix, remedy = _TOKEN_RULES[name]
    if not value.startswith(prefix) or re.search(r"\s", value):
        raise ConfigError(name, f"should start with '{prefix}' and contain no spaces", remedy)
    return Secret(value)


def _signing_secret(env: Mapping[str, str]) -> Secret | None:
    value = env.get("SLACK_SIGNING_SECRET", "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9a-fA-F]{32}", value):
        raise ConfigError(
            "SLACK_SIGNING_SECRET",
            f"should be 32 characters of 0-9 and a-f (like 5fa0…e91c); this one {_signing_mistake(value)}",
            _SIGNING_REMEDY + " (Show, then copy; not the Client Secret or Verification Token)",
        )
    return Secret(value)


def _signing_mistake(value: str) -> str:
    """What is wrong with a would-be signing secret, without repeating any of it."""
    if value.startswith(("xoxb-", "xoxp-", "xapp-")):
        return f"is a token ({value[:4]}…), not the signing secret"
    if re.fullmatch(r"[0-9A-Za-z]{24}", value):
        return "has 24 letters and digits: that is the Verification Token"
    if re.fullmatch(r"[0-9a-fA-F]+", value):
        return f"has {len(value)} characters"
    return f"has {len(value)} characters, some of them not 0-9 or a-f"


def _api_url(env: Mapping[str, str]) -> str:
    value = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(
            "SLACK_API_URL",
            f"is not an http(s) URL ({value!r})",
            "Leave it unset for slack.com, or use e.g. https://slack-gov.com/api/ for GovSlack",
        )
    return value if value.endswith("/") else value + "/"


def _database_url(env: Mapping[str, str]) -> str:
    value = env.get("DATABASE_URL", "").strip() or f"sqlite:///{DEFAULT_DATABASE_FILE}"
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL",
            "is not a database URL",
            "Use e.g. postgresql+psycopg://user:pass@host/kindly, or leave it unset for a local SQLite file",
        ) from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(
            "DATABASE_URL",
            f"names an unsupported database ({url.get_backend_name()})",
            "Use SQLite or PostgreSQL",
        )
    if url.drivername not in {"sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg"}:
        raise ConfigError(
            "DATABASE_URL",
            f"asks for the driver {url.drivername!r}",
            "Use postgresql+psycopg:// (or sqlite:///)",
        )
    if url.drivername == "postgresql":
        value = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return value


def _encryption_keys(env: Mapping[str, str]) -> tuple[Secret, ...]:
    raw = env.get("KINDLY_ENCRYPTION_KEYS", "").strip()
    if not raw:
        return ()
    keys = tuple(part.strip() for part in raw.split(","))
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ConfigError(
                "KINDLY_ENCRYPTION_KEYS",
                f"key {position} is not a valid Fernet key",
                "Create one with `kindly new-key`; list keys comma-separated, newest first",
            ) from None
    return tuple(Secret(key) for key in keys)


def _log_format(env: Mapping[str, str]) -> str:
    value = env.get("KINDLY_LOG_FORMAT", "").strip().lower() or "text"
    if value not in {"text", "json"}:
        raise ConfigError("KINDLY_LOG_FORMAT", f"is {value!r}", "Use 'text' (default) or 'json'")
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _log_level(env: Mapping[str, str]) -> str:
    value = env.get("KINDLY_LOG_LEVEL", "").strip().upper() or "INFO"
    if value not in LOG_LEVELS:
        raise ConfigError("KINDLY_LOG_LEVEL", f"is {value!r}", "Use one of " + ", ".join(LOG_LEVELS))
    return value


def _number(
    env: Mapping[str, str], name: str, default: float, *, low: float, high: float, meaning: str
) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise ConfigError(
            name, f"is {raw!r}", f"Use {meaning} between {low:g} and {high:g} (default {default:g})"
        )
    return value


def _whole_number(
    env: Mapping[str, str], name: str, default: int, *, low: int, high: int, meaning: str
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]+", raw) or not low <= int(raw) <= high:
        raise ConfigError(name, f"is {raw!r}", f"Use {meaning} between {low} and {high} (default {default})")
    return int(raw)


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping; raises ConfigError on the first bad value."""
    database_url = _database_url(env)
    keys = _encryption_keys(env)
    key_file = None
    if not keys:
        if not database_url.startswith("sqlite"):
            raise ConfigError(
                "KINDLY_ENCRYPTION_KEYS",
                "is required with a shared database",
                "Create one with `kindly new-key` and give every process the same value",
            )
        key_file = Path(env.get("KINDLY_KEY_FILE", "").strip() or DEFAULT_KEY_FILE)
    client_secret = env.get("SLACK_CLIENT_SECRET", "").strip()
    return Settings(
        bot_token=_token(env, "SLACK_BOT_TOKEN"),
        signing_secret=_signing_secret(env),
        app_token=_token(env, "SLACK_APP_TOKEN"),
        client_id=env.get("SLACK_CLIENT_ID", "").strip() or None,
        client_secret=Secret(client_secret) if client_secret else None,
        api_url=_api_url(env),
        database_url=database_url,
        encryption_keys=keys,
        key_file=key_file,
        log_format=_log_format(env),
        log_level=_log_level(env),
        post_rate=_number(env, "KINDLY_POST_RATE", 2.0, low=0.1, high=100, meaning="messages per second"),
        post_burst=_whole_number(env, "KINDLY_POST_BURST", 10, low=1, high=1000, meaning="a whole number"),
        grace=timedelta(
            minutes=_number(env, "KINDLY_GRACE_MINUTES", 120, low=1, high=24 * 60, meaning="minutes")
        ),
        tick_seconds=_whole_number(env, "KINDLY_TICK_SECONDS", 30, low=1, high=3600, meaning="seconds"),
        uninstall_grace=timedelta(
            days=_whole_number(env, "KINDLY_UNINSTALL_GRACE_DAYS", 0, low=0, high=365, meaning="whole days")
        ),
        metrics_token=_metrics_token(env),
        key_max_age=timedelta(
            days=_whole_number(env, "KINDLY_KEY_MAX_AGE_DAYS", 90, low=1, high=3650, meaning="whole days")
        ),
        backup_retention=_backup_retention(env),
        health_port=_whole_number(env, "KINDLY_HEALTH_PORT", 0, low=0, high=65535, meaning="a port") or None,
        self_check=_switch(env, "KINDLY_SELF_CHECK"),
    )


SWITCH_WORDS = {
    "on": True,
    "true": True,
    "1": True,
    "yes": True,
    "off": False,
    "false": False,
    "0": False,
    "no": False,
}


def _switch(env: Mapping[str, str], name: str) -> bool:
    """An on/off setting, off unless set."""
    value = env.get(name, "").strip().lower() or "off"
    if value not in SWITCH_WORDS:
        raise ConfigError(name, f"is {value!r}", "Use 'on' or 'off' (default)")
    return SWITCH_WORDS[value]


def _metrics_token(env: Mapping[str, str]) -> Secret | None:
    value = env.get("KINDLY_METRICS_TOKEN", "").strip()
    if not value:
        return None
    if len(value) < 16 or re.search(r"\s", value):
        raise ConfigError(
            "KINDLY_METRICS_TOKEN",
            "should be at least 16 characters with no spaces",
            "Use a random value, e.g. `kindly new-key`, and give the same to your Prometheus scrape config",
        )
    return Secret(value)


def _backup_retention(env: Mapping[str, str]) -> timedelta | None:
    if not env.get("KINDLY_BACKUP_RETENTION_DAYS", "").strip():
        return None
    days = _whole_number(env, "KINDLY_BACKUP_RETENTION_DAYS", 0, low=1, high=3650, meaning="whole days")
    return timedelta(days=days)


def require_slack_credentials(settings: Settings, *, http: bool, signing: bool = True) -> None:
    """Raise ConfigError for the first credential a command needs and does not have."""
    if settings.oauth:
        if http and signing and settings.signing_secret is None:
            raise ConfigError("SLACK_SIGNING_SECRET", "is not set", _SIGNING_REMEDY)
        return
    if settings.bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN", "is not set", _TOKEN_RULES["SLACK_BOT_TOKEN"][1])
    if not signing:
        return
    if http and settings.signing_secret is None:
        raise ConfigError("SLACK_SIGNING_SECRET", "is not set", _SIGNING_REMEDY)
    if not http and settings.app_token is None:
        raise ConfigError("SLACK_APP_TOKEN", "is not set", _TOKEN_RULES["SLACK_APP_TOKEN"][1])
