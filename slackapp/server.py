"""Serving HTTP mode.

`kindly run --http` serves with gunicorn: one gthread worker process per replica (threads answer Slack
concurrently; scale out with replicas). bench/ack_latency.py chose it over waitress by measurement, see
bench/README.md. Tests and the playground use waitress in a background thread, because gunicorn forks
and cannot run inside a thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger
from waitress.server import create_server

from slackapp.buffering_worker import BufferingThreadWorker

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

log = logging.getLogger(__name__)

DEFAULT_THREADS = 16


def make_http_server(wsgi: WSGIApplication, *, host: str, port: int, threads: int = DEFAULT_THREADS) -> Any:
    """A bound, not yet running waitress server; call .run() to serve until interrupted."""
    return create_server(wsgi, host=host, port=port, threads=threads, ident="kindly")


class BackgroundServer:
    """A waitress server in a thread, stopped cleanly from the outside (tests, the playground).

    The thread runs waitress's loop itself, one poll at a time, so that stopping is a flag: the loop
    thread alone closes sockets, and only after the request threads have finished (a request thread
    pulls the trigger when its answer is ready, so the trigger must outlive them).
    """

    def __init__(self, wsgi: WSGIApplication, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = make_http_server(wsgi, host=host, port=port)
        self._thread = threading.Thread(target=self._serve, name="kindly-http", daemon=True)
        self._stopping = threading.Event()
        self._stop_lock = threading.Lock()  # held while the trigger is pulled or the sockets closed
        self._closed = False

    @property
    def base_url(self) -> str:
        return f"http://{self._server.effective_host}:{self._server.effective_port}"

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving; safe to call more than once, from any thread, started or not."""
        with self._stop_lock:
            if not self._thread.is_alive():
                self._stopping.set()
                self._close()
                return
            if not self._stopping.is_set():
                self._stopping.set()
                self._server.pull_trigger()  # wake the loop now rather than at its next poll timeout
        self._thread.join(timeout)

    def _serve(self) -> None:
        server = self._server
        try:
            while not self._stopping.is_set():
                server.asyncore.loop(
                    timeout=server.adj.asyncore_loop_timeout,
                    map=server._map,
                    use_poll=server.adj.asyncore_use_poll,
                    count=1,
                )
        finally:
            with self._stop_lock:
                self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._server.task_dispatcher.shutdown()
        for channel in list(self._server._map.values()):
            channel.close()


@dataclass(frozen=True)
class Served:
    """What a gunicorn worker serves, and what to release when the worker exits."""

    wsgi: WSGIApplication
    close: Callable[[], None]


class _RootLogger(GunicornLogger):
    """gunicorn's own lines go through the root logger, so they share Kindly's format (JSON or text)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)  # type: ignore[no-untyped-call]
        for logger in (self.error_log, self.access_log):
            logger.handlers.clear()
            logger.propagate = True


class GunicornServer(BaseApplication):
    """gunicorn, configured in code (not from argv or GUNICORN_CMD_ARGS), with one threaded worker that
    reads each request whole before a thread serves it (`BufferingThreadWorker`: slow clients cost a
    socket, not a thread).

    `load` runs in the worker after the fork, so database connections and scheduler threads are never
    shared across a fork; `on_ready` runs in the worker once it has loaded and is about to serve.
    """

    def __init__(
        self,
        load: Callable[[], Served],
        *,
        host: str,
        port: int,
        threads: int = DEFAULT_THREADS,
        workers: int = 1,
        on_ready: Callable[[], None] | None = None,
        worker_class: type | str = BufferingThreadWorker,  # another only to compare (bench/slow_clients.py)
    ) -> None:
        self._load = load
        self._served: Served | None = None
        self._on_ready = on_ready
        self._options: dict[str, Any] = {
            "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
            "workers": workers,
            "worker_class": worker_class,
            "threads": threads,
            "timeout": 30,
            "graceful_timeout": 30,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "logger_class": _RootLogger,
            "proc_name": "kindly",
            "control_socket_disable": True,
            "post_worker_init": self._post_worker_init,
            "worker_exit": self._worker_exit,
        }
        if Path("/dev/shm").is_dir():  # noqa: S108 - the worker heartbeat file, kept off slow disks
            self._options["worker_tmp_dir"] = "/dev/shm"  # noqa: S108
        super().__init__()  # type: ignore[no-untyped-call]

    def load_config(self) -> None:
        assert self.cfg is not None
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> WSGIApplication:
        self._served = self._load()
        return self._served.wsgi

    def _post_worker_init(self, _worker: object) -> None:
        if self._on_ready is not None:
            self._on_ready()

    def _worker_exit(self, _arbiter: object, _worker: object) -> None:
        if self._served is not None:
            self._served.close()

    def serve(self) -> int:
        """Serve until SIGTERM or SIGINT; the exit status gunicorn's master ends with."""
        try:
            self.run()  # type: ignore[no-untyped-call]
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else 0
        return 0
