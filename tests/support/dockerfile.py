"""deploy/Dockerfile read as instructions: the tests check what the image runs and what it is built from."""

from __future__ import annotations

from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parent.parent.parent / "deploy" / "Dockerfile"


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, with continuation lines joined and comments left out."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def build_stage_sources() -> list[str]:
    """What the first (wheel-building) stage copies from the build context, in order."""
    instructions = dockerfile_instructions()
    stages = [i for i, (word, _) in enumerate(instructions) if word == "FROM"]
    sources: list[str] = []
    for word, argument in instructions[stages[0] : stages[1]]:
        if word == "COPY" and not argument.startswith("--from"):
            *copied, _target = argument.split()
            sources.extend(copied)
    return sources
