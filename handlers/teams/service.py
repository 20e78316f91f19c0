"""What the Teams handlers share: the one `Services` (assistant, query log, rate limits, pack
reload — the same object Slack uses when both run), the asker's email for agency rules, and
the cards of recent answers (so a 👍 in a personal chat can turn the row into "Thanks").

No safeguarding logic: every answer comes from `Assistant.ask`, rendered by `cards`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer
from bot.askers import Asker
from handlers import constants as c
from handlers.service import Recent, Services

from . import cards, forms, identity

logger = logging.getLogger("rhrt.teams")
SENT_SECONDS = 24 * 60 * 60  # a personal chat's answer keeps its card this long, in memory
SENT_LIMIT = 5000
EMAIL_SECONDS = 60 * 60
EMAIL_LIMIT = 10_000


@dataclass
class Reply:
    card: dict[str, Any]
    summary: str
    answer: Answer | None = None


class TeamsService:
    def __init__(self, services: Services):
        self.shared = services
        self._cards = Recent(SENT_LIMIT, SENT_SECONDS)
        self._emails = Recent(EMAIL_LIMIT, EMAIL_SECONDS)

    @property
    def assistant(self):
        return self.shared.assistant  # read each time: a reload swaps it

    @property
    def config(self):
        return self.shared.config

    @property
    def log(self):
        return self.shared.log

    def is_admin(self, activity: Any) -> bool:
        return self.shared.is_admin(identity.user_of(activity))

    # ---- who is asking ---------------------------------------------------------------------
    async def asker(self, ctx: Any) -> Asker:
        """The asker; their email (one connector call, cached) only when email rules are set."""
        return identity.asker_of(ctx.activity, await self._email(ctx))

    async def _email(self, ctx: Any) -> str | None:
        if not (self.config.agency_rules or {}).get("email_domains"):
            return None
        activity = ctx.activity
        key = f"{identity.tenant_of(activity)}:{identity.user_of(activity)}"
        cached = self._emails.get(key)
        if cached is not None:
            return cached or None
        try:
            member = await ctx.api.conversations.get_member_by_id(
                activity.conversation.id, activity.from_.id
            )
            email = getattr(member, "email", None) or getattr(member, "user_principal_name", None)
        except Exception as exc:  # noqa: BLE001 - an optional lookup never blocks an answer
            logger.warning(
                "member lookup failed (%s); agency guessed without email", type(exc).__name__
            )
            email = None
        self._emails.put(key, email or "")
        return email

    # ---- answering ---------------------------------------------------------------------------
    async def reply(
        self,
        question: str,
        asker: Asker,
        surface: str,
        *,
        areas: tuple[str, ...] = (),
        feedback: bool = True,
        private: bool | None = None,
    ) -> Reply:
        """Answer as a card; a notice instead when over the rate limit. A first-time asker in
        their personal chat (`private`) gets the agency offer under the answer."""
        if not self.shared.limiter.allow(f"teams:{asker.workspace}:{asker.user_id}"):
            return Reply(cards.notice_card(c.RATE_LIMITED), "rhrt-bot")
        private = surface == identity.SURFACE_CHAT if private is None else private
        offer = private and self.shared.should_offer_agency(asker)
        assistant = self.assistant
        answer = await asyncio.to_thread(
            assistant.ask, question, asker=asker, surface=surface, areas=areas
        )
        return self._render(answer, feedback=feedback, offer=offer, remember=private)

    async def entry_reply(self, entry_id: str, asker: Asker, surface: str) -> Reply:
        """One entry opened by a button: exactly that entry, logged as that entry."""
        if not self.shared.limiter.allow(f"teams:{asker.workspace}:{asker.user_id}"):
            return Reply(cards.notice_card(c.RATE_LIMITED), "rhrt-bot")
        answer = await asyncio.to_thread(
            self.assistant.answer_entry, entry_id, asker=asker, surface=surface
        )
        if answer is None:
            text = "That entry is no longer in the knowledge pack. Try asking in your own words."
            return Reply(cards.notice_card(text), "rhrt-bot")
        return self._render(answer, remember=surface == identity.SURFACE_CHAT)

    def _render(
        self, answer: Answer, *, feedback: bool = True, offer: bool = False, remember: bool = False
    ) -> Reply:
        extra = forms.agency_offer(self.config.agencies) if offer else []
        card = cards.answer_card(
            answer,
            area_titles={a.id: a.title for a in self.assistant.pack.areas.values()},
            feedback=feedback,
            reasons=c.FEEDBACK_REASONS,
            extra=extra,
            redaction_note=c.REDACTION_NOTE,
        )
        if remember and answer.query_id:
            self._cards.put(answer.query_id, card)
        return Reply(card, cards.summary_text(answer), answer)

    def sent_card(self, query_id: str) -> dict[str, Any] | None:
        return self._cards.get(query_id)

    # ---- agency ------------------------------------------------------------------------------
    def current_agency(self, asker: Asker) -> str | None:
        log = self.log
        return log.agency_of(log.pseudonym_of(asker)) if log is not None else None
