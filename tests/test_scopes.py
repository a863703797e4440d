"""The OAuth install asks for exactly the scopes in manifest.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from slackapp.scopes import BOT_SCOPES


def test_oauth_scopes_match_the_manifest() -> None:
    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "manifest.yml").read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
