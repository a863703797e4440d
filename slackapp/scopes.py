"""The bot scopes Kindly asks for when a workspace installs it: manifest.yml's own list, read from there."""

from __future__ import annotations

from slackapp.manifest import load_manifest

BOT_SCOPES: tuple[str, ...] = tuple(load_manifest()["oauth_config"]["scopes"]["bot"])
