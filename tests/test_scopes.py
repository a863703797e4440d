"""The OAuth install asks for exactly the scopes in manifest.yml."""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from tests.conftest import Kindly


def test_the_install_page_asks_slack_for_the_manifests_bot_scopes(distributed: Kindly) -> None:
    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "manifest.yml").read_text())
    with urllib.request.urlopen(f"{distributed.base_url}/slack/install") as page:  # noqa: S310
        html = page.read().decode()
    authorize = re.search(r'https://slack\.com/oauth/v2/authorize\?[^"\s]+', html)
    assert authorize, "the install page links to Slack's authorize URL"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize.group(0).replace("&amp;", "&")).query)
    assert sorted(query["scope"][0].split(",")) == sorted(manifest["oauth_config"]["scopes"]["bot"])
