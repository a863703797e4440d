"""The fake workspace's people and channels: users, DND, channel members, DM channels."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fakeslack.ids import IdFactory


@dataclass(frozen=True)
class UserProfile:
    """What users.info tells about a person."""

    user_id: str
    name: str
    real_name: str
    tz: str
    tz_label: str
    tz_offset: int
    locale: str = "en-US"
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    # Enterprise Grid: the workspace the person belongs to (its admin flags are about it; None: the fake's
    # workspace), and whether they administer the whole org (`enterprise_user.is_admin`).
    team_id: str | None = None
    org_admin: bool = False
    # A guest: multi-channel (restricted) or single-channel (ultra restricted).
    is_restricted: bool = False
    is_ultra_restricted: bool = False


@dataclass(frozen=True)
class DndStatus:
    """What dnd.info tells about a person."""

    snooze_enabled: bool
    next_dnd_start_ts: int
    next_dnd_end_ts: int
    snooze_endtime: int | None = None
    dnd_enabled: bool = True


@dataclass(frozen=True)
class ChannelMembers:
    members: tuple[str, ...]
    page_size: int


def describe_tz(tz: str, *, at: datetime | None = None) -> tuple[str, int]:
    """Slack-like `tz_label` and `tz_offset` (seconds) for an IANA zone, now or at `at`."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return tz, 0
    moment = (at or datetime.now(zone)).astimezone(zone)
    offset = moment.utcoffset()
    return moment.tzname() or tz, int(offset.total_seconds()) if offset else 0


class Directory:
    """Thread-safe store of the people and channels tests configure."""

    def __init__(self, ids: IdFactory) -> None:
        self._ids = ids
        self._lock = threading.Lock()
        self._users: dict[str, UserProfile] = {}
        self._dnd: dict[str, DndStatus] = {}
        self._channels: dict[str, ChannelMembers] = {}
        self._dm_channels: dict[str, str] = {}
        self._usergroups: dict[str, tuple[str, tuple[str, ...]]] = {}

    def set_user(self, profile: UserProfile) -> None:
        with self._lock:
            self._users[profile.user_id] = profile

    def user(self, user_id: str) -> UserProfile | None:
        with self._lock:
            return self._users.get(user_id)

    def users(self) -> list[UserProfile]:
        with self._lock:
            return sorted(self._users.values(), key=lambda profile: profile.user_id)

    def set_usergroup(self, usergroup_id: str, handle: str, members: list[str]) -> None:
        with self._lock:
            self._usergroups[usergroup_id] = (handle, tuple(members))

    def usergroups(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        with self._lock:
            return dict(self._usergroups)

    def set_dnd(self, user_id: str, status: DndStatus) -> None:
        with self._lock:
            self._dnd[user_id] = status

    def dnd(self, user_id: str) -> DndStatus | None:
        with self._lock:
            return self._dnd.get(user_id)

    def set_channel_members(self, channel_id: str, members: list[str], *, page_size: int) -> None:
        if page_size < 1:
            raise ValueError("page_size must be >= 1")
        with self._lock:
            self._channels[channel_id] = ChannelMembers(tuple(members), page_size)

    def channel_members(self, channel_id: str) -> ChannelMembers | None:
        with self._lock:
            return self._channels.get(channel_id)

    def join(self, channel_id: str, user_id: str) -> bool:
        """Add `user_id` to a configured channel; return False when it was already a member."""
        with self._lock:
            channel = self._channels.get(channel_id)
            if channel is None:
                self._channels[channel_id] = ChannelMembers((user_id,), 200)
                return True
            if user_id in channel.members:
                return False
            self._channels[channel_id] = ChannelMembers((*channel.members, user_id), channel.page_size)
            return True

    def dm_channel(self, user_id: str) -> tuple[str, bool]:
        """The DM channel id with `user_id` and whether it was already open."""
        with self._lock:
            existing = self._dm_channels.get(user_id)
            if existing is not None:
                return existing, True
            channel_id = self._ids.new_id("D")
            self._dm_channels[user_id] = channel_id
            return channel_id, False

    def user_for_dm(self, channel_id: str) -> str | None:
        with self._lock:
            return next((u for u, c in self._dm_channels.items() if c == channel_id), None)
