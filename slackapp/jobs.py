"""The scheduled jobs: APScheduler runs the dispatcher tick and housekeeping. Reminders are rows, not jobs.

Housekeeping calls flows (wiping uninstalled workspaces, deleting export files, freezing insights), so the
jobs live above the flows, beside the app they run in, not in scheduling/.
"""

from __future__ import annotations

import logging
from datetime import UTC, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from slackapp.flows.data_rights import retry_export_deletions
from slackapp.flows.insights import freeze_all_closed_weeks
from slackapp.flows.installations import wipe_uninstalled
from slackapp.scheduling.dispatcher import Dispatcher
from slackapp.scheduling.tick_report import TickReport
from slackapp.services import Services
from slackapp.store.housekeeping import (
    forget_skipped_deliveries,
    purge_finished_deliveries,
    purge_processed_events,
)
from slackapp.store.retention import purge_expired_reflections

log = logging.getLogger(__name__)

EVENT_MEMORY = timedelta(days=1)
DELIVERY_MEMORY = timedelta(days=30)
SKIP_MEMORY = timedelta(hours=2)  # the default grace window: past it, a skipped reminder can never go out


def housekeeping(services: Services) -> None:
    now = services.clock()
    with services.sessions.begin() as session:
        events = purge_processed_events(session, before=now - EVENT_MEMORY)
        skipped = forget_skipped_deliveries(session, before=now - SKIP_MEMORY)
        deliveries = purge_finished_deliveries(session, before=now - DELIVERY_MEMORY)
        expired = purge_expired_reflections(session, now=now)
    wiped = wipe_uninstalled(services, now=now)
    files_deleted, files_left = (
        retry_export_deletions(services, services.slack_for) if services.slack_for else (0, 0)
    )
    freeze_all_closed_weeks(services, now=now)  # a closed week's insights are frozen within hours
    counters = services.quota.forget_ended_days()
    log.info(
        "housekeeping: forgot %d processed event ids, %d skipped and %d old deliveries, the quota keys "
        "of %d ended days; %d reflections past their workspace's retention; "
        "the data of %d uninstalled workspaces whose grace period ended; "
        "deleted %d export files from Slack (%d still to delete)",
        events,
        skipped,
        deliveries,
        counters,
        expired,
        wiped,
        files_deleted,
        files_left,
    )


def tick_and_tell(services: Services, dispatcher: Dispatcher) -> TickReport:
    """One dispatcher tick; one log line when it sent, deferred, skipped or failed anything, else none."""
    report = dispatcher.tick(services.clock())
    if report != TickReport():
        log.info("reminders: %s", report.summary())
    return report


def build_scheduler(
    services: Services, dispatcher: Dispatcher, *, tick_seconds: int, blocking: bool
) -> BaseScheduler:
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=UTC) if blocking else BackgroundScheduler(timezone=UTC)
    )
    common = {"max_instances": 1, "coalesce": True}
    # APScheduler logs two lines per run of every job; a tick says what it did itself, when it did anything.
    for name in ("apscheduler.executors.default", "apscheduler.scheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)
    scheduler.add_job(
        lambda: tick_and_tell(services, dispatcher),
        "interval",
        seconds=tick_seconds,
        id="dispatcher_tick",
        next_run_time=services.clock(),
        misfire_grace_time=tick_seconds,
        **common,
    )
    scheduler.add_job(
        housekeeping,
        "interval",
        args=[services],
        hours=6,
        id="housekeeping",
        next_run_time=services.clock(),
        **common,
    )
    return scheduler
