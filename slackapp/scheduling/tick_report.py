"""What one dispatcher tick did, as counts: the line a tick logs and the metrics it adds to.

Only reasons are counted, never people: a skip that says what someone did or chose is told as "private".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from slackapp import metrics
from slackapp.scheduling.gentle import reason_told


@dataclass
class TickReport:
    planned: int = 0
    sent: int = 0
    digests: int = 0
    deferred: int = 0
    refused: int = 0  # 429 or Slack unreachable: not posted, claimed again on a later tick
    released: int = 0  # claimed, never attempted (a lookup failed): claimed again on a later tick
    skipped: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)  # Slack may have posted: never sent again
    problems: list[str] = field(default_factory=list)

    def skipped_told(self) -> Counter[str]:
        """The skips as logs and metrics may tell them: what a person did or chose is only "private"."""
        told: Counter[str] = Counter()
        for reason, count in self.skipped.items():
            told[reason_told(reason)] += count
        return told

    def summary(self) -> str:
        line = (
            f"planned {self.planned}, sent {self.sent}, deferred {self.deferred}, "
            f"skipped: {_counts(self.skipped_told())}, failed: {_counts(self.failed)}, digests {self.digests}"
        )
        if self.unknown:
            line += f", unknown (Slack may have posted; not sent again): {_counts(self.unknown)}"
        if self.refused:
            line += f", refused by Slack (retried on a later tick) {self.refused}"
        if self.released:
            line += f", released unattempted (retried on a later tick) {self.released}"
        if self.problems:
            line += f", problems: {'; '.join(self.problems)}"
        return line


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in sorted(counter.items())) or "none"


def merge(into: TickReport, part: TickReport) -> None:
    """Add what preparing a workspace's reminders decided (sent, deferred, skipped, failed)."""
    into.sent += part.sent
    into.deferred += part.deferred
    into.skipped.update(part.skipped)
    into.failed.update(part.failed)


def count_in_metrics(report: TickReport) -> None:
    """Add one tick's outcome to the Prometheus counters; called once at the end of a tick."""
    metrics.PLANNED.inc(report.planned)
    metrics.DELIVERIES.labels(status="sent", reason="").inc(report.sent)
    metrics.DELIVERIES.labels(status="deferred", reason="dnd").inc(report.deferred)
    for reason, count in report.skipped_told().items():
        metrics.DELIVERIES.labels(status="skipped", reason=reason).inc(count)
    for reason, count in report.failed.items():
        metrics.DELIVERIES.labels(status="failed", reason=reason).inc(count)
    for reason, count in report.unknown.items():
        metrics.DELIVERIES.labels(status="unknown", reason=reason).inc(count)
    metrics.DELIVERIES.labels(status="refused", reason="").inc(report.refused)
    metrics.DELIVERIES.labels(status="released", reason="").inc(report.released)
    metrics.DIGESTS.inc(report.digests)
