"""The shipped catalogues, and the `_` / `_n` that templates call: copy in the locale being rendered.

Templates mark copy as `_("Keeping it safe…")` or `_("Next one: %(when)s", when=slack_date(moment))`.
The result is a plain string, which rendering escapes for its destination like any other value; when a
parameter is SafeText (a mention, a date token, a link), the copy is escaped here and the result is
SafeText, so the token survives and the rest of the copy is still escaped.
The catalogues (templates/locale/<locale>/LC_MESSAGES/messages.po) are compiled when Kindly is
installed (setup.py); `catalogues_path()` is where they are read from.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from gettext import NullTranslations
from importlib.resources import files
from pathlib import Path

from babel.support import Translations

from slackapp.rendering.escaping import SafeText, escape_mrkdwn
from slackapp.rendering.locales import SOURCE_LOCALE

DOMAIN = "messages"
_speaking: ContextVar[str] = ContextVar("kindly_locale", default=SOURCE_LOCALE)


def catalogues_path() -> Path:
    return Path(str(files("slackapp.templates"))) / "locale"


@cache
def translations(locale: str) -> NullTranslations:
    """A locale's compiled catalogue; the source language (or a catalogue not built) reads as English."""
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    return Translations.load(str(catalogues_path()), [locale], domain=DOMAIN)


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Render in `locale` (a shipped catalogue locale: see locales.catalogue_locale) inside the block."""
    token = _speaking.set(locale)
    try:
        yield
    finally:
        _speaking.reset(token)


def _filled(text: str, params: dict[str, object]) -> str:
    if not params:
        return text
    if any(isinstance(value, SafeText) for value in params.values()):
        escaped = {
            key: value if isinstance(value, SafeText) else escape_mrkdwn(str(value))
            for key, value in params.items()
        }
        return SafeText(escape_mrkdwn(text) % escaped)
    return text % params


def translate(message: str, **params: object) -> str:
    """`_` in templates: `message` in the locale being rendered, its %(name)s parameters filled in."""
    return _filled(translations(_speaking.get()).gettext(message), params)


def translate_plural(singular: str, plural: str, count: int, **params: object) -> str:
    """`_n` in templates: the plural form for `count` (available to the copy as %(count)s)."""
    text = translations(_speaking.get()).ngettext(singular, plural, count)
    return _filled(text, {"count": count, **params})
