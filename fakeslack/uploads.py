"""Files announced with files.getUploadURLExternal, the bytes posted to their upload URLs, and deletions."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class PendingFile:
    file_id: str
    filename: str
    length: int


class Deletion(Enum):
    DELETED = "deleted"
    NOT_FOUND = "file_not_found"
    ALREADY_DELETED = "file_deleted"


class UploadStore:
    """Thread-safe store of announced files and uploaded bytes; deleted files keep only their id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._announced: dict[str, PendingFile] = {}
        self._data: dict[str, bytes] = {}
        self._deleted: set[str] = set()

    def announce(self, pending: PendingFile) -> None:
        with self._lock:
            self._announced[pending.file_id] = pending

    def announced(self, file_id: str) -> PendingFile | None:
        with self._lock:
            return self._announced.get(file_id)

    def store(self, file_id: str, data: bytes) -> bool:
        """Keep the uploaded bytes; False when the file id was never announced."""
        with self._lock:
            if file_id not in self._announced:
                return False
            self._data[file_id] = data
            return True

    def data(self) -> dict[str, bytes]:
        with self._lock:
            return dict(self._data)

    def delete(self, file_id: str) -> Deletion:
        """files.delete: the bytes are gone; a second delete says so, as Slack's `file_deleted` does."""
        with self._lock:
            if file_id in self._deleted:
                return Deletion.ALREADY_DELETED
            if file_id not in self._announced:
                return Deletion.NOT_FOUND
            self._announced.pop(file_id)
            self._data.pop(file_id, None)
            self._deleted.add(file_id)
            return Deletion.DELETED
