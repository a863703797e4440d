"""The one Jinja2 environment. Templates write Block Kit as JSON; every `{{ value }}` is a JSON literal.

`finalize` turns each expression into a JSON value, and a string into an *escaped* JSON string unless
it is SafeText: so user text can neither break the JSON nor form a mention, link or `<!channel>`.
Autoescaping is on only so that macro output (markupsafe.Markup: an already rendered JSON fragment)
can be told apart from values and passed through unchanged.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from slackapp.rendering.escaping import (
    SafeText,
    blockquote,
    channel_link,
    escape_mrkdwn,
    join_markup,
    link,
    mention,
    plain,
    usergroup_mention,
)
from slackapp.rendering.limits import BlockKitError, validate_message, validate_view
from slackapp.rendering.locales import SOURCE_LOCALE
from slackapp.rendering.translations import speaking, translate, translate_plural


def _fragment(json_text: str) -> Markup:
    # Markup here means "a finished JSON literal", not HTML: json.dumps made it, so nothing is injected.
    return Markup(json_text)  # noqa: S704


def _json_value(value: Any) -> Markup:
    if isinstance(value, Markup):
        return value
    if isinstance(value, SafeText):
        return _fragment(json.dumps(str(value)))
    if isinstance(value, str):
        return _fragment(json.dumps(escape_mrkdwn(value)))
    return _fragment(json.dumps(value))


def slack_date(moment: datetime, pattern: str = "{date_short_pretty}") -> SafeText:
    """A moment Slack shows in each reader's own format and time zone, with a UTC fallback."""
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return SafeText(f"<!date^{int(moment.timestamp())}^{pattern}|{fallback}>")


def slack_day(day: date, tz: str = "UTC", pattern: str = "{date_long_pretty}") -> SafeText:
    """A calendar day, as a token for midday in `tz` (the zone the day belongs to): the reader sees
    that day in their own format, and the same day whenever their zone is within 12 hours of `tz`."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        zone = ZoneInfo("UTC")
    midday = datetime.combine(day, time(12), tzinfo=zone)
    return SafeText(f"<!date^{int(midday.timestamp())}^{pattern}|{day.isoformat()}>")


def wall_clock(moment: time) -> str:
    """A time of day that is a setting, not a moment (each member's own 10:00): no zone to convert."""
    return moment.strftime("%H:%M")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def templates_root() -> str:
    return str(files("slackapp.templates"))


class _ValidatedSources:
    """Digests of rendered documents that passed validation: the same bytes need no second check.

    Most views are the same document for everyone (a practice, the closing words), and slack_sdk's model
    checks cost more than rendering them; only an exact byte-for-byte repeat is skipped.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._digests: OrderedDict[bytes, None] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def check(self, source: str, document: dict[str, Any], validate: Callable[[dict[str, Any]], Any]) -> None:
        digest = hashlib.blake2b(f"{validate.__name__}:{source}".encode(), digest_size=16).digest()
        with self._lock:
            if digest in self._digests:
                self._digests.move_to_end(digest)
                return
        validate(document)
        with self._lock:
            self._digests[digest] = None
            if len(self._digests) > self._capacity:
                self._digests.popitem(last=False)


class Renderer:
    """Renders templates into validated Block Kit views and messages, and copy into text."""

    def __init__(self, root: str | None = None, *, clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self._validated = _ValidatedSources()
        self._env = Environment(
            loader=FileSystemLoader(root or templates_root()),
            undefined=StrictUndefined,
            finalize=_json_value,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self._env.globals.update(
            cat=join_markup,
            slack_date=slack_date,
            slack_day=slack_day,
            days_ago=self._days_ago,
            mention=mention,
            channel_link=channel_link,
            usergroup_mention=usergroup_mention,
            blockquote=blockquote,
            link=link,
            _=translate,
            _n=translate_plural,
        )
        self._env.filters.update(
            plain=plain,
            truncate_text=truncate,
            slack_date=slack_date,
            slack_day=slack_day,
            wall_clock=wall_clock,
        )
        # Plain copy for field errors and fallbacks: neither HTML nor JSON, so nothing to escape.
        self._text_env = Environment(
            loader=FileSystemLoader(root or templates_root()),
            undefined=StrictUndefined,
            autoescape=False,  # noqa: S701
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._text_env.globals.update(_=translate, _n=translate_plural)

    def _days_ago(self, moment: datetime) -> int:
        """Whole days since `moment`, for labels that cannot hold a date token (plain_text options)."""
        return max(0, (self._clock() - moment).days)

    def _render_json(
        self, name: str, context: dict[str, Any], validate: Callable[[dict[str, Any]], Any], locale: str
    ) -> dict[str, Any]:
        with speaking(locale):
            source = self._env.get_template(name).render(**context)
        try:
            document: dict[str, Any] = json.loads(source)
        except json.JSONDecodeError as error:
            raise BlockKitError(f"{name} rendered invalid JSON: {error}") from error
        self._validated.check(source, document, validate)
        return document

    def view(self, name: str, *, locale: str = SOURCE_LOCALE, **context: Any) -> dict[str, Any]:
        """A modal or Home tab in `locale` (locales.catalogue_locale), validated against Slack's limits."""
        return self._render_json(name, context, validate_view, locale)

    def message(self, name: str, *, locale: str = SOURCE_LOCALE, **context: Any) -> dict[str, Any]:
        """A message payload ({"text", "blocks"}) in `locale`, validated against Slack's limits."""
        return self._render_json(name, context, validate_message, locale)

    def text(self, name: str, *, locale: str = SOURCE_LOCALE, **context: Any) -> str:
        """Short copy (field errors, fallbacks) from a text template, in `locale`."""
        with speaking(locale):
            return self._text_env.get_template(name).render(**context).strip()
