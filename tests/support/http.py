"""Plain HTTP to a running Kindly (probes, metrics), as a load balancer or Prometheus would ask."""

from __future__ import annotations

import urllib.error
import urllib.request


def get(url: str, *, data: bytes | None = None) -> tuple[int, str]:
    """The status and body of a GET (a POST with `data`), error statuses included."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as answer:  # noqa: S310
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
