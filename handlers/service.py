"""What every listener shares, reached through Bolt's context as `context["rhrt"]`.

It turns a Slack payload into an `Asker`, asks the assistant, and renders the reply. It holds
no safeguarding logic: every answer comes from `Assistant.ask`.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block

from bot.answer import Answer
from bot.askers import Asker

from . import constants as c
from .blocks import (
    answer_fallback_text,
    more_value,
    notice_blocks,
    render_answer_blocks,
)
from .stats import has_asked_before

KEY = "rhrt"  # where the services live in Bolt's context
ENTRY_SHARE = "entry:"  # a Share button's value for an entry opened by id
SENT_SECONDS = 30 * 60  # a response_url's lifetime
SENT_LIMIT = 5000  # answers' blocks kept for that long, at most
GUIDED_SECONDS = 30 * 60  # a guided question's situation is kept this long, in memory only
GUIDED_LIMIT = 2000  # and for this many answers at most
# Answers worked out at once. Answering is pure Python (one thread at a time holds the
# interpreter), so more at once adds no speed, only threads taking turns with the ones
# that ack requests: with 100 practitioners asking, up to 32 listeners answered at once and
# the acks waited their turn (p99 0.4-1.2 s after the first second; 0.08-0.11 s with two
# at a time: bench/load.py). The others wait on a lock, which costs the acks nothing.
ANSWERING = 2
logger = logging.getLogger("rhrt.slack")


@dataclass
class Reply:
    """A message ready to send: notification text, blocks, and the answer behind it."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    answer: Answer | None = None
    offer_privately: bool = False  # a public reply: offer the agency picker in private


class RateLimiter:
    """At most `limit` questions per person in any `window` seconds (0 = unlimited)."""

    def __init__(self, limit: int, window: float = 60.0):
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        if self.limit <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.setdefault(key, deque())
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True


class Recent:
    """A bounded, expiring, thread-safe map in memory: at most `limit` items, each kept for
    `seconds` after it was put (the oldest go first). Never written anywhere."""

    def __init__(self, limit: int, seconds: float):
        self.limit, self.seconds = limit, seconds
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, value: Any, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = (now, value)
            self._prune(now)

    def get(self, key: str, now: float | None = None) -> Any:
        """The value, or None when it was never put, has expired or was pushed out."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._prune(now)
            found = self._items.get(key)
        return found[1] if found else None

    def _prune(self, now: float) -> None:
        while self._items and (
            len(self._items) > self.limit
            or now - next(iter(self._items.values()))[0] > self.seconds
        ):
            self._items.popitem(last=False)


@dataclass
class GuidedState:
    """What re-assessing a guided answer needs, kept server-side (the buttons carry only the
    query id, the question id and yes/no): the situation as asked, who asked it, the
    questions offered, and the answers given so far."""

    question: str
    asker: str  # "workspace:user": only the person who asked refines their query
    guided: dict[str, Any]
    answers: dict[str, bool] = field(default_factory=dict)


@dataclass
class MoreState:
    """What rendering an answer in full needs, kept server-side for 30 minutes (the More
    button carries only a key and the entry id)."""

    answer: Answer
    share_value: str | None = None
    guided: dict[str, Any] | None = None
    guided_answers: dict[str, bool] | None = None
    feedback: bool = True
    shared_by: str | None = None


class RecentEvents:
    """Event ids this process has already taken on (Slack redelivers on a slow ack)."""

    def __init__(self, size: int = 10_000):
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def claim(self, event_id: str) -> bool:
        """True the first time an id is seen; False for a redelivery."""
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


class Services:
    """The assistant and its log, plus per-process Slack state (rate limits, retries)."""

    def __init__(self, assistant: Any, config: Any):
        self.assistant = assistant
        self.config = config
        self.limiter = RateLimiter(config.rate_limit_per_minute)
        self.events = RecentEvents()
        self.area_titles = {a.id: a.title for a in assistant.pack.areas.values()}
        self._emails: dict[str, str | None] = {}
        self._offered: set[str] = set()
        self._sent = Recent(SENT_LIMIT, SENT_SECONDS)
        self._guided = Recent(GUIDED_LIMIT, GUIDED_SECONDS)
        self._more = Recent(SENT_LIMIT, SENT_SECONDS)
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._answering = threading.BoundedSemaphore(ANSWERING)

    def __deepcopy__(self, memo: dict) -> Services:
        # Bolt deep-copies the context for lazy listeners; the services are shared state
        # (the log writer, rate limits, seen events), never per request.
        return self

    @property
    def pack(self):
        return self.assistant.pack

    def reload(self) -> Any:
        """Swap in the pack as it is on disk now, if it validates (`bot.reload`)."""
        from bot.reload import rebuild

        with self._reload_lock:
            result = rebuild(self.assistant)
            if result.assistant is not None:
                # One attribute assignment: a request in flight keeps the assistant it had.
                self.area_titles = {a.id: a.title for a in result.assistant.pack.areas.values()}
                self.assistant = result.assistant
        return result

    @property
    def log(self):
        return self.assistant.log

    @property
    def escalation(self) -> bool:
        """Offer "Ask a safeguarding adviser": an advisers' channel is set and there is a log."""
        from bot.escalations import enabled

        return self.log is not None and enabled(self.config)

    def is_admin(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.config.admins

    # ---- who is asking -------------------------------------------------------------------
    def asker(self, context: Any, client: Any = None) -> Asker:
        """The asker for this request; their email only if email agency rules are set."""
        user_id = context.get("user_id") or ""
        return Asker(
            workspace=context.get("team_id") or context.get("enterprise_id") or "",
            user_id=user_id,
            channel=context.get("channel_id"),
            email=self._email(client, user_id),
        )

    def _email(self, client: Any, user_id: str) -> str | None:
        if client is None or not user_id:
            return None
        if not (self.config.agency_rules or {}).get("email_domains"):
            return None
        if user_id not in self._emails:
            try:
                profile = client.users_info(user=user_id)["user"].get("profile") or {}
                self._emails[user_id] = profile.get("email")
            except Exception as exc:  # noqa: BLE001 - an optional lookup never blocks an answer
                logger.warning(
                    "users.info failed (%s); agency guessed without email", type(exc).__name__
                )
                self._emails[user_id] = None
        return self._emails[user_id]

    def should_offer_agency(self, asker: Asker) -> bool:
        """Offer the picker once: to someone asking for the first time who has not chosen."""
        log = self.log
        if log is None or not asker.user_id:
            return False
        try:
            pid = log.pseudonym_of(asker)
            with self._lock:
                if pid in self._offered:
                    return False
                self._offered.add(pid)
            return log.agency_of(pid) is None and not has_asked_before(log, pid)
        except Exception as exc:  # noqa: BLE001 - the offer is optional; the answer is not
            logger.warning("agency check failed (%s)", type(exc).__name__)
            return False

    # ---- answering -------------------------------------------------------------------------
    def reply(
        self,
        question: str,
        asker: Asker,
        surface: str,
        *,
        areas: tuple[str, ...] = (),
        event_id: str | None = None,
        share_button: bool = False,
        public: bool = False,
    ) -> Reply:
        """Answer a question as a message; a friendly notice instead when over the limit.
        A first-time asker is offered the agency picker after the answer: in the message
        when it is private, flagged for a private follow-up when it is `public`."""
        if not self.limiter.allow(f"{asker.workspace}:{asker.user_id}"):
            return Reply(c.RATE_LIMITED, notice_blocks(c.RATE_LIMITED))
        with self._answering:
            offer = self.should_offer_agency(asker)
            answer = self.assistant.ask(
                question, asker=asker, surface=surface, areas=areas, event_id=event_id
            )
            self._keep_guided(question, asker, answer)
            share_value = question if share_button else None
            blocks = render_answer_blocks(
                answer,
                area_titles=self.area_titles,
                offer_agency=offer and not public,
                share_value=share_value,
                level_label=self.pack.level_label,
                escalate=self.escalation,
                more=self._keep_more(MoreState(answer, share_value)),
            )
        return self._remember(
            Reply(answer_fallback_text(answer), blocks, answer, offer_privately=offer and public)
        )

    def _remember(self, reply: Reply) -> Reply:
        """Keep the blocks of a private answer while its response_url lives (30 minutes),
        so a 👍 can turn its button row into "Thanks" (Slack does not send an ephemeral
        message's blocks with the click). Memory only, bounded; never logged."""
        if reply.answer is not None and reply.answer.query_id:
            self._sent.put(reply.answer.query_id, reply.blocks)
        return reply

    def sent_blocks(self, query_id: str) -> list[dict] | None:
        """The blocks of an answer sent in the last 30 minutes, as dicts (or None)."""
        found = self._sent.get(query_id)
        return [b.to_dict() for b in found] if found else None

    # ---- guided triage -----------------------------------------------------------------
    def _keep_guided(self, question: str, asker: Asker, answer: Answer) -> None:
        """A triage answer between two close levels: keep what refining it needs, in
        memory for 30 minutes (bounded), keyed by its query id."""
        guided = answer.extras.get("guided")
        if guided and guided.get("questions") and answer.query_id:
            key = f"{asker.workspace}:{asker.user_id}"
            self._guided.put(answer.query_id, GuidedState(question, key, guided))

    def refine_reply(self, query_id: str, question_id: str, yes: bool, asker: Asker) -> Reply:
        """A guided question answered: re-assess with every answer given so far (logged on
        the same query), as the answer with the questions still shown. A notice instead
        when the query is no longer kept, not the clicker's, or over the rate limit."""
        state: GuidedState | None = self._guided.get(query_id)
        asked = {q["id"] for q in state.guided["questions"]} if state else set()
        if state is None or question_id not in asked:
            return Reply(c.GUIDED_EXPIRED, notice_blocks(c.GUIDED_EXPIRED))
        if state.asker != f"{asker.workspace}:{asker.user_id}":
            return Reply(c.GUIDED_NOT_YOURS, notice_blocks(c.GUIDED_NOT_YOURS))
        if not self.limiter.allow(f"{asker.workspace}:{asker.user_id}"):
            return Reply(c.RATE_LIMITED, notice_blocks(c.RATE_LIMITED))
        with self._lock:
            state.answers[question_id] = yes
            answers = dict(state.answers)
        with self._answering:
            answer = self.assistant.refine(state.question, answers, asker=asker, query_id=query_id)
        more = MoreState(answer, guided=state.guided, guided_answers=answers)
        blocks = render_answer_blocks(
            answer,
            area_titles=self.area_titles,
            guided=state.guided,
            guided_answers=answers,
            level_label=self.pack.level_label,
            escalate=self.escalation,
            more=self._keep_more(more),
        )
        return self._remember(Reply(answer_fallback_text(answer), blocks, answer))

    def entry_reply(
        self, entry_id: str, asker: Asker, surface: str, *, share_button: bool = False
    ) -> Reply:
        """Open one entry by id (a "Did you mean" or guide button): that entry, whatever its
        title would match if asked."""
        if not self.limiter.allow(f"{asker.workspace}:{asker.user_id}"):
            return Reply(c.RATE_LIMITED, notice_blocks(c.RATE_LIMITED))
        entry = self.pack.entries.get(entry_id)
        answer = self.assistant.answer_entry(entry_id, asker=asker, surface=surface)
        if entry is None or answer is None:
            text = "That entry is no longer in the knowledge pack. Try asking in your own words."
            return Reply(text, notice_blocks(text))
        share_value = f"{ENTRY_SHARE}{entry_id}" if share_button else None
        blocks = render_answer_blocks(
            answer,
            area_titles=self.area_titles,
            share_value=share_value,
            escalate=self.escalation,
            more=self._keep_more(MoreState(answer, share_value)),
        )
        return self._remember(Reply(answer_fallback_text(answer), blocks, answer))

    def shared_reply(self, question: str, user_id: str) -> Reply:
        """The answer to post publicly: recomputed, not logged again, no private buttons.
        An entry opened by a button is shared by its id, so the same entry is shown."""
        answer = None
        if question.startswith(ENTRY_SHARE):
            answer = self.assistant.answer_entry(question[len(ENTRY_SHARE) :], record=False)
        answer = answer or self.assistant.answer(question)
        more = MoreState(answer, feedback=False, shared_by=user_id)
        blocks = render_answer_blocks(
            answer,
            area_titles=self.area_titles,
            feedback=False,
            shared_by=user_id,
            more=self._keep_more(more),
        )
        return Reply(answer_fallback_text(answer), blocks, answer)

    # ---- More: the whole answer ----------------------------------------------------------
    def _keep_more(self, state: MoreState) -> str:
        """Keep what the full answer needs for 30 minutes (memory only, bounded); the More
        button's value names it by the query id, or a random key for an unlogged answer."""
        key = state.answer.query_id or secrets.token_hex(12)
        self._more.put(key, state)
        return more_value(key, state.answer.entry_id)

    def more_reply(self, key: str, entry_id: str, asker: Asker, surface: str) -> Reply:
        """The whole answer behind a first screen. When it is no longer kept, the full
        entry it came from (not logged again), or a polite notice."""
        state: MoreState | None = self._more.get(key)
        if state is not None:
            answer = state.answer
            blocks = render_answer_blocks(
                answer,
                area_titles=self.area_titles,
                share_value=state.share_value,
                feedback=state.feedback,
                shared_by=state.shared_by,
                guided=state.guided,
                guided_answers=state.guided_answers,
                level_label=self.pack.level_label,
                escalate=self.escalation and state.feedback,
                full=True,
            )
            return self._remember(Reply(answer_fallback_text(answer), blocks, answer))
        if not self.limiter.allow(f"{asker.workspace}:{asker.user_id}"):
            return Reply(c.RATE_LIMITED, notice_blocks(c.RATE_LIMITED))
        answer = self.assistant.answer_entry(entry_id, record=False) if entry_id else None
        if answer is None:
            return Reply(c.MORE_EXPIRED, notice_blocks(c.MORE_EXPIRED))
        blocks = notice_blocks(c.MORE_ENTRY) + render_answer_blocks(
            answer, area_titles=self.area_titles, feedback=False, full=True
        )
        return Reply(answer_fallback_text(answer), blocks, answer)

    def already_handled(self, event_id: str | None) -> bool:
        """A Slack redelivery of an event this app has already answered and logged."""
        if not event_id:
            return False
        if not self.events.claim(event_id):
            return True
        log = self.log
        if log is None:
            return False
        try:
            return log.seen_event(event_id)
        except Exception:  # noqa: BLE001 - when unsure, answer
            return False
