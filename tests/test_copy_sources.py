"""Copy rules read from the sources: dates are not formatted in Python for Slack, no person-facing
sentence is written in Python, and the copy speaks one English (US) and never says "suppressed".

Each rule is also run on a planted offender, so a scan that stopped seeing anything would fail too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import slackapp

ROOT = Path(slackapp.__file__).resolve().parent.parent
PACKAGE = ROOT / "slackapp"
TEMPLATES = ROOT / "templates"

# --- Dates in templates -------------------------------------------------------------------------------

# Python formatting a date or a time inside a template: Slack would show it in the writer's zone and words.
PYTHON_DATE = re.compile(r"\.strftime\(|\.isoformat\(|%-?[aAbBdHMYy]\b|\.day\b|\.year\b|\.month\b")
# Input initial values are data for Slack's own pickers, which show them in the reader's format.
INITIAL_VALUE = re.compile(r'"initial_(date|time)"')


def python_dates(source: str) -> list[str]:
    return [
        line.strip()
        for line in source.splitlines()
        if PYTHON_DATE.search(line) and not INITIAL_VALUE.search(line)
    ]


def templates() -> Iterator[Path]:
    yield from sorted(path for path in TEMPLATES.rglob("*.j2"))


def test_no_template_formats_a_date_in_python() -> None:
    found = {
        path.relative_to(TEMPLATES).as_posix(): lines
        for path in templates()
        if path.parent.name != "export"  # a file, not Slack: tokens work only inside Slack
        and (lines := python_dates(path.read_text("utf-8")))
    }
    assert found == {}, f"use the slack_date or slack_day filter (a <!date^…> token) instead: {found}"


def test_the_date_scan_sees_python_formatting_and_spares_initial_values() -> None:
    assert python_dates('{{ cat("Next: ", when.strftime("%A %-d %B")) }}')
    assert python_dates('{{ cat("from ", program.start_date.isoformat()) }}')
    assert python_dates('{{ cat(day.day, " ", day.year) }}')
    assert not python_dates('"initial_date": {{ state.paused_until.isoformat()|plain }}')
    assert not python_dates('{{ cat("Next: ", when|slack_date("{date_long_pretty} at {time}")) }}')


# Rendering and flows may format a date only where it is not Slack copy, each for the reason given.
FORMATTING_ALLOWED = {
    ("rendering/environment.py", "slack_date"),  # the token's fallback, for clients without tokens
    ("rendering/environment.py", "slack_day"),  # the same
    ("rendering/environment.py", "wall_clock"),  # a setting's time of day, the same in every zone
    ("rendering/help.py", "pause_example_words"),  # what to type: `/kindly pause until` reads ISO dates
    ("flows/data_rights.py", "export_data"),  # the export file's own date and names: not in Slack
    ("flows/installations.py", "_forget_installation"),  # a log line for operators
}


def date_formatting(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """(function, line) of each strftime or isoformat call."""
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"strftime", "isoformat"}
                ):
                    yield function.name, node.lineno


def test_rendering_and_flows_do_not_hand_templates_dates_formatted_in_python() -> None:
    found = [
        f"{path.relative_to(PACKAGE).as_posix()}:{line} in {function}"
        for folder in ("rendering", "flows", "listeners")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for function, line in date_formatting(ast.parse(path.read_text("utf-8")))
        if (path.relative_to(PACKAGE).as_posix(), function) not in FORMATTING_ALLOWED
    ]
    assert found == [], f"pass the date itself and let the template make a token: {found}"


def test_the_formatting_scan_sees_a_strftime() -> None:
    planted = ast.parse('def paused_reply(day):\n    return day.strftime("%A %-d %B")\n')
    assert list(date_formatting(planted)) == [("paused_reply", 2)]


# --- No person-facing sentence in Python --------------------------------------------------------------

# A sentence a person reads: a capital, three words or more, a full stop (operators' lines start lowercase).
WORDS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")
SENTENCE = re.compile(r"^\W*[A-Z][\w'’]*(?:[ ,:;]+\S+){2,}.*[.!?…]\W*$", re.S)

# Operator-facing modules: the command line, health checks, start-up configuration and metrics talk to
# whoever runs Kindly, on a terminal or a monitoring page, never to a person in Slack.
OPERATOR_MODULES = {
    "cli.py",
    "config.py",
    "doctor.py",
    "health.py",
    "metrics.py",
    "slack_cli_start.py",
    "socket_mode.py",
    "scheduling/tick_report.py",
}
OPERATOR_FOLDERS = ("commands/",)
# Calls whose strings go to logs, exceptions or a terminal.
OPERATOR_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "print", "write"}
# The practices' journal headings are kept with their keys and limits in the catalogue; every word a
# person reads while practising is in templates/practices/.
CATALOGUE_LABELS = ("practices/catalogue.py", "Prompt")
# A published scale's items, verbatim: part of the measure's validation, never Kindly's own copy to reword
# (docs/self-check.md). They stay beside their scoring keys in the domain.
SCALE_ITEMS = ("practices/self_check.py", "Item")


@dataclass(frozen=True)
class Literal:
    module: str
    line: int
    text: str


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{}"
            for part in node.values
        )
    return None


def _exempt(node: ast.AST, parents: dict[ast.AST, ast.AST], module: str) -> bool:
    parent = parents.get(node)
    if isinstance(parent, ast.Expr | ast.JoinedStr):
        return True  # a docstring, or a part of an f-string checked whole
    while parent is not None and not isinstance(parent, ast.FunctionDef | ast.ClassDef | ast.Module):
        if isinstance(parent, ast.Raise):
            return True  # an exception's message, for operators
        if isinstance(parent, ast.Call):
            called = (
                parent.func.attr if isinstance(parent.func, ast.Attribute) else getattr(parent.func, "id", "")
            )
            if called in OPERATOR_CALLS or (module, called) in {CATALOGUE_LABELS, SCALE_ITEMS}:
                return True
        parent = parents.get(parent)
    return False


def _sent_as_text(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Words given as Slack's `text` (a keyword argument, or a Block Kit "text" key), sentence or not."""
    parent = parents.get(node)
    if isinstance(parent, ast.keyword):
        return parent.arg == "text"
    if isinstance(parent, ast.Dict) and node in parent.values:
        key = parent.keys[[id(value) for value in parent.values].index(id(node))]
        return isinstance(key, ast.Constant) and key.value == "text"
    return False


def sentences(source: str, module: str) -> list[Literal]:
    """String literals that read as a sentence to a person, or go to Slack as its `text`, outside the
    exemptions above."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        text = _text(node)
        words = text is not None and (
            SENTENCE.search(text) or (WORDS.search(text.replace("{}", "")) and _sent_as_text(node, parents))
        )
        if words and not _exempt(node, parents, module):
            found.append(Literal(module, getattr(node, "lineno", 0), str(text)))
    return found


def app_modules() -> Iterator[tuple[str, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module not in OPERATOR_MODULES and not module.startswith(OPERATOR_FOLDERS):
            yield module, path.read_text("utf-8")


def test_no_person_facing_sentence_is_written_in_python() -> None:
    found = [literal for module, source in app_modules() for literal in sentences(source, module)]
    assert found == [], "move these into templates/ (text/*.txt.j2 for field errors): " + "\n".join(
        f"{literal.module}:{literal.line}: {literal.text!r}" for literal in found
    )


@pytest.mark.parametrize(
    "planted",
    [
        'def f(respond):\n    respond(text="Something went wrong. Please try again.")\n',
        'def f(name):\n    return {"name": f"Please keep the name under {name} characters."}\n',
        'SORRY = "Kindly could not do that just now, sorry."\n',
        'def f(ack):\n    ack(response_action="errors", errors={"day": "Choose a day, like Monday."})\n',
        'def f(client):\n    client.chat_postMessage(channel="U1", text="thanks for noticing")\n',
        'BLOCK = {"type": "plain_text", "text": "kind words"}\n',
    ],
)
def test_the_sentence_scan_sees_a_sentence_sent_from_python(planted: str) -> None:
    assert sentences(planted, "flows/planted.py")


def test_the_sentence_scan_spares_logs_exceptions_and_docstrings() -> None:
    source = (
        'def f(log):\n    """Say what this does, in a sentence."""\n'
        '    log.warning("the export could not be uploaded: %s", 1)\n'
        '    raise ValueError("Settings are missing a value. Set it.")\n'
    )
    assert sentences(source, "flows/planted.py") == []


# --- One English, plain words -------------------------------------------------------------------------

# British spellings (and words) that have crept into copy before, with the US word Slack's default uses.
BRITISH = {
    r"\brecognis": "recogniz-",
    r"\borganis": "organiz-",
    r"\bapologis": "apologiz-",
    r"\brealis": "realiz-",
    r"\bprioritis": "prioritiz-",
    r"\bvisualis": "visualiz-",
    r"\bcustomis": "customiz-",
    r"\bprogramme": "program",
    r"\bcolour": "color",
    r"\bfavour": "favor",
    r"\bbehaviour": "behavior",
    r"\bhumour": "humor",
    r"\bhonour": "honor",
    r"\bcentre": "center",
    r"\bcancelled": "canceled",
    r"\backnowledgement": "acknowledgment",
    r"\bjudgement": "judgment",
    r"\bany more\b": "anymore",
    r"\bwhilst\b": "while",
    r"\blearnt\b": "learned",
}
OWNED_ELSEWHERE: set[str] = set()  # templates another change owns; none now


def british(text: str) -> list[str]:
    return [
        f"{match.group(0)} ({us})" for word, us in BRITISH.items() for match in re.finditer(word, text, re.I)
    ]


def test_templates_and_readme_speak_us_english() -> None:
    copy = {path.relative_to(TEMPLATES).as_posix(): path.read_text("utf-8") for path in templates()}
    copy["README.md"] = (ROOT / "README.md").read_text("utf-8")
    found = {
        name: words for name, text in copy.items() if name not in OWNED_ELSEWHERE and (words := british(text))
    }
    assert found == {}, found


def test_the_spelling_scan_sees_british_words() -> None:
    assert british("your employee assistance programme, whose colour we recognise") == [
        "recognis (recogniz-)",
        "programme (program)",
        "colour (color)",
    ]


def test_no_template_says_suppressed() -> None:
    said = [path.name for path in templates() if "suppress" in path.read_text("utf-8").lower()]
    assert said == [], "say what a person would: not shown, to keep everyone anonymous"
