"""Which catalogue speaks to a person: Slack's locale, in whatever form it comes, to a shipped language.

Slack names a person's language as `en-US`, `pt-BR`, `zh-TW`...; events and older payloads may write
`en_US` or a script (`zh-Hant-TW`), or send nothing. Anything Kindly has no catalogue for is English.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError, negotiate_locale

SOURCE_LOCALE = "en_US"
# The catalogues in templates/locale/, besides the source (US English).
SHIPPED_LOCALES: tuple[str, ...] = ("de", "es", "fr", "ja", "pt_BR")


@cache
def catalogue_locale(slack_locale: str | None) -> str:
    """The shipped locale that speaks to someone whose Slack locale is `slack_locale` (else English)."""
    text = (slack_locale or "").strip().replace("-", "_")
    language = text.split("_", 1)[0].lower()
    try:
        parsed = Locale.parse(text)
        candidates = [str(parsed), f"{parsed.language}_{parsed.territory}", parsed.language]
    except (ValueError, UnknownLocaleError):  # Slack's own "es-LA" is no CLDR locale
        candidates = [language]
    exact = negotiate_locale(candidates, list(SHIPPED_LOCALES))
    if exact:
        return exact
    # Another variety of a shipped language (pt-PT, es-ES) reads better than English.
    same_language = [shipped for shipped in SHIPPED_LOCALES if shipped.split("_")[0] == language]
    return same_language[0] if same_language else SOURCE_LOCALE
