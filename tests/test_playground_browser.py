"""`kindly playground` in a real browser: Playwright drives Debian's Chromium, headless.

The journey an HR lead trying Kindly would take: a kind moment from `/kindly`, found again in the journal
on the App Home; a reminder set with `/kindly remind`; a shout-out from Alice to Bob in #shout-outs; and
the clock moved to the reminder's time, so the reminder arrives in the Messages tab. With
KINDLY_SCREENSHOTS=docs it refreshes the README's screenshots (otherwise they go to a temporary folder,
so a test run never changes the checkout). Skips when Chromium or Playwright is missing (.ci/run
installs both).
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:
    pytest.skip("Playwright is not installed: pip install -e '.[dev]'", allow_module_level=True)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("KINDLY_SCREENSHOTS") or Path(tempfile.gettempdir()) / "kindly-screenshots")
# As the machine's notes say: without the background-networking flags Chromium tries hosts it cannot reach.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Chromium is not installed (apt-get install -y chromium; .ci/run does)",
)


@dataclass
class RunningPlayground:
    """`kindly playground --port 0`, as a person would start it; its first line says where it listens."""

    process: subprocess.Popen[str]
    url: str = ""
    before_url: str = ""  # what it printed while starting

    def output(self) -> str:
        """Stop it (as Ctrl-C would) and return everything it printed after its address."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        rest, _ = self.process.communicate(timeout=30)
        return rest


@pytest.fixture
def playground(tmp_path: Path) -> Iterator[RunningPlayground]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KINDLY_", "DATABASE_URL"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "slackapp.cli", "playground", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = RunningPlayground(process)
    try:
        running.url, running.before_url = _announced_url(process)
        yield running
    finally:
        if process.poll() is None:
            process.terminate()
            process.communicate(timeout=30)


def _announced_url(process: subprocess.Popen[str]) -> tuple[str, str]:
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 60
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=deadline - time.monotonic()):
                break
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            if match := re.search(r"open (http://127\.0\.0\.1:\d+)", line):
                return match.group(1), "".join(seen[:-1])
    raise AssertionError("kindly playground did not say where it listens:\n" + "".join(seen))


@pytest.fixture
def page(playground: RunningPlayground) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 860})
            context.set_default_timeout(TIMEOUT_MS)
            opened = context.new_page()
            opened.goto(playground.url)
            expect(opened.locator("#person option")).to_have_count(3)
            yield opened
        finally:
            browser.close()


def type_command(page: Page, text: str) -> None:
    page.click("#nav-messages")
    page.fill("#composer-input", text)
    page.press("#composer-input", "Enter")


def modal_titled(page: Page, title: str) -> None:
    expect(page.locator("#modal .modal-title")).to_have_text(title)


def set_clock(page: Page, local: str) -> None:
    page.fill("#clock-input", local)
    page.click("#clock-run")
    expect(page.locator("#clock-report")).to_contain_text(f"Tick at {local}")


def be(page: Page, user_id: str) -> None:
    page.select_option("#person", user_id)
    expect(page.locator("#person-about")).not_to_be_empty()


def take_kind_moment(page: Page) -> str:
    """/kindly, an empty submit (errors shown), an arrival, a practice; returns the practice's title."""
    type_command(page, "/kindly")
    modal_titled(page, "A kind moment")
    page.click("#modal-submit")
    expect(page.locator("#modal .field-error")).to_be_visible()
    page.get_by_label("Tired or stretched thin; I could use rest or help").check()
    page.click("#modal-submit")
    title = page.locator("#modal .modal-title")
    expect(title).not_to_have_text("A kind moment")
    practice = title.inner_text()
    answers = page.locator("#modal textarea")
    expect(answers.first).to_be_visible()
    words = [
        "I have been carrying a lot this week, and that is human.",
        "A walk at lunch, phone left behind.",
    ]
    for index in range(answers.count()):
        answers.nth(index).fill(words[index % len(words)])
    page.screenshot(path=str(SCREENSHOTS / "playground-modal.png"))
    page.click("#modal-submit")
    expect(page.locator("#modal")).to_contain_text("Kept privately in your journal")
    page.click("#modal-close")
    expect(page.locator("#modal")).to_be_hidden()
    return practice


def test_playground_journey_in_a_real_browser(page: Page) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    set_clock(page, "2027-01-04T08:00")  # a Monday morning in Berlin, Alice's time zone

    practice = take_kind_moment(page)
    page.click("#nav-home")
    journal = page.locator("#surface .section", has_text=practice)
    expect(journal).to_be_visible()
    expect(page.locator("#surface")).to_contain_text("Your journal")
    page.screenshot(path=str(SCREENSHOTS / "playground-home.png"))

    type_command(page, "/kindly remind")
    modal_titled(page, "Gentle reminders")
    page.get_by_label("Monday").check()
    page.fill("#modal input[type=time]", "09:00")
    page.click("#modal-submit")
    expect(page.locator("#modal")).to_contain_text("Change it any time")  # saved: the next reminder shows
    page.click("#modal-x")
    expect(page.locator("#modal")).to_be_hidden()

    be(page, "U0HANNA")  # the HR lead chooses the shout-out channel: Team settings -> Shout-out settings
    type_command(page, "/kindly team")
    modal_titled(page, "Team settings")
    page.click("#modal [data-action-id=shoutout_settings_open]")
    modal_titled(page, "Shout-out settings")
    expect(page.locator("#modal-back")).to_be_visible()  # pushed onto the stack
    page.select_option("#modal select[data-control=conversations_select]", "C0SHOUTS")
    page.click("#modal-submit")
    expect(page.locator("#modal .modal-title", has_text="Shout-out settings")).to_have_count(0)
    if page.locator("#modal").is_visible():
        page.click("#modal-x")
    expect(page.locator("#modal")).to_be_hidden()

    be(page, "U0ALICE")
    type_command(page, "/kindly shoutout")
    modal_titled(page, "Character shout-out")
    page.select_option("#modal select[data-control=users_select]", "U0BOB")
    page.select_option("#modal select[data-control=static_select]", "kindness")
    page.fill("#modal textarea", "You made the new starter feel <b>welcome</b> & at home.")
    page.click("#modal-submit")
    expect(page.locator("#modal-submit")).to_have_count(0)  # sent: a thank-you without a submit button
    expect(page.locator("#modal")).to_contain_text("#shout-outs")
    page.click("#modal-x")
    page.click("[data-surface='channel:C0SHOUTS']")
    post = page.locator("#surface .message", has_text="@Bob Miller")
    expect(post).to_be_visible()
    expect(post).to_contain_text("feel <b>welcome</b> & at home")  # shown as text, never as markup
    page.screenshot(path=str(SCREENSHOTS / "playground-shoutout.png"))

    set_clock(page, "2027-01-04T09:00")
    expect(page.locator("#clock-report")).to_contain_text("sent 1")
    page.click("#nav-messages")
    reminder = page.locator("#surface .message", has=page.locator("[data-action-id=reminder_not_today]"))
    expect(reminder).to_be_visible()
    reminder.locator("[data-action-id=reminder_not_today]").click()
    expect(page.locator("[data-action-id=reminder_not_today]")).to_have_count(0)


def test_first_hour_surprises_are_gone_in_a_real_browser(page: Page, playground: RunningPlayground) -> None:
    """Export, the support settings' inputs, a mention, a reload mid-poll and a port in use."""
    type_command(page, "/kindly export")
    files = page.locator("#surface .message a.file")
    expect(files).to_have_count(2)
    with page.expect_download() as download:
        files.filter(has_text=".json").click()
    assert download.value.suggested_filename.endswith(".json")
    assert '"reflections"' in Path(download.value.path()).read_text(encoding="utf-8")

    be(page, "U0HANNA")
    type_command(page, "/kindly team")
    modal_titled(page, "Team settings")
    page.click("#modal [data-action-id=support_settings_open]")
    modal_titled(page, "Support and privacy")
    expect(page.locator("#modal input[type=url][data-control=url_text_input]")).to_be_visible()
    days = page.locator("#modal input[type=number][data-control=number_input]")
    expect(days).to_have_attribute("min", "30")
    expect(page.locator("#modal")).not_to_contain_text("[url_text_input]")
    page.fill("#modal input[type=url]", "https://eap.example.com/help")
    days.fill("90")
    page.click("#modal-submit")
    expect(page.locator("#modal .modal-title", has_text="Support and privacy")).to_have_count(0)

    be(page, "U0ALICE")
    page.reload()  # the page's long poll hangs up mid-wait; the next change answers a closed socket
    expect(page.locator("#person option")).to_have_count(3)
    type_command(page, "/kindly shoutout @bob")
    modal_titled(page, "Character shout-out")
    expect(page.locator("#modal select[data-control=users_select]")).to_have_value("U0BOB")

    port = playground.url.rsplit(":", 1)[1]
    second = subprocess.run(
        [sys.executable, "-m", "slackapp.cli", "playground", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [
        f"kindly playground: port {port} is already in use (another playground?); "
        "stop it or choose another port with --port"
    ]

    printed = playground.before_url + playground.output()
    assert "Running upgrade" not in printed  # the throwaway database's migrations are not news
    assert "Traceback" not in printed
    assert "BrokenPipe" not in printed
    assert "Exception occurred" not in printed
