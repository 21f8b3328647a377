"""private/sent/DAY.jsonl: the append-only record of what was sent, and the lock of a run.

The record is what makes "each subscriber once" survive a crash. For every
message a line ``attempt`` is written and fsynced *before* the message data goes
to the relay, and a line with the outcome after the relay's reply:

    {"event": "attempt",  "id": "ana", "kind": "normal", "n": 0, "message_id": "<...>",
                          "digest": "sha256:...", "at": "2024-08-16T01:00:00+00:00"}
    {"event": "sent",     ..., "reply": "250 2.0.0 Ok: queued as 4Wl"}
    {"event": "deferred", ..., "reply": "451 4.3.0 try later", "retry_after": "..."}
    {"event": "rejected", ..., "reply": "550 5.1.1 no such user"}
    {"event": "not-sent", ..., "reply": "connection lost before DATA"}

So a run tells apart what the relay accepted (skip it), what it deferred (retry
once the backoff has passed), what it refused for good (leave it), what never
reached it (send it), and what is *in doubt*: an attempt with no outcome, where
the process died or the connection dropped between the data and the reply
(RFC 1047's duplicate window). In-doubt messages are left alone unless the
caller asks to send them again, with the same Message-ID.

A line that was being written when the process died has no newline: its fsync
never returned, so the message data was never sent; the reader ignores it and
the next writer cuts it off before appending.

The ledger holds subscriber ids, never addresses (UU PDP: no more than needed).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeGuard, get_args

from briefing.errors import Location, Problems
from briefing.mail.message import Kind

Event = Literal["attempt", "sent", "deferred", "rejected", "not-sent"]
State = Literal["pending", "in-doubt", "sent", "deferred", "rejected"]
STATES: tuple[State, ...] = get_args(State)

LOCK_NAME = ".lock"

_EVENTS = set(get_args(Event))
_KINDS = set(get_args(Kind))
_STATE_AFTER: dict[Event, State] = {"attempt": "in-doubt", "sent": "sent", "deferred": "deferred",
                                    "rejected": "rejected", "not-sent": "pending"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the record."""

    event: Event
    subscriber: str
    kind: Kind
    number: int
    message_id: str
    at: datetime
    digest: str = ""
    reply: str = ""
    retry_after: datetime | None = None

    def line(self) -> bytes:
        data: dict[str, Any] = {"event": self.event, "id": self.subscriber, "kind": self.kind,
                                "n": self.number, "message_id": self.message_id,
                                "at": self.at.isoformat()}
        if self.digest:
            data["digest"] = self.digest
        if self.reply:
            data["reply"] = self.reply
        if self.retry_after is not None:
            data["retry_after"] = self.retry_after.isoformat()
        return (json.dumps(data, ensure_ascii=False) + "\n").encode()


def parse_entry(text: str) -> Entry:
    """One line back as an :class:`Entry`; ValueError says what is wrong with it."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    event, kind, number = data.get("event"), data.get("kind"), data.get("n")
    if not (isinstance(event, str) and _is_event(event)):
        raise ValueError(f"unknown event {event!r}")
    if not (isinstance(kind, str) and _is_kind(kind)):
        raise ValueError(f"unknown kind {kind!r}")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise ValueError(f"n must be a whole number, found {number!r}")
    for name in ("id", "message_id", "at"):
        if not isinstance(data.get(name), str):
            raise ValueError(f"missing {name}")
    retry = data.get("retry_after")
    return Entry(event, data["id"], kind, number, data["message_id"], _moment(data["at"]),
                 str(data.get("digest", "")), str(data.get("reply", "")),
                 _moment(retry) if isinstance(retry, str) else None)


def _is_event(word: str) -> TypeGuard[Event]:
    return word in _EVENTS


def _is_kind(word: str) -> TypeGuard[Kind]:
    return word in _KINDS


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"a time without a time zone: {text}")
    return moment


@dataclass(slots=True)
class Track:
    """What the record says about one message (one subscriber, kind and number)."""

    kind: Kind
    number: int
    message_id: str
    state: State = "pending"
    digest: str = ""  # of the content last handed to the relay
    reply: str = ""
    tries: int = 0  # deferrals so far
    retry_after: datetime | None = None


@dataclass(slots=True)
class Record:
    """Every message of one subscriber on one day, oldest first."""

    tracks: list[Track] = field(default_factory=list)

    def track(self, kind: Kind, number: int, message_id: str) -> Track:
        for track in self.tracks:
            if track.kind == kind and track.number == number:
                return track
        track = Track(kind, number, message_id)
        self.tracks.append(track)
        return track

    @property
    def current(self) -> Track | None:
        """The latest message: the highest correction number, else the normal one."""
        return max(self.tracks, key=lambda t: t.number, default=None)

    @property
    def delivered(self) -> Track | None:
        """The latest message the relay accepted."""
        sent = [t for t in self.tracks if t.state == "sent"]
        return max(sent, key=lambda t: t.number, default=None)


@dataclass(slots=True)
class DayRecord:
    day: date
    records: dict[str, Record] = field(default_factory=dict)

    def of(self, subscriber: str) -> Record:
        return self.records.setdefault(subscriber, Record())

    def apply(self, entry: Entry) -> None:
        track = self.of(entry.subscriber).track(entry.kind, entry.number, entry.message_id)
        track.state = _STATE_AFTER[entry.event]
        if entry.digest:
            track.digest = entry.digest
        if entry.reply:
            track.reply = entry.reply
        if entry.event == "deferred":
            track.tries += 1
            track.retry_after = entry.retry_after

    def state(self, subscriber: str) -> State:
        record = self.records.get(subscriber)
        current = record.current if record is not None else None
        return current.state if current is not None else "pending"


def day_path(ledger_dir: Path, day: date) -> Path:
    return ledger_dir / f"{day.isoformat()}.jsonl"


def shown_path(path: Path, root: Path | None) -> str:
    if root is not None and path.is_relative_to(root):
        return str(path.relative_to(root))
    return str(path)


def read_day(ledger_dir: Path, day: date, problems: Problems, root: Path | None = None) -> DayRecord:
    """Replay a day's record; a line that cannot be read is a located error (the caller
    must not send then: the record is what prevents duplicates)."""
    record = DayRecord(day)
    for entry in read_entries(day_path(ledger_dir, day), problems, root):
        record.apply(entry)
    return record


def read_entries(path: Path, problems: Problems, root: Path | None = None) -> Iterator[Entry]:
    """Every complete line of a record file, in order (nothing when there is no file)."""
    shown = shown_path(path, root)
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        return
    with stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.endswith(b"\n"):
                return  # torn by a crash mid-write: the attempt it began never went out
            try:
                yield parse_entry(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                problems.error(Location(shown, number, 1), "", f"unreadable line in the send record: {exc}",
                               "this file is the record of what was sent; repair the line by hand "
                               "(or delete it, knowing that its message may then be sent again)")


@dataclass(frozen=True, slots=True)
class DayStatus:
    """How far a day's sending is, counted per active subscriber."""

    sent: int = 0
    deferred: int = 0
    rejected: int = 0
    in_doubt: int = 0
    pending: int = 0

    @property
    def done(self) -> bool:
        return not (self.deferred or self.in_doubt or self.pending)


def day_status(record: DayRecord, subscribers: Iterator[str] | list[str]) -> DayStatus:
    counts = dict.fromkeys(STATES, 0)
    for subscriber in subscribers:
        counts[record.state(subscriber)] += 1
    return DayStatus(counts["sent"], counts["deferred"], counts["rejected"], counts["in-doubt"],
                     counts["pending"])


def backoff(tries: int, first: timedelta, longest: timedelta) -> timedelta:
    """How long to wait before the next try after ``tries`` deferrals: first, twice that, ..."""
    wait: timedelta = first * (2 ** max(tries - 1, 0))
    return min(wait, longest)


def sent_since(ledger_dir: Path, since: datetime) -> int:
    """Messages handed to the relay since ``since``, over every day's record (for the daily
    limit, which the relay counts by the clock, not by briefing day)."""
    count = 0
    if not ledger_dir.is_dir():
        return 0
    ignored = Problems()
    for path in sorted(ledger_dir.glob("*.jsonl")):
        if datetime.fromtimestamp(path.stat().st_mtime, since.tzinfo) < since:
            continue  # not written to since then
        count += sum(1 for e in read_entries(path, ignored) if e.event == "attempt" and e.at >= since)
    return count


class Writer:
    """Appends lines to one day's record; :meth:`append` with ``sync`` returns only once the
    line is on disk."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # who got what: private
        created = not path.exists()
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        self._cut_torn_tail()
        if created:
            _sync_folder(path.parent)

    def _cut_torn_tail(self) -> None:
        size = os.fstat(self._fd).st_size
        if not size:
            return
        tail = os.pread(self._fd, min(size, 64 * 1024), max(size - 64 * 1024, 0))
        if tail.endswith(b"\n"):
            return
        start = max(size - len(tail), 0)
        cut = tail.rfind(b"\n")
        if cut < 0 and start > 0:  # a line longer than 64 KiB is no line of ours: read it all
            whole = os.pread(self._fd, size, 0)
            cut, start = whole.rfind(b"\n"), 0
        os.ftruncate(self._fd, start + cut + 1 if cut >= 0 else 0)

    def append(self, entry: Entry, *, sync: bool) -> None:
        data = entry.line()
        written = os.write(self._fd, data)
        if written != len(data):  # pragma: no cover - a full disk; the tail is cut next time
            raise OSError(f"short write to the send record ({written} of {len(data)} bytes)")
        if sync:
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class LockHeld(Exception):
    """Another ``send`` of this briefing is running."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(f"another send is running ({holder or 'unknown process'}); lock: {path}")


@contextmanager
def send_lock(ledger_dir: Path, now: datetime) -> Iterator[None]:
    """Hold ``private/sent/.lock`` for a run: one sender at a time per briefing, or two
    would both see a subscriber as pending and both send. ``flock`` is released by the
    kernel when the process dies, even by SIGKILL, so a crash leaves no stale lock; the
    file's text (PID and start time) only names the holder for the second sender."""
    ledger_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = ledger_dir / LOCK_NAME
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip()
            raise LockHeld(path, holder) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"pid {os.getpid()}, started {now.isoformat(timespec='seconds')}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
