"""How Slack signs every request it sends to an app: the one signer for tests, benchmarks and the playground.

Slack computes HMAC-SHA256 over `v0:{timestamp}:{body}` with the app's signing secret and sends it as
`X-Slack-Signature: v0=<hex digest>`, with the timestamp (epoch seconds) as `X-Slack-Request-Timestamp`;
the app refuses a request whose signature differs or whose timestamp is more than five minutes off. It is
written from Slack's description, not with slack_sdk, so that the app's verifier meets a signer it does
not share code with.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"


def signed_headers(signing_secret: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to `body`, stamped with the real time unless `timestamp` is given."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode("ascii") + b":" + body
    digest = hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: f"v0={digest}"}
