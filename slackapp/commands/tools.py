"""`kindly manifest` and `kindly playground`: the Slack app's manifest, and trying Kindly without Slack."""

from __future__ import annotations

import argparse
import sys

from slackapp.config import Settings


def playground(args: argparse.Namespace, _settings: Settings) -> int:
    from slackapp.playground import run_playground

    return run_playground(port=args.port)


def manifest(args: argparse.Namespace, _settings: Settings | None) -> int:
    from slackapp.manifest import ManifestError, http_manifest, load_manifest, render

    try:
        manifest = http_manifest(args.url) if args.url else load_manifest()
    except ManifestError as error:
        sys.stderr.write(f"kindly: --url {error}\n")
        return 2
    sys.stdout.write(render(manifest, as_yaml=args.yaml))
    return 0
