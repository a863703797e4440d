"""The package is the product: the wheel of a checkout (`pip install .`) and the wheel the image builds.

Each is installed, not editable, into a fresh venv and run from a folder outside the checkout. The
image's build stage copies only the app's own files (deploy/Dockerfile), so its wheel holds neither the
fake Slack nor the playground, and the app runs without them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakeslack import FakeSlack
from slackapp.web import HEALTH_PATH
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.support.cli import RunningKindly, clean_env, free_port
from tests.support.dockerfile import build_stage_sources

ROOT = Path(__file__).resolve().parent.parent
HOST = "https://kindly.example.com"
NOT_SHIPPED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "*.sqlite3",
    "*.mo",
)  # compiled catalogues (*.mo) too: the build must make its own
FAKE_AND_PLAYGROUND = ("fakeslack", "kindly_playground")


@dataclass(frozen=True)
class Installed:
    """A wheel installed into a fresh venv, and an empty folder outside the checkout to run it in."""

    wheel: Path
    bin: Path
    work: Path

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "kindly"), *args],
            cwd=self.work,
            env=clean_env(self.work, **env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "python"), "-c", code],
            cwd=self.work,
            env=clean_env(self.work),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def names(self) -> list[str]:
        with zipfile.ZipFile(self.wheel) as wheel:
            return wheel.namelist()


def build_and_install(source: Path, home: Path) -> Installed:
    """Build `source`'s wheel (as `pip install .` would) and install only it into a fresh venv."""
    dist = home / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source)],
        cwd=home,
        capture_output=True,
        check=True,
        timeout=300,
    )
    (wheel,) = dist.glob("kindly-*.whl")
    fresh = home / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    # The wheel goes in on its own; its dependencies come from this venv (no network in tests).
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    work = home / "work"
    work.mkdir()
    return Installed(wheel=wheel, bin=fresh / "bin", work=work)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """`pip install .` of a clean copy of this checkout (a stale build/ folder must not leak in)."""
    home = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT, home / "kindly", ignore=NOT_SHIPPED)
    return build_and_install(home / "kindly", home)


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel deploy/Dockerfile's build stage makes: from only the files that stage copies."""
    home = tmp_path_factory.mktemp("image")
    context = home / "src"
    context.mkdir()
    for source in build_stage_sources():
        copy = shutil.copytree if (ROOT / source).is_dir() else shutil.copy2
        copy(ROOT / source, context / source)
    return build_and_install(context, home)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def test_the_checkouts_wheel_migrates_and_answers_from_any_folder(checkout: Installed) -> None:
    where = checkout.python("import slackapp; print(slackapp.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(checkout.bin.parent), "slackapp must come from the wheel"
    assert checkout.run("--help").returncode == 0
    migrated = checkout.run("migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert (checkout.work / "kindly.sqlite3").is_file()
    slack_nowhere = {"SLACK_BOT_TOKEN": "xoxb-1-wheel", "SLACK_API_URL": "http://127.0.0.1:9/api/"}
    doctor = checkout.run("doctor", **slack_nowhere)
    assert "migration" in doctor.stdout and "database reachable" in doctor.stdout, doctor.stdout
    assert "FAIL Slack unreachable" in doctor.stdout  # nothing listens on port 9; everything else is ok
    assert doctor.stdout.count("FAIL") == 1, doctor.stdout
    manifest = checkout.run("manifest", "--url", HOST)
    assert json.loads(manifest.stdout)["settings"]["socket_mode_enabled"] is False
    rendered = checkout.python("from slackapp.rendering import Renderer; Renderer(); print('ok')")
    assert rendered.stdout.strip() == "ok", rendered.stderr
    # The build compiled the catalogues: a German reader gets German copy from the installed wheel.
    german = checkout.python(
        "from slackapp.rendering import Renderer; "
        "print(Renderer().view('modals/keeping.json.j2', locale='de')['title']['text'])"
    )
    assert german.stdout.strip() == "Ein freundlicher Moment", german.stderr
    assert "slackapp/templates/locale/de/LC_MESSAGES/messages.mo" in checkout.names()


def test_the_checkouts_wheel_serves_healthz_over_http(checkout: Installed, fake_slack: FakeSlack) -> None:
    folder = checkout.work / "http"  # its own SQLite file, kindly.sqlite3 in this folder
    folder.mkdir()
    env = clean_env(
        folder,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
    )
    kindly_program = [str(checkout.bin / "kindly")]
    migrated = subprocess.run(
        [*kindly_program, "migrate"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    assert (folder / "kindly.sqlite3").is_file()
    port = free_port()
    args = ("run", "--http", "--host", "127.0.0.1", "--port", str(port))
    with RunningKindly(*args, cwd=folder, env=env, program=kindly_program) as kindly:
        kindly.wait_for_line("listening")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=10) as response:
            assert (response.status, response.read()) == (200, b"ok")
    log = kindly.stop()
    assert kindly.process.returncode == 0, log
    assert "Traceback" not in log


def test_the_images_wheel_holds_neither_the_fake_nor_the_playground(
    image: Installed, checkout: Installed
) -> None:
    shipped = image.names()

    assert not [name for name in shipped if name.startswith(tuple(f"{top}/" for top in FAKE_AND_PLAYGROUND))]
    assert "slackapp/appmanifest/manifest.yml" in shipped
    assert not [name for name in shipped if name.startswith("slackapp/appmanifest/") and name.endswith(".py")]
    assert any(name.startswith("slackapp/templates/") and name.endswith(".j2") for name in shipped)
    assert "slackapp/migrations/versions/0001_foundation.py" in shipped
    # A checkout's wheel has the same app and, besides, the fake and the playground.
    extra = set(checkout.names()) - set(shipped)
    assert {name.split("/")[0] for name in extra if not name.startswith("kindly-")} == set(
        FAKE_AND_PLAYGROUND
    )


def test_the_image_runs_without_the_fake_and_kindly_playground_says_how_to_get_it(image: Installed) -> None:
    absent = image.python("import fakeslack")
    assert "No module named 'fakeslack'" in absent.stderr
    every_module = image.python(
        "import pkgutil, slackapp\n"
        "names = [m.name for m in pkgutil.walk_packages(slackapp.__path__, 'slackapp.')\n"
        "         if not m.name.startswith('slackapp.migrations')]  # Alembic's scripts run under Alembic\n"
        "for name in names: __import__(name)\n"
        "print(len(names))"
    )
    assert every_module.returncode == 0, every_module.stderr
    assert int(every_module.stdout) >= 50
    assert image.run("migrate").returncode == 0

    playground = image.run("playground")

    assert playground.returncode == 2
    assert playground.stderr == (
        "kindly: the playground is not installed here (no module 'kindly_playground'). "
        "In a checkout of Kindly, run: pip install -e '.[playground]'\n"
    )


def test_the_image_build_context_admits_only_what_the_build_stage_copies() -> None:
    ignore = (ROOT / "deploy" / "Dockerfile.dockerignore").read_text().splitlines()
    admitted = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}

    assert "*" in ignore
    assert admitted == set(build_stage_sources())
    assert not admitted & set(FAKE_AND_PLAYGROUND)
