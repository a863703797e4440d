"""Kindly's Slack app manifest, from manifest.yml: as it is (Socket Mode), or for HTTP mode at a URL.

`kindly manifest --url https://HOST` prints the HTTP-mode manifest; `python -m slackapp.manifest` prints
the Socket Mode manifest as JSON, which is what the Slack CLI's get-manifest hook expects on stdout.
"""

from __future__ import annotations

import copy
import json
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from slackapp.web import EVENTS_PATH

OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"
_REPOSITORY_MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


class ManifestError(ValueError):
    """The base URL cannot serve Slack (not https, or not a bare origin)."""


def load_manifest() -> dict[str, Any]:
    """manifest.yml: the copy shipped in the package, else the repository's (an editable install)."""
    try:  # the wheel maps the repository's manifest.yml into slackapp/appmanifest/ (pyproject.toml)
        text = files("slackapp.appmanifest").joinpath("manifest.yml").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        text = _REPOSITORY_MANIFEST.read_text("utf-8")
    manifest: dict[str, Any] = yaml.safe_load(text)
    return manifest


def http_manifest(base_url: str, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    """The manifest for HTTP mode: Socket Mode off, every request URL at BASE/slack/events."""
    parts = urlsplit(base_url.strip())
    if parts.scheme != "https" or not parts.netloc or parts.path not in {"", "/"} or parts.query:
        raise ManifestError(f"{base_url!r} is not an https origin like https://kindly.example.com")
    origin = f"https://{parts.netloc}"
    events_url = origin + EVENTS_PATH
    result = copy.deepcopy(manifest if manifest is not None else load_manifest())
    for command in result.get("features", {}).get("slash_commands", []):
        command["url"] = events_url
    result.setdefault("oauth_config", {})["redirect_urls"] = [origin + OAUTH_REDIRECT_PATH]
    settings = result.setdefault("settings", {})
    settings["socket_mode_enabled"] = False
    settings.setdefault("event_subscriptions", {})["request_url"] = events_url
    settings.setdefault("interactivity", {"is_enabled": True})["request_url"] = events_url
    return result


def render(manifest: dict[str, Any], *, as_yaml: bool = False) -> str:
    if as_yaml:
        return str(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=110))
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """The Slack CLI get-manifest hook: the Socket Mode manifest as JSON on stdout."""
    sys.stdout.write(render(load_manifest()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
