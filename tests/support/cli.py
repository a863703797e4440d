"""Running the `kindly` command as a real process, the way an operator does."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

KINDLY = [sys.executable, "-m", "slackapp.cli"]
COMMAND_TIMEOUT = 60.0


def clean_env(home: Path, **variables: str) -> dict[str, str]:
    """PATH and HOME, plus only the variables a test sets: nothing inherited from the developer's shell."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), **variables}


def run_kindly(*args: str, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `kindly ARGS` to completion and capture its output."""
    return subprocess.run(
        [*KINDLY, *args],
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def start_kindly(*args: str, cwd: Path, env: Mapping[str, str]) -> subprocess.Popen[str]:
    """Start `kindly ARGS` without waiting, capturing its output: `.communicate()` collects it."""
    return subprocess.Popen(
        [*KINDLY, *args],
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RunningKindly:
    """`kindly ARGS` left running; its stderr is read line by line on a thread, so it never blocks.

    `program` is this checkout's `kindly` unless another is given (an installed one, say).
    """

    def __init__(
        self, *args: str, cwd: Path, env: Mapping[str, str], program: Sequence[str] = tuple(KINDLY)
    ) -> None:
        self.process = subprocess.Popen(
            [*program, *args],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="kindly-stderr", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._lines.put(line)
        self._lines.put(None)

    def wait_for_line(self, needle: str, *, timeout: float = COMMAND_TIMEOUT) -> str:
        """The first stderr line containing `needle`; AssertionError with the output so far if none comes."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._lines.get(timeout=max(remaining, 0.0))
            except queue.Empty:
                raise AssertionError(f"no line with {needle!r} in time; stderr so far:\n{self.log}") from None
            if line is None:
                raise AssertionError(
                    f"kindly exited ({self.process.wait()}) before printing {needle!r}:\n{self.log}"
                )
            self.lines.append(line)
            if needle in line:
                return line

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def stop(self) -> str:
        """SIGTERM, wait for the exit, and return everything it wrote to stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=COMMAND_TIMEOUT)
        while not self._lines.empty():
            line = self._lines.get_nowait()
            if line is not None:
                self.lines.append(line)
        return self.log

    def __enter__(self) -> RunningKindly:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
