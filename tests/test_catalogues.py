"""Translation catalogues: complete, true to their placeholders, and used for each person's language.

The messages are extracted from the templates as `pybabel extract -F babel.cfg` does, so a string marked
in a template but missing from a shipped catalogue fails here, at build time, never on a person's screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.checkers import python_format
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from slackapp.rendering import Renderer
from slackapp.rendering.locales import SHIPPED_LOCALES, SOURCE_LOCALE, catalogue_locale

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "templates" / "locale"
KEYWORDS = {"_": None, "_n": (1, 2)}


def marked_messages() -> set[str]:
    """Every message the templates mark with `_` / `_n` (singular ids)."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found = extract_from_dir(
        str(ROOT / "templates"), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def shipped(locale: str) -> Catalog:
    with (CATALOGUES / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def problems(catalog: Catalog, wanted: set[str]) -> list[str]:
    """What keeps `catalog` from speaking for every marked message: missing, untranslated, fuzzy, or a
    translation whose %(placeholders)s differ from the source."""
    found: list[str] = []
    by_id: dict[str, Message] = {
        (message.id if isinstance(message.id, str) else message.id[0]): message
        for message in catalog
        if message.id
    }
    for key in sorted(wanted):
        message = by_id.get(key)
        translated = message.string if message is not None else None
        strings = [translated] if isinstance(translated, str) else list(translated or [])
        if message is None or not all(strings):
            found.append(f"untranslated: {key!r}")
            continue
        if message.fuzzy:
            found.append(f"fuzzy: {key!r}")
        try:
            python_format(catalog, message)
        except Exception as error:  # babel's TranslationError: the placeholders differ
            found.append(f"placeholders differ in {key!r}: {error}")
    return found


def test_templates_mark_copy_for_translation() -> None:
    assert "Keeping it safe…" in marked_messages()


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_every_shipped_catalogue_translates_every_marked_message(locale: str) -> None:
    assert problems(shipped(locale), marked_messages()) == []


def test_the_check_fails_on_a_missing_message_or_a_placeholder_mismatch() -> None:
    catalog = Catalog(locale="de")
    catalog.add("Next one: %(when)s", "Nächste: %(wann)s", flags=["python-format"])
    wanted = {"Next one: %(when)s", "A kind moment"}

    found = problems(catalog, wanted)

    assert any("untranslated" in line and "A kind moment" in line for line in found), found
    assert any("placeholders differ" in line for line in found), found


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_a_translated_view_is_in_the_readers_language_and_within_slacks_limits(locale: str) -> None:
    view = Renderer().view("modals/keeping.json.j2", locale=locale)  # validated against Slack's limits
    english = Renderer().view("modals/keeping.json.j2")

    assert view["blocks"][0]["text"]["text"] != english["blocks"][0]["text"]["text"]
    assert english["blocks"][0]["text"]["text"] == "Keeping it safe…"


@pytest.mark.parametrize(
    ("slack_says", "catalogue"),
    [
        ("en-US", SOURCE_LOCALE),
        ("en_US", SOURCE_LOCALE),
        ("en-GB", SOURCE_LOCALE),
        ("de-DE", "de"),
        ("fr-FR", "fr"),
        ("fr-CA", "fr"),
        ("es-ES", "es"),
        ("es-LA", "es"),  # Slack's Latin American Spanish is no CLDR locale
        ("ja-JP", "ja"),
        ("pt-BR", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("pt-PT", "pt_BR"),  # the nearest shipped variety rather than English
        ("zh-Hant-TW", SOURCE_LOCALE),  # not shipped yet
        ("", SOURCE_LOCALE),
        (None, SOURCE_LOCALE),
        ("!!", SOURCE_LOCALE),
        ("xx-YY", SOURCE_LOCALE),
    ],
)
def test_slacks_locale_in_any_form_finds_its_catalogue_or_english(
    slack_says: str | None, catalogue: str
) -> None:
    assert catalogue_locale(slack_says) == catalogue


def test_copy_with_a_token_keeps_the_token_and_escapes_everything_else() -> None:
    from datetime import UTC, datetime

    from slackapp.rendering.environment import slack_date
    from slackapp.rendering.escaping import mention
    from slackapp.rendering.translations import translate

    when = slack_date(datetime(2026, 12, 3, 9, tzinfo=UTC))
    filled = translate(
        "From %(who)s & friends, %(when)s: %(note)s", who=mention("U0ROSA"), when=when, note="<!channel>"
    )

    assert filled == f"From <@U0ROSA> &amp; friends, {when}: &lt;!channel&gt;"
    # Without a token the copy stays plain text: the template escapes it for its destination.
    assert translate("Hello %(name)s & co", name="<@U1>") == "Hello <@U1> & co"
