"""A day's briefing to every active subscriber, each once: ``briefing send``'s library.

    lock ─▶ replay the record ─▶ for each active subscriber, in id order:
              skip (accepted, refused, deferred and not due, in doubt)
              or compose ─▶ attempt line ─▶ SMTP ─▶ outcome line ─▶ progress

Messages are composed one at a time and dropped once sent: memory stays flat
with the number of subscribers. The content is the caller's (``compose``); this
module decides who gets which message, and keeps the record honest: nothing is
recorded as sent that the relay did not accept.

Exit status of a run (:attr:`SendSummary.exit_status`): 0 when every active
subscriber got the day's briefing or was refused for good, 75 (EX_TEMPFAIL)
when deferred, in-doubt or not yet sent messages remain (run again later), 1
when a problem stopped the run.
"""

from __future__ import annotations

import ssl
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from briefing.errors import Level, Location, Problem, Problems
from briefing.mail.addresses import check_address
from briefing.mail.clock import SYSTEM_CLOCK, Clock, Pace
from briefing.mail.ledger import (
    DayRecord,
    DayStatus,
    Entry,
    Event,
    LockHeld,
    Track,
    Writer,
    backoff,
    day_path,
    day_status,
    read_day,
    send_lock,
    sent_since,
    shown_path,
)
from briefing.mail.message import (
    Composed,
    DayPdf,
    MailContent,
    MailingList,
    MessageKey,
    PdfChoice,
    build_message,
    content_digest,
    pdf_choice,
)
from briefing.mail.settings import (
    SETTINGS_FILE,
    UNSUBSCRIBE_KEY_VARIABLE,
    EmailSettings,
    smtp_password,
    unsubscribe_key,
)
from briefing.mail.subscribers import Subscriber
from briefing.mail.transport import ConnectionLost, Outcome, Relay, RelayRefused

#: The day's content for one subscriber, told how the PDF reaches them ("link": the
#: content must show the PDF's address).
Compose = Callable[[Subscriber, PdfChoice], MailContent]
#: Called as work advances: (what, done, total), like briefing.build.Progress.
Progress = Callable[[str, int, int], None]

EX_TEMPFAIL = 75
_SETTINGS = Location(SETTINGS_FILE)


@dataclass(frozen=True, slots=True)
class SendOptions:
    """How a run treats what earlier runs left."""

    #: Send in-doubt messages again (same Message-ID: a relay or client that got the first
    #: copy can drop the second).
    resend_in_doubt: bool = False
    #: The content changed after some subscribers got it: send them a correction,
    #: threaded to the original. Without it such a day is refused.
    correction: bool = False
    #: Put before a correction's subject, in the list's language ("Koreksi: ").
    correction_prefix: str = ""
    #: Wait after a 4xx reply before trying again: first, then doubling up to longest.
    retry_first: timedelta = timedelta(minutes=5)
    retry_longest: timedelta = timedelta(hours=6)

    def __post_init__(self) -> None:
        if self.correction and not self.correction_prefix:
            raise ValueError("a correction needs its subject prefix (correction_prefix)")


@dataclass(frozen=True, slots=True)
class SendSummary:
    """What a run did, what the day's record now says, and why it stopped if it did."""

    day: date
    sent: int = 0
    corrections: int = 0  # of the sent, how many were corrections
    deferred: int = 0
    rejected: int = 0
    in_doubt: int = 0  # made in doubt by this run
    skipped: int = 0  # already handled by an earlier run, or waiting
    status: DayStatus = field(default_factory=DayStatus)
    problems: tuple[Problem, ...] = ()

    @property
    def exit_status(self) -> int:
        if any(p.level is Level.ERROR for p in self.problems):
            return 1
        return 0 if self.status.done else EX_TEMPFAIL


@dataclass(slots=True)
class _Tally:
    sent: int = 0
    corrections: int = 0
    deferred: int = 0
    rejected: int = 0
    in_doubt: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class _Plan:
    """What to send one subscriber now."""

    key: MessageKey
    prefix: str
    replying_to: tuple[str, ...]


class _Stop(Exception):
    """Ends a run; the problem says why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message)


def _mailing_list(settings: EmailSettings, environ: Mapping[str, str] | None,
                  problems: Problems, *, placeholder: bool = False) -> MailingList | None:
    key = unsubscribe_key(environ)
    if settings.unsubscribe.url is not None and key is None:
        if placeholder:
            problems.warning(_SETTINGS, "email.unsubscribe.url",
                             f"{UNSUBSCRIBE_KEY_VARIABLE} is not set: the unsubscribe links of this "
                             "dry run are signed with a placeholder key and do not work")
            return MailingList(settings, b"dry-run placeholder key")
        problems.error(_SETTINGS, "email.unsubscribe.url",
                       f"the one-click unsubscribe links need a signing key, and {UNSUBSCRIBE_KEY_VARIABLE} "
                       "is not set",
                       f"set {UNSUBSCRIBE_KEY_VARIABLE} in the environment to a long random secret "
                       "(the unsubscribe endpoint checks tokens with the same key), never in a file")
        return None
    return MailingList(settings, key)


def _correction_of(track_number: int, day: date, subscriber: str, mailing_list: MailingList,
                   prefix: str) -> _Plan:
    """The plan of correction number ``track_number``: threaded to the original and the
    corrections before it."""
    earlier = tuple(
        mailing_list.message_id(MessageKey(day, subscriber, "normal" if n == 0 else "correction", n))
        for n in range(track_number))
    return _Plan(MessageKey(day, subscriber, "correction", track_number), prefix, earlier)


def _again(track: Track, day: date, subscriber: str, mailing_list: MailingList,
           options: SendOptions) -> _Plan:
    """The plan that sends ``track``'s message once more, with its Message-ID."""
    if track.number == 0:
        return _Plan(MessageKey(day, subscriber), "", ())
    prefix = options.correction_prefix
    return _correction_of(track.number, day, subscriber, mailing_list, prefix)


class _Run:
    """One run over a day's list; holds the connection, the record and the counts."""

    def __init__(self, root: Path, settings: EmailSettings, day: date, mailing_list: MailingList,
                 compose: Compose, pdf: DayPdf | None, options: SendOptions, relay: Relay,
                 clock: Clock, problems: Problems) -> None:
        self.root = root
        self.settings = settings
        self.day = day
        self.mailing_list = mailing_list
        self.compose = compose
        self.pdf = pdf
        self.options = options
        self.relay = relay
        self.clock = clock
        self.problems = problems
        self.tally = _Tally()
        self.pace = Pace(settings.rate.per_second, clock)
        self.failures = 0  # in a row
        self.warned: set[tuple[str, str]] = set()
        self.ledger_dir = settings.ledger_dir(root)
        self.record = DayRecord(day)
        self.writer: Writer | None = None
        self.budget = 0
        self.corrections_waiting = 0  # corrections to retry, left for a run with the prefix

    # -- deciding --------------------------------------------------------------

    def content(self, subscriber: Subscriber) -> tuple[MailContent, PdfChoice]:
        choice = pdf_choice(subscriber, self.pdf, self.settings.pdf)
        return self.compose(subscriber, choice), choice

    def changed(self, subscriber: Subscriber, delivered: Track) -> bool:
        content, choice = self.content(subscriber)
        return content_digest(content, choice, self.pdf) != delivered.digest

    def plan(self, subscriber: Subscriber) -> _Plan | None:
        """What to send now, or None to leave the subscriber alone in this run."""
        record = self.record.records.get(subscriber.id)
        current = record.current if record is not None else None
        if current is None:
            return _Plan(MessageKey(self.day, subscriber.id), "", ())
        if current.state == "pending":  # an attempt that never reached the relay
            return self.again(current, subscriber)
        if current.state == "deferred":
            due = current.retry_after is None or current.retry_after <= self.clock.now()
            return self.again(current, subscriber) if due else None
        if current.state == "in-doubt":
            return self.again(current, subscriber) if self.options.resend_in_doubt else None
        if current.state == "sent" and self.options.correction and self.changed(subscriber, current):
            return _correction_of(current.number + 1, self.day, subscriber.id, self.mailing_list,
                                  self.options.correction_prefix)
        return None  # sent and unchanged, or refused for good

    def again(self, track: Track, subscriber: Subscriber) -> _Plan | None:
        """The plan that sends ``track``'s message once more, with its Message-ID; a
        correction only when the caller gave its subject prefix."""
        if track.number > 0 and not self.options.correction_prefix:
            self.corrections_waiting += 1
            return None
        return _again(track, self.day, subscriber.id, self.mailing_list, self.options)

    def refuse_changed(self, subscribers: Sequence[Subscriber]) -> None:
        """Without ``correction``, a day whose content changed after some subscribers got it
        is not sent at all: the rest would get a briefing the first ones never saw."""
        changed = []
        for subscriber in subscribers:
            record = self.record.records.get(subscriber.id)
            current = record.current if record is not None else None
            if current is not None and current.state == "sent" and self.changed(subscriber, current):
                changed.append(subscriber.id)
        if changed:
            shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            raise _Stop(Problem(
                Level.ERROR, Location(shown_path(day_path(self.ledger_dir, self.day), self.root)), "",
                f"the briefing of {self.day} changed after {len(changed)} subscriber"
                f"{'s' if len(changed) != 1 else ''} got it ({shown}); nothing was sent",
                "send a correction to those who got it (the others get the new version), or put "
                "the briefing back as it was"))

    # -- sending ---------------------------------------------------------------

    def log(self, entry: Entry, *, sync: bool) -> None:
        assert self.writer is not None
        self.writer.append(entry, sync=sync)
        self.record.apply(entry)

    def entry(self, event: Event, composed: Composed, key: MessageKey, *, digest: str = "",
              reply: str = "", retry_after: datetime | None = None) -> Entry:
        return Entry(event, key.subscriber, key.kind, key.number, composed.message_id, self.clock.now(),
                     digest, reply, retry_after)

    def connect(self) -> None:
        while True:
            try:
                self.relay.connect()
                return
            except RelayRefused as exc:
                raise _Stop(Problem(Level.ERROR, _SETTINGS, "email.smtp", exc.message, exc.hint)) from None
            except ConnectionLost as exc:
                self.fail(str(exc))
                self.clock.sleep(min(2.0 ** self.failures, 60.0))

    def fail(self, reply: str) -> None:
        self.failures += 1
        limit = self.settings.smtp.max_failures
        if self.failures >= limit:
            raise _Stop(Problem(Level.ERROR, _SETTINGS, "email.smtp",
                                f"{self.failures} failures in a row, the run stops; the last: {reply}",
                                "check the relay and run again: what was accepted is recorded and "
                                "will not be sent twice"))

    def send(self, subscriber: Subscriber, plan: _Plan) -> None:
        content, _choice = self.content(subscriber)
        composed = build_message(self.mailing_list, subscriber, content, plan.key, when=self.clock.now(),
                                 pdf=self.pdf, subject_prefix=plan.prefix, replying_to=plan.replying_to)
        for problem in composed.problems:
            if problem.level is Level.ERROR:
                raise _Stop(problem)
            if (problem.location.path, problem.hint) not in self.warned:  # once a run, not once a reader
                self.warned.add((problem.location.path, problem.hint))
                self.problems.add(problem)
        while True:
            if self.budget <= 0:
                raise _Stop(Problem(Level.WARNING, _SETTINGS, "email.rate.per_day",
                                    f"the daily limit of {self.settings.rate.per_day} messages is reached; "
                                    "the rest wait for the next run"))
            if not self.relay.connected or self.relay.messages >= self.settings.smtp.reconnect_every:
                self.relay.close()
                self.connect()
            self.pace.wait()
            attempted = False

            def attempt(composed: Composed = composed) -> None:
                nonlocal attempted
                self.log(self.entry("attempt", composed, plan.key, digest=composed.digest), sync=True)
                attempted = True
                self.budget -= 1

            outcome = self.relay.deliver(self.settings.sender_address.addr_spec, subscriber.email,
                                         composed.data, attempt)
            if outcome.result != "not-sent":
                self.record_outcome(outcome, composed, plan.key)
                return
            if attempted:
                self.log(self.entry("not-sent", composed, plan.key, reply=outcome.reply), sync=False)
            if outcome.stop:
                raise _Stop(Problem(Level.ERROR, _SETTINGS, "email.from", outcome.stop))
            self.fail(outcome.reply)  # and try this subscriber again, on a new connection

    def record_outcome(self, outcome: Outcome, composed: Composed, key: MessageKey) -> None:
        if outcome.result == "sent":
            self.log(self.entry("sent", composed, key, digest=composed.digest, reply=outcome.reply),
                     sync=False)
            self.failures = 0
            self.tally.sent += 1
            self.tally.corrections += key.kind == "correction"
            return
        if outcome.result == "deferred":
            record = self.record.records.get(key.subscriber)
            tries = next((t.tries for t in record.tracks if t.number == key.number), 0) if record else 0
            wait = backoff(tries + 1, self.options.retry_first, self.options.retry_longest)
            self.log(self.entry("deferred", composed, key, reply=outcome.reply,
                                retry_after=self.clock.now() + wait), sync=False)
            self.tally.deferred += 1
        elif outcome.result == "rejected":
            self.log(self.entry("rejected", composed, key, reply=outcome.reply), sync=False)
            self.tally.rejected += 1
        else:  # in doubt: the attempt line stays without an outcome
            self.tally.in_doubt += 1
        if outcome.stop:
            raise _Stop(Problem(Level.ERROR, _SETTINGS, "email.smtp", outcome.stop,
                                "nothing more is sent in this run; what was accepted is recorded"))
        self.fail(outcome.reply)


def send_day(root: Path, settings: EmailSettings, day: date, subscribers: Sequence[Subscriber],
             compose: Compose, *, pdf: DayPdf | None = None, options: SendOptions | None = None,
             ssl_context: ssl.SSLContext | None = None, clock: Clock = SYSTEM_CLOCK,
             progress: Progress | None = None,
             environ: Mapping[str, str] | None = None) -> SendSummary:
    """Send ``day``'s briefing to every active subscriber who has not got it yet.

    ``subscribers``: from :func:`~briefing.mail.subscribers.load_subscribers`.
    ``pdf``: the day's PDF, attached or linked per subscriber. ``ssl_context``: an
    ``ssl.SSLContext`` to verify the relay with (default: the system's CAs).
    ``environ``: where the secrets are read (default: os.environ).
    """
    options = options or SendOptions()
    problems = Problems()
    mailing_list = _mailing_list(settings, environ, problems)
    if mailing_list is None:
        return SendSummary(day, problems=tuple(problems))
    try:
        relay = Relay(settings.smtp, smtp_password(environ), ssl_context)
    except RelayRefused as exc:
        problems.error(_SETTINGS, "email.smtp.username", exc.message, exc.hint)
        return SendSummary(day, problems=tuple(problems))
    active = sorted((s for s in subscribers if s.active), key=lambda s: s.id)
    run = _Run(root, settings, day, mailing_list, compose, pdf, options, relay, clock, problems)
    try:
        with ExitStack() as stack:
            stack.enter_context(send_lock(run.ledger_dir, clock.now()))
            run.writer = stack.enter_context(Writer(day_path(run.ledger_dir, day)))
            stack.callback(relay.close)
            run.record = read_day(run.ledger_dir, day, problems, root)
            if problems.errors:
                raise _Stop(problems.errors[0])
            if not options.correction:
                run.refuse_changed(active)
            now = clock.now()
            run.budget = settings.rate.per_day - sent_since(run.ledger_dir, now - timedelta(days=1))
            for done, subscriber in enumerate(active, start=1):
                plan = run.plan(subscriber)
                if plan is None:
                    run.tally.skipped += 1
                else:
                    run.send(subscriber, plan)
                if progress is not None:
                    progress(f"Sending {day}", done, len(active))
        if run.corrections_waiting:
            problems.warning(Location(shown_path(day_path(run.ledger_dir, day), root)), "",
                             f"{run.corrections_waiting} correction(s) wait to be sent again",
                             "run the correction again: its subject prefix is needed")
    except LockHeld as exc:
        problems.error(Location(shown_path(exc.path, root)), "",
                       f"another send of this briefing is running ({exc.holder or 'holder unknown'})",
                       "wait for it to finish: two at once would send some subscribers the briefing "
                       "twice")
    except _Stop as stop:
        if stop.problem not in problems:
            problems.add(stop.problem)
    tally = run.tally
    status = day_status(run.record, [s.id for s in active])
    return SendSummary(day, tally.sent, tally.corrections, tally.deferred, tally.rejected, tally.in_doubt,
                       tally.skipped, status, tuple(problems))


def read_status(root: Path, settings: EmailSettings, day: date,
                subscribers: Sequence[Subscriber]) -> tuple[DayStatus, Problems]:
    """How far ``day``'s sending is (``briefing send --status``); reads without the lock."""
    problems = Problems()
    record = read_day(settings.ledger_dir(root), day, problems, root)
    return day_status(record, [s.id for s in subscribers if s.active]), problems


@dataclass(frozen=True, slots=True)
class DryRunSummary:
    out: Path
    written: int
    problems: tuple[Problem, ...] = ()

    @property
    def exit_status(self) -> int:
        return 1 if any(p.level is Level.ERROR for p in self.problems) else 0


def dry_run(settings: EmailSettings, day: date, subscribers: Sequence[Subscriber], compose: Compose,
            out_dir: Path, *, pdf: DayPdf | None = None, clock: Clock = SYSTEM_CLOCK,
            progress: Progress | None = None,
            environ: Mapping[str, str] | None = None) -> DryRunSummary:
    """Write each active subscriber's message as ``ID.eml`` (what the relay would get) plus
    ``ID.html`` (inlined) and ``ID.txt``; send nothing, record nothing. Every active
    subscriber's normal message is written, whatever the record says."""
    problems = Problems()
    mailing_list = _mailing_list(settings, environ, problems, placeholder=True)
    assert mailing_list is not None
    active = sorted((s for s in subscribers if s.active), key=lambda s: s.id)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    warned: set[tuple[str, str]] = set()
    for done, subscriber in enumerate(active, start=1):
        choice = pdf_choice(subscriber, pdf, settings.pdf)
        composed = build_message(mailing_list, subscriber, compose(subscriber, choice),
                                 MessageKey(day, subscriber.id), when=clock.now(), pdf=pdf)
        for problem in composed.problems:
            if (problem.location.path, problem.hint) not in warned:
                warned.add((problem.location.path, problem.hint))
                problems.add(problem)
        (out_dir / f"{subscriber.id}.eml").write_bytes(composed.data)
        (out_dir / f"{subscriber.id}.html").write_text(composed.html, encoding="utf-8")
        (out_dir / f"{subscriber.id}.txt").write_text(composed.text, encoding="utf-8")
        written += 1
        if progress is not None:
            progress(f"Writing {day}", done, len(active))
    return DryRunSummary(out_dir, written, tuple(problems))


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What became of a test copy (named so that pytest never mistakes it for a test class)."""

    message_id: str
    outcome: Outcome | None
    problems: tuple[Problem, ...] = ()

    @property
    def exit_status(self) -> int:
        if any(p.level is Level.ERROR for p in self.problems) or self.outcome is None:
            return 1
        return {"sent": 0, "rejected": 1}.get(self.outcome.result, EX_TEMPFAIL)


def send_test(settings: EmailSettings, day: date, compose: Compose, to: str, *, prefix: str,
              subscriber: Subscriber | None = None, pdf: DayPdf | None = None,
              ssl_context: ssl.SSLContext | None = None, clock: Clock = SYSTEM_CLOCK,
              environ: Mapping[str, str] | None = None) -> CopyResult:
    """One test copy (``briefing send --to ADDR``) to ``to``: the subject starts with
    ``prefix`` ("[UJI] "), the Message-ID is new every time, nothing is recorded.

    ``subscriber``: whose message to copy (default: a stand-in named 'test'); its
    unsubscribe link is signed for the stand-in id, so a click on it changes nothing."""
    problems = Problems()
    mailing_list = _mailing_list(settings, environ, problems)
    message_id = f"<test.{uuid.uuid4().hex}@{settings.list_id}>"
    if mailing_list is None:
        return CopyResult(message_id, None, tuple(problems))
    base = subscriber or Subscriber("test", to, None, None, settings.pdf.mode, "active", None,
                                    Location("--to"))
    copy = Subscriber("test", check_address(to), base.name, base.language, base.pdf, "active", None,
                      base.location)
    choice = pdf_choice(copy, pdf, settings.pdf)
    composed = build_message(mailing_list, copy, compose(base, choice), MessageKey(day, "test", "test"),
                             when=clock.now(), pdf=pdf, subject_prefix=prefix, message_id=message_id)
    problems.extend(composed.problems)
    if not composed.ok:
        return CopyResult(message_id, None, tuple(problems))
    try:
        relay = Relay(settings.smtp, smtp_password(environ), ssl_context)
        relay.connect()
    except (RelayRefused, ConnectionLost) as exc:
        hint = exc.hint if isinstance(exc, RelayRefused) else ""
        problems.error(_SETTINGS, "email.smtp", exc.message if isinstance(exc, RelayRefused) else str(exc),
                       hint)
        return CopyResult(message_id, None, tuple(problems))
    try:
        outcome = relay.deliver(settings.sender_address.addr_spec, copy.email, composed.data, lambda: None)
    finally:
        relay.close()
    return CopyResult(message_id, outcome, tuple(problems))
