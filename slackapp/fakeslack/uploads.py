"""Files announced with files.getUploadURLExternal and the bytes posted to their upload URLs."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class PendingFile:
    file_id: str
    filename: str
    length: int


class UploadStore:
    """Thread-safe store of announced files and uploaded bytes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._announced: dict[str, PendingFile] = {}
        self._data: dict[str, bytes] = {}

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
