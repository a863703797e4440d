"""`kindly playground`: try Kindly in a browser, with no Slack workspace and no tokens.

The real app (HTTP mode, SQLite) talks to the fake Slack Web API; a local page plays the Slack client,
sending the app requests signed exactly as Slack signs them and drawing what the app sent.
"""

from __future__ import annotations

import errno
import logging
import signal
import sys
import threading

from kindly_playground.session import Playground, PlaygroundError
from kindly_playground.web import PageServer

__all__ = ["PageServer", "Playground", "PlaygroundError", "run_playground"]

log = logging.getLogger(__name__)


def run_playground(*, host: str = "127.0.0.1", port: int = 3000) -> int:
    """Serve the playground until Ctrl-C or SIGTERM; 2 with one line when the port is taken."""
    stopped = threading.Event()
    playground = Playground()
    try:
        # Bound before the app starts, so a port in use is said at once and nothing is left running.
        page = PageServer(playground, host=host, port=port)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        sys.stderr.write(
            f"kindly playground: port {port} is already in use (another playground?); "
            f"stop it or choose another port with --port\n"
        )
        return 2
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a throwaway database's migrations are no news
    with playground:
        page.start()
        signal.signal(signal.SIGTERM, lambda _signum, _frame: stopped.set())
        print(f"Kindly playground: open {page.url} in your browser (Ctrl-C to stop)", flush=True)
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
        finally:
            log.info("Kindly playground is stopping")
            page.stop()
    return 0
