"""Deploying Kindly: the HTTP-mode manifest, Slack CLI hooks and the deploy/ files (wheels: test_wheel.py)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from slackapp.web import HEALTH_PATH, READY_PATH
from tests.support.cli import clean_env, run_kindly
from tests.support.dockerfile import dockerfile_instructions

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SCHEMA = json.loads((Path(__file__).parent / "data" / "manifest.schema.2.0.0.json").read_text())
HOST = "https://kindly.example.com"


# -- kindly manifest -----------------------------------------------------------------------------------


def test_http_manifest_is_valid_and_sends_everything_to_slack_events(tmp_path: Path) -> None:
    result = run_kindly("manifest", "--url", HOST, cwd=tmp_path, env=clean_env(tmp_path))

    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    jsonschema.validate(manifest, SCHEMA)
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    assert settings["event_subscriptions"]["request_url"] == f"{HOST}/slack/events"
    assert settings["interactivity"] == {"is_enabled": True, "request_url": f"{HOST}/slack/events"}
    commands = manifest["features"]["slash_commands"]
    assert commands and all(command["url"] == f"{HOST}/slack/events" for command in commands)
    assert manifest["oauth_config"]["redirect_urls"] == [f"{HOST}/slack/oauth_redirect"]
    # Everything else is manifest.yml as it is.
    original = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert manifest["oauth_config"]["scopes"] == original["oauth_config"]["scopes"]
    assert (
        manifest["settings"]["event_subscriptions"]["bot_events"]
        == (original["settings"]["event_subscriptions"]["bot_events"])
    )


def test_http_manifest_as_yaml_is_the_same_manifest(tmp_path: Path) -> None:
    as_json = run_kindly("manifest", "--url", HOST, cwd=tmp_path, env=clean_env(tmp_path)).stdout
    as_yaml = run_kindly("manifest", "--url", HOST, "--yaml", cwd=tmp_path, env=clean_env(tmp_path)).stdout

    assert yaml.safe_load(as_yaml) == json.loads(as_json)


@pytest.mark.parametrize("url", ["http://kindly.example.com", "kindly.example.com", f"{HOST}/slack/events"])
def test_manifest_refuses_a_url_slack_cannot_use(tmp_path: Path, url: str) -> None:
    result = run_kindly("manifest", "--url", url, cwd=tmp_path, env=clean_env(tmp_path))

    assert result.returncode == 2
    assert "https origin" in result.stderr
    assert result.stdout == ""


# -- .slack/hooks.json ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hooks() -> dict[str, list[str]]:
    """Each hook's command exactly as the Slack CLI runs it: through the shell, in the project folder."""
    loaded = json.loads((ROOT / ".slack" / "hooks.json").read_text())
    return {name: ["sh", "-c", command] for name, command in loaded["hooks"].items()}


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose `python3` has nothing installed: a fresh clone's, with no virtualenv activated."""
    home = tmp_path_factory.mktemp("bare-python")
    venv.create(home, with_pip=False)
    return home / "bin"


def run_hook(argv: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=clean_env(cwd, **env), capture_output=True, text=True, timeout=60, check=False
    )


def test_hooks_need_no_activated_virtualenv(hooks: dict[str, list[str]], bare_python: Path) -> None:
    path = f"{bare_python}:/usr/bin:/bin"
    bare = subprocess.run(
        ["sh", "-c", "python3 -c 'import slack_bolt'"], env={"PATH": path}, capture_output=True, check=False
    )
    assert bare.returncode != 0  # this python3 really lacks Kindly's dependencies

    manifest = run_hook(hooks["get-manifest"], ROOT, PATH=path)
    assert manifest.returncode == 0, manifest.stderr
    assert json.loads(manifest.stdout) == yaml.safe_load((ROOT / "manifest.yml").read_text())

    start = run_hook(hooks["start"], ROOT, PATH=path)
    assert start.returncode == 2
    assert "SLACK_CLI_XAPP is not set" in start.stderr  # Kindly's own check ran, in the project's .venv


def test_hooks_in_a_clone_without_kindly_installed_say_how_to_install(
    hooks: dict[str, list[str]], bare_python: Path, tmp_path: Path
) -> None:
    shutil.copytree(ROOT / ".slack", tmp_path / ".slack")

    result = run_hook(hooks["start"], tmp_path, PATH=f"{bare_python}:/usr/bin:/bin")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"kindly: Kindly is not installed here yet. In {tmp_path}, run: "
        "python3 -m venv .venv && .venv/bin/pip install -e ."
    ]


def test_get_manifest_hook_prints_manifest_yml_as_json(hooks: dict[str, list[str]], tmp_path: Path) -> None:
    result = run_hook(hooks["get-manifest"], ROOT)

    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)  # the CLI reads JSON, and only JSON, from stdout
    assert manifest == yaml.safe_load((ROOT / "manifest.yml").read_text())
    jsonschema.validate(manifest, SCHEMA)


def test_start_hook_runs_kindly_in_socket_mode(hooks: dict[str, list[str]], tmp_path: Path) -> None:
    # Run in an empty folder (no .env of the developer's), so the launcher is named by its full path.
    start = [part.replace(".slack/hook.py", str(ROOT / ".slack" / "hook.py")) for part in hooks["start"]]
    # Without the tokens the CLI passes, it stops at once and says what is missing.
    missing = run_hook(start, tmp_path)
    assert missing.returncode == 2
    assert "SLACK_CLI_XAPP" in missing.stderr

    # With them, `kindly run` takes them over and only lacks a well-formed app token.
    malformed = run_hook(start, tmp_path, SLACK_CLI_XOXB="xoxb-1-cli", SLACK_CLI_XAPP="not-xapp")
    assert malformed.returncode == 2
    assert malformed.stderr.startswith("kindly: SLACK_APP_TOKEN should start with 'xapp-'")
    assert "not-xapp" not in malformed.stderr


# -- deploy/: compose, Kubernetes, Dockerfile, systemd, env.example ------------------------------------


def kindly_help(*subcommand: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "slackapp.cli", *subcommand, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def assert_kindly_command_exists(argv: list[str]) -> None:
    """`kindly SUB --flag ...`: the subcommand is in `kindly --help`, each flag in `kindly SUB --help`."""
    assert argv[0] == "kindly", argv
    subcommand, *rest = argv[1:]
    assert re.search(rf"\b{re.escape(subcommand)}\b", kindly_help()), f"no `kindly {subcommand}`"
    sub_help = kindly_help(subcommand)
    for word in rest:
        if word.startswith("--"):
            assert re.search(rf"{re.escape(word)}\b", sub_help), f"`kindly {subcommand}` has no {word}"


def containers(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    pod = document["spec"]["template"]["spec"]
    yield from pod.get("initContainers", [])
    yield from pod["containers"]


@pytest.fixture(scope="module")
def kubernetes() -> dict[str, dict[str, Any]]:
    documents = {}
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        loaded = list(yaml.safe_load_all(path.read_text()))
        assert len(loaded) == 1, path
        documents[path.name] = loaded[0]
    return documents


def test_kubernetes_manifests_parse_and_run_only_existing_commands(
    kubernetes: dict[str, dict[str, Any]],
) -> None:
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for document in kubernetes.values():
        assert {"apiVersion", "kind"} <= document.keys()
        by_kind.setdefault(document["kind"], []).append(document)
        if document["kind"] in {"Deployment", "Job"}:
            for container in containers(document):
                assert_kindly_command_exists(container["command"])

    deployments = {d["metadata"]["name"]: d for d in by_kind["Deployment"]}
    web, scheduler = deployments["kindly-web"], deployments["kindly-scheduler"]
    assert web["spec"]["replicas"] == 3
    (web_container,) = containers(web)
    assert web_container["command"] == ["kindly", "run", "--http", "--port", "3000", "--no-scheduler"]
    assert web_container["readinessProbe"]["httpGet"]["path"] == READY_PATH
    assert web_container["livenessProbe"]["httpGet"]["path"] == HEALTH_PATH
    assert scheduler["spec"]["replicas"] == 2
    assert [c["command"] for c in containers(scheduler)] == [["kindly", "scheduler"]]
    (job,) = by_kind["Job"]
    assert [c["command"] for c in containers(job)] == [["kindly", "migrate"]]
    (secret,) = by_kind["Secret"]
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL", "KINDLY_ENCRYPTION_KEYS"} <= set(
        secret["stringData"]
    )
    (service,) = by_kind["Service"]
    assert service["spec"]["selector"] == web["spec"]["selector"]["matchLabels"]
    for deployment in deployments.values():
        for container in containers(deployment):
            assert {"secretRef": {"name": secret["metadata"]["name"]}} in container["envFrom"]
    kustomization = kubernetes["kustomization.yaml"]
    assert all((DEPLOY / "kubernetes" / name).is_file() for name in kustomization["resources"])
    assert "secret.example.yaml" not in kustomization["resources"]  # never overwrite real secrets


def test_compose_file_parses_and_migrates_before_web_and_scheduler_start() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yml").read_text())
    services = compose["services"]

    for name in ("migrate", "web", "scheduler"):
        assert_kindly_command_exists(services[name]["command"])
    assert services["migrate"]["command"] == ["kindly", "migrate"]
    assert services["web"]["command"][:3] == ["kindly", "run", "--http"]
    assert services["scheduler"]["command"] == ["kindly", "scheduler"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "scheduler"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    build = services["migrate"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"


def test_dockerfile_runs_kindly_as_non_root_with_a_health_check_on_healthz() -> None:
    instructions = dockerfile_instructions()
    final_stage = instructions[max(i for i, (word, _) in enumerate(instructions) if word == "FROM") :]
    arguments = dict(final_stage)

    assert_kindly_command_exists(json.loads(arguments["CMD"]))
    assert json.loads(arguments["CMD"]) == ["kindly", "run", "--http", "--port", "3000"]
    assert arguments["USER"] not in {"root", "0"}
    assert "3000" in arguments["EXPOSE"]
    health = arguments["HEALTHCHECK"]
    assert f"http://127.0.0.1:3000{HEALTH_PATH}" in health
    assert json.loads(health[health.index("CMD") + 3 :].strip())[0] == "python"
    for word, argument in instructions:
        if word == "COPY" and not argument.startswith("--from"):
            *sources, _target = argument.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"


def test_systemd_unit_runs_existing_commands() -> None:
    unit = (DEPLOY / "kindly.service").read_text()
    commands = re.findall(r"^Exec\w+=(\S+)\s+(.*)$", unit, flags=re.MULTILINE)

    assert {Path(binary).name for binary, _ in commands} == {"kindly"}
    for _binary, arguments in commands:
        assert_kindly_command_exists(["kindly", *shlex.split(arguments)])
    assert re.search(r"^User=kindly$", unit, flags=re.MULTILINE)


def test_env_example_lists_every_variable_kindly_reads() -> None:
    source = (ROOT / "slackapp" / "config.py").read_text()
    read = set(re.findall(r"\"((?:SLACK|KINDLY|DATABASE)_[A-Z_]+)\"", source))
    listed = set(re.findall(r"^([A-Z_]+)=", (DEPLOY / "env.example").read_text(), flags=re.MULTILINE))

    assert len(read) >= 14
    assert read <= listed, f"missing from deploy/env.example: {sorted(read - listed)}"
    assert listed <= read, f"not read by Kindly: {sorted(listed - read)}"


def test_deploy_readme_names_only_existing_commands_and_variables() -> None:
    guide = (DEPLOY / "README.md").read_text()
    commands = set(re.findall(r"(?<![/\w])kindly ([a-z][a-z-]+(?: --[a-z-]+)*)", guide))  # not /kindly
    assert {"migrate", "scheduler", "rotate-keys", "new-key", "run --http --no-scheduler"} <= commands
    for command in commands:
        assert_kindly_command_exists(["kindly", *command.split()])
    example = (DEPLOY / "env.example").read_text()
    for variable in set(re.findall(r"\b(?:SLACK|KINDLY)_[A-Z_]+\b", guide)) | {"DATABASE_URL"}:
        assert re.search(rf"^{variable}=", example, flags=re.MULTILINE), f"{variable} is not in env.example"
    for path in re.findall(r"`((?:kubernetes/)?[a-z-]+\.(?:yaml|yml|example|service))`", guide):
        assert (DEPLOY / path).is_file() or (DEPLOY / "kubernetes" / path).is_file(), path
