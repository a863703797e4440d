"""Turn an HTTP request into the parameter dict a Slack method sees."""

from __future__ import annotations

import json
from collections.abc import Mapping
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

# Fields slack_sdk sends as JSON strings inside form bodies; decoded so tests can assert on objects.
JSON_FIELDS = frozenset({"view", "blocks", "attachments", "metadata", "user_auth_blocks", "files", "unfurls"})


def parse_params(*, content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Merge the query string and a form, multipart or JSON body; decode known JSON fields."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    params.update(_parse_body(content_type, body))
    return {key: _decode_json_field(key, value) for key, value in params.items()}


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token from `Authorization: Bearer ...`, if any."""
    for name, value in headers.items():
        if name.lower() == "authorization" and value.startswith("Bearer "):
            return value.removeprefix("Bearer ").strip() or None
    return None


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json":
        decoded = json.loads(body.decode("utf-8"))
        return decoded if isinstance(decoded, dict) else {"_json": decoded}
    if kind == "multipart/form-data":
        return _parse_multipart(content_type, body)
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    header = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(header + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts() if isinstance(message, Message) else ():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        fields[name] = raw if part.get_filename() else raw.decode("utf-8")
    return fields


def _decode_json_field(key: str, value: Any) -> Any:
    if key not in JSON_FIELDS or not isinstance(value, str):
        return value
    if not value.lstrip().startswith(("{", "[")):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value
