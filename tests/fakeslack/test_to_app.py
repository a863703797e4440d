"""The fake signs requests exactly as Slack does, so the app's verifier is tested against Slack's rule."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier

from fakeslack.to_app import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers

# Slack's own worked example (docs.slack.dev/authentication/verifying-requests-from-slack).
SLACK_EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_EXAMPLE_TIMESTAMP = 1531420618
SLACK_EXAMPLE_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
SLACK_EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_the_signature_is_slacks_own_worked_example() -> None:
    headers = signed_headers(SLACK_EXAMPLE_SECRET, SLACK_EXAMPLE_BODY, timestamp=SLACK_EXAMPLE_TIMESTAMP)

    assert headers == {TIMESTAMP_HEADER: "1531420618", SIGNATURE_HEADER: SLACK_EXAMPLE_SIGNATURE}


def test_bolts_verifier_accepts_a_fresh_signature_and_refuses_it_on_another_body() -> None:
    body = '{"type":"event_callback","event":{"text":"Grüße 🌱"}}'.encode()
    headers = signed_headers("a-signing-secret", body)
    verifier = SignatureVerifier("a-signing-secret")

    assert abs(int(headers[TIMESTAMP_HEADER]) - time.time()) <= 60
    assert verifier.is_valid(body, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER])
    assert not verifier.is_valid(body + b" ", headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER])
    assert not SignatureVerifier("another-secret").is_valid(
        body, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]
    )
