"""What Slack sends to an app: requests signed as Slack signs them, over real HTTP.

Slack computes HMAC-SHA256 over `v0:{timestamp}:{body}` with the app's signing secret and sends it as
`X-Slack-Signature: v0=<hex digest>`, with the timestamp (epoch seconds) as `X-Slack-Request-Timestamp`;
the app refuses a request whose signature differs or whose timestamp is more than five minutes off. The
signer is written from Slack's description, not with slack_sdk, so that the app's verifier meets one it
shares no code with. Tests, benchmarks and the playground all sign here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"


def signed_headers(signing_secret: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to `body`, stamped with the real time unless `timestamp` is given."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode("ascii") + b":" + body
    digest = hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: f"v0={digest}"}


@dataclass(frozen=True)
class AppReply:
    """The app's HTTP answer to one request."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None


def post_to_app(
    url: str,
    body: bytes,
    *,
    content_type: str,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> AppReply:
    """POST `body` with exactly the headers given (sign it with `signed_headers`); any status is an answer."""
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
    request.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return AppReply(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return AppReply(error.code, error.read(), dict(error.headers))
