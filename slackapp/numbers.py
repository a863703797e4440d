"""Reading small whole numbers from text a client controls (button values, select values)."""

from __future__ import annotations

MAX_DIGITS = 9  # fits every integer column, on SQLite and PostgreSQL


def small_int(text: object, default: int) -> int:
    """The number in `text` when it is a plain ASCII whole number of at most nine digits, else `default`."""
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
        return int(text)
    return default
