"""`kindly playground`: try Kindly in a browser, with no Slack workspace and no tokens.

The real app (HTTP mode, SQLite) talks to the fake Slack Web API; a local page plays the Slack client,
sending the app requests signed exactly as Slack signs them and drawing what the app sent.
"""

from __future__ import annotations

import logging
import signal
import threading

from slackapp.playground.session import Playground, PlaygroundError
from slackapp.playground.web import PageServer

__all__ = ["PageServer", "Playground", "PlaygroundError", "run_playground"]

log = logging.getLogger(__name__)


def run_playground(*, host: str = "127.0.0.1", port: int = 3000) -> int:
    """Serve the playground until Ctrl-C or SIGTERM."""
    stopped = threading.Event()
    with Playground() as playground:
        page = PageServer(playground, host=host, port=port).start()
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
