"""`kindly manifest` and `kindly playground`: the Slack app's manifest, and trying Kindly without Slack."""

from __future__ import annotations

import argparse
import sys

from slackapp.config import Settings


def playground(args: argparse.Namespace, _settings: Settings) -> int:
    try:  # only here: the app itself never needs the playground, and the container image leaves it out
        from kindly_playground import run_playground
    except ModuleNotFoundError as missing:
        sys.stderr.write(
            f"kindly: the playground is not installed here (no module {missing.name!r}). "
            "In a checkout of Kindly, run: pip install -e '.[playground]'\n"
        )
        return 2
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
