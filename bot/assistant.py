"""Assistant.ask: the one entry point. Safety first, then route, match, answer, log."""

from __future__ import annotations

import re
import sys
import time
from dataclasses import replace
from itertools import islice
from typing import Any

from .answer import Alternative, Answer, MatchedIndicator, SourceCitation
from .answer_lead import (
    did_you_mean_lead,
    emergency_lead,
    entry_lead,
    first_sentences,
    fit_lead,
    help_lead,
    out_of_scope_lead,
    triage_lead,
)
from .config import Config
from .cues import HYPOTHETICAL
from .intent import asks_what_something_is, classify, strip_guide_words
from .pack import Entry, Pack
from .search import Hit, Index
from .situation import _WHO, Assessor, SituationAssessment
from .text import clean, name_variants, neutralise_slack

JUDGEMENT = (
    "This supports, never replaces, your professional judgement. Talk it through with "
    "your DSL or safeguarding lead. If a child is at immediate risk, call 999."
)
# Example questions for a pack that names none (pack.yaml `lead: examples:`).
DEFAULT_EXAMPLES = (
    "what does NFA mean?",
    "what level is this: mum drinking most evenings, baby missed appointments, wants help",
    "can I share information without consent?",
)
ROUTE_BOOSTS: dict[str, dict[str, float]] = {
    "definition": {"glossary": 1.12, "level": 1.0, "guidance": 0.95, "guide": 0.9},
    "sharing": {"guidance": 1.12, "guide": 1.0, "glossary": 0.95, "level": 0.9},
    "guide": {"guide": 1.2, "guidance": 0.9, "glossary": 0.85, "level": 0.85},
    "general": {"guidance": 1.03, "guide": 1.0, "glossary": 1.0, "level": 1.0},
    "process": {"guidance": 1.12, "guide": 0.97, "glossary": 0.9, "level": 0.9},
    "scenario": {"guidance": 1.0, "guide": 1.0, "glossary": 0.95, "level": 0.9},
}


def _is_situation(assessment: SituationAssessment, framed: bool = False) -> bool:
    """Is this a described situation (someone, and something happening to them)?

    Framed ("what level is…", "lvl?") it needs a person; unframed, an
    indicator, a floor, or two facts about a person. "What level of spice is the tikka" has
    a word that looks like a fact and nobody in it."""
    if not assessment.rank:
        return False
    if assessment.matches or assessment.floors:
        return True
    present = assessment.found.present_cues
    facts = present - _WHO
    # "What if a mum told you…": someone asked about counts as someone.
    about_someone = bool(set(assessment.found.states) & _WHO)
    # Framed, a question about someone gets a level even with no named fact: the model reads
    # the words and the nearest worked examples ("5yo missed MMR2, mum rebooked: lvl?").
    return about_someone and len(facts) >= (0 if framed else 2)


class Assistant:
    """Answers questions from one loaded pack. Thread-safe: state is read-only after init."""

    def __init__(
        self,
        pack: Pack,
        config: Config,
        log: Any = None,
        *,
        index: Index | None = None,
        assessor: Assessor | None = None,
    ):
        """`index` and `assessor`, when given, were built from this very pack (a cache)."""
        self.pack = pack
        self.config = config
        self.index = index if index is not None else Index(pack.entries.values())
        self.assessor = assessor if assessor is not None else Assessor(pack, pack.situations)
        self.log = log

    @classmethod
    def from_config(cls, config: Config, log: Any = None) -> Assistant:
        """The configured pack, built, or read back from the cache of the same build."""
        from .packcache import built_pack

        pack, index, assessor = built_pack(config)
        return cls(pack, config, log, index=index, assessor=assessor)

    # ---- the entry point -------------------------------------------------------------
    def ask(
        self,
        question: str,
        asker: Any = None,
        surface: str = "console",
        areas: tuple[str, ...] = (),
        event_id: str | None = None,
    ) -> Answer:
        """Answer and log one question. `event_id` (a Slack event) is logged once only."""
        started = time.perf_counter()
        answer = self.answer(question, areas=areas)
        if self.log is not None:
            answer = self._record(question, answer, asker, surface, started, event_id)
        return answer

    def refine(
        self,
        question: str,
        answers: dict[str, bool],
        asker: Any = None,
        query_id: str | None = None,
    ) -> Answer:
        """Re-assess a described situation with the guided questions answered ({id: yes?}).

        Logged as a refinement of the original query (`query_id`), not as a new question.
        """
        text = clean(neutralise_slack(str(question or "")))[: self.config.max_question_chars]
        safety = self.assessor.check_safety(text)
        assessment = self.assessor.assess(text, answers=answers)
        if not assessment.rank:
            return self._triage_unmatched(text)
        answer = self._triage_answer(assessment)
        asked = ", ".join(
            f"{q.text} {'Yes' if answers[q.id] else 'No'}"
            for q in self.assessor.data.guided
            if q.id in answers
        )
        lead = fit_lead(
            replace(answer.lead, text=f"With your answers: {answer.lead.text}"), "triage"
        )
        answer = replace(answer, text=f"With your answers ({asked}):\n\n{answer.text}", lead=lead)
        if safety.emergency:
            answer = self._lead_with_emergency(answer)
        if self.log is not None and query_id:
            try:
                self.log.record_refinement(query_id, answer, answers)
            except Exception as exc:  # noqa: BLE001 - a log failure must never block an answer
                print(f"rhrt-bot: query log unavailable ({type(exc).__name__})", file=sys.stderr)
            answer = replace(answer, query_id=query_id)
        return answer

    def answer_entry(
        self, entry_id: str, asker: Any = None, surface: str = "console", record: bool = True
    ) -> Answer | None:
        """One entry opened by id (a "Did you mean" or guide button): exactly that entry, as
        the renderer shows any entry, logged as that entry. None if the pack has no such id.
        The title is not asked again: a title can route elsewhere (e.g. to triage)."""
        entry = self.pack.entries.get(entry_id)
        if entry is None:
            return None
        started = time.perf_counter()
        answer = self._entry_answer(entry, 1.0, [])
        if record and self.log is not None:
            answer = self._record(entry.title, answer, asker, surface, started)
        return answer

    def answer(self, question: str, areas: tuple[str, ...] = ()) -> Answer:
        """Compute the answer without logging it."""
        raw = question if isinstance(question, str) else str(question or "")
        notes = []
        limit = self.config.max_question_chars
        if len(raw) > limit:
            raw = raw[:limit]
            notes.append(
                f"(Your message was long, so only its first {limit:,} characters were read.)"
            )
        text = clean(neutralise_slack(raw))
        if not text:
            return self.help()
        safety = self.assessor.check_safety(text)
        answer = self._route(text, areas)
        if safety.emergency:
            answer = self._lead_with_emergency(answer)
        if notes:
            answer = replace(answer, notes=answer.notes + tuple(notes))
        return answer

    def _record(
        self,
        question: str,
        answer: Answer,
        asker: Any,
        surface: str,
        started: float,
        event_id: str | None = None,
    ) -> Answer:
        try:
            result = self.log.record(
                question,
                answer,
                asker=asker,
                surface=surface,
                latency_ms=(time.perf_counter() - started) * 1000,
                pack=self.pack,
                event_id=event_id,
            )
        except Exception as exc:  # noqa: BLE001 - a log failure must never block an answer
            print(
                f"rhrt-bot: query log unavailable ({type(exc).__name__}); answering anyway",
                file=sys.stderr,
            )
            return answer
        if result is None:
            return answer
        query_id, redacted = result
        return replace(answer, query_id=query_id, redacted=redacted)

    # ---- routing ---------------------------------------------------------------------
    def _route(self, text: str, areas: tuple[str, ...]) -> Answer:
        intent = classify(text)
        if intent.route == "help":
            return self.help()
        short = re.sub(r"[^a-z0-9]", "", text.lower())
        if len(short) <= 2:
            return self._short_query(short, text)
        if intent.route == "level" and intent.level_rank is not None:
            level = self.pack.level_by_rank(intent.level_rank)
            if level:
                return self._entry_answer(self.pack.entries[level.id], 0.95, [])
            return self._no_such_level(text, intent.level_rank)
        if intent.route == "scenario" or areas:
            assessment = self.assessor.assess(text, areas, asked_level=intent.explicit)
            if (
                assessment.rank is None
                and not intent.explicit
                and not asks_what_something_is(text)
                and not self._names_entry(text)
            ):
                # Routed as a situation and naming no entry ("13yo does washing up n walks the
                # dog, anything?"): a description of someone is read even with no named fact.
                assessment = self.assessor.assess(text, areas, asked_level=True)
            if _is_situation(assessment, framed=True) or (areas and assessment.rank):
                return self._unless_a_named_entry(assessment, text, intent.explicit or bool(areas))
            if intent.explicit or areas:
                # "does it meet threshold, can I ring the MASH for advice?" may be answered by
                # an entry even when no indicator matches; only then say so.
                hits = self.index.search(text, boosts=ROUTE_BOOSTS["process"])
                if (
                    not areas
                    and hits
                    and hits[0].score >= max(0.75, self.config.confidence_threshold)
                ):
                    return self._best_hit(hits)
                return self._triage_unmatched(text)
        only = {"guide"} if intent.route == "guide" else None
        query = strip_guide_words(text) if only else text
        hits = self.index.search(query, boosts=ROUTE_BOOSTS.get(intent.route), only=only)
        if only and (not hits or hits[0].score < self.config.confidence_threshold):
            hits = self.index.search(text, boosts=ROUTE_BOOSTS["general"])
        if intent.route in ("general", "sharing", "process", "guide"):
            # A description of a child's circumstances is a threshold question unless it
            # plainly names an entry ("how do I refer to the MASH"); one that reaches the
            # level-4 floor is answered as a situation whatever it asks ("...what do I do?").
            assessment = self.assessor.assess(text)
            named = hits and hits[0].name_score >= 0.9
            described = (
                intent.situation
                or len(text.split()) >= 25
                or (bool(assessment.found.present_cues & _WHO) and not self._strong(hits))
            )
            if _is_situation(assessment) and described and (assessment.floors or not named):
                return self._unless_a_named_entry(assessment, text, False)
            # "What if our engineer finds a 2yo alone in a flat?" asks about a child too.
            what_if = any(HYPOTHETICAL in s for s in assessment.found.states.values()) and bool(
                assessment.found.present_cues & _WHO
            )
            long_description = intent.situation or len(text.split()) >= 10 or what_if
            if long_description and (not hits or hits[0].score < self.config.confidence_threshold):
                # A description of a child that matches no entry ("her 14yo wants to skip
                # dad's on Saturdays for football, no safety issues, what do I tell her?") is
                # still a threshold question: read it as one rather than say "I don't know".
                framed = self.assessor.assess(text, asked_level=True)
                if _is_situation(framed, framed=True):
                    return self._unless_a_named_entry(framed, text, False)
        return self._best_hit(hits)

    def _unless_a_named_entry(
        self, assessment: SituationAssessment, text: str, asked_level: bool
    ) -> Answer:
        """Ordinary life (the bottom level) around a plainly named entry ("HV works with kids
        up to what age", "mash rang asking for info, do i have to give it") is a question about
        the entry. Never above the bottom level: a higher level is never traded for an entry."""
        bottom = min(lvl.rank for lvl in self.pack.levels.values())
        if not asked_level and assessment.rank == bottom and not assessment.floors:
            hits = self.index.search(text, boosts=ROUTE_BOOSTS["general"])
            if self._strong(hits):
                return self._best_hit(hits)
        return self._triage_answer(assessment)

    @staticmethod
    def _strong(hits: list[Hit]) -> bool:
        """An entry plainly asked for: its name, or a confident match."""
        return bool(hits) and (hits[0].name_score >= 0.9 or hits[0].score >= 0.75)

    def _names_entry(self, text: str) -> bool:
        return self._strong(self.index.search(text, boosts=ROUTE_BOOSTS["general"]))

    def _short_query(self, short: str, text: str) -> Answer:
        """One or two letters ("ta", "sw") name an entry only when exactly one entry has that
        exact name; otherwise "did you mean", never a confident guess."""
        owners = [
            e
            for e in self.pack.entries.values()
            if short in {re.sub(r"[^a-z0-9]", "", n.lower()) for n in name_variants(e.match_terms)}
        ]
        if len(owners) == 1:
            return self._entry_answer(owners[0], 0.9, [])
        hits = self.index.search(text)
        offers = [*owners, *(h.entry for h in hits if h.entry not in owners and h.score >= 0.3)]
        opening = f"“{short}” could mean more than one thing, so I won't guess."
        answer = self.no_answer([], opening=opening, offers=[e.title for e in offers[:4]])
        return replace(
            answer,
            alternatives=tuple(Alternative(e.id, e.title, 0.5) for e in offers[:4]),
            confidence=0.3,
        )

    def _no_such_level(self, text: str, rank: int) -> Answer:
        """ "Level 5" in a four-level scheme: say how many levels there are and name them, with
        the pack's own entry on it when it has one."""
        pack = self.pack
        levels = sorted(pack.levels.values(), key=lambda lvl: lvl.rank)
        scheme = (
            f"{pack.scheme} has {len(levels)} levels: "
            + "; ".join(f"{lvl.label} ({lvl.title})" for lvl in levels)
            + f". There is no {pack.level_label} {rank}."
        )
        hits = [h for h in self.index.search(text) if h.entry.kind != "level"]
        if hits and hits[0].score >= self.config.confidence_threshold:
            answer = self._entry_answer(hits[0].entry, hits[0].score, [])
            lead = replace(answer.lead, text=scheme)
            return replace(
                answer, text=f"{scheme}\n\n{answer.text}", lead=fit_lead(lead, answer.kind)
            )
        answer = self.no_answer([], opening=scheme)
        return replace(
            answer,
            alternatives=tuple(Alternative(lvl.id, lvl.label, 0.5) for lvl in levels),
            lead=replace(answer.lead, text=scheme),
        )

    def _best_hit(self, hits: list[Hit]) -> Answer:
        if not hits or hits[0].score < self.config.confidence_threshold:
            return self.no_answer(hits)
        top = hits[0]
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        # A clear winner is more certain than a close race.
        confidence = min(1.0, top.score + 0.15 * max(0.0, top.score - runner_up))
        return self._entry_answer(top.entry, confidence, hits[1:4])

    # ---- answer builders -------------------------------------------------------------
    def _citations(self, entry: Entry) -> tuple[SourceCitation, ...]:
        cites = []
        for ref in entry.sources:
            source = self.pack.sources.get(ref.id)
            if source:
                cites.append(SourceCitation(source.title, source.url, ref.section))
        return tuple(cites)

    def _contacts_paragraph(self, ids) -> str:
        """Every contact named, once, each on its own line with where its number was
        published and when it was checked."""
        shown = [
            self.pack.contacts[c].display() for c in dict.fromkeys(ids) if c in self.pack.contacts
        ]
        return "Contacts:\n" + "\n".join(f"• {c}" for c in shown) if shown else ""

    def _entry_answer(self, entry: Entry, confidence: float, others: list[Hit]) -> Answer:
        body = [entry.text]
        level_rank = None
        alternatives = tuple(
            Alternative(h.entry.id, h.entry.title, h.score) for h in others if h.score >= 0.35
        )
        if entry.kind == "level":
            level = self.pack.levels[entry.id]
            level_rank = level.rank
            body = [f"{level.name} ({self.pack.scheme})", entry.text]
            body += [f"{label}: {value}" for label, value in entry.details]
            body.append(self._contacts_paragraph(entry.contacts or level.contacts))
        elif entry.contacts:
            body.append(self._contacts_paragraph(entry.contacts))
        # One "See also": the entry's own links, then other likely entries, each once.
        related = [s for s in entry.see_also if s in self.pack.entries]
        related += [a.entry_id for a in alternatives if a.entry_id != entry.id]
        titles = [self.pack.entries[r].title for r in dict.fromkeys(related)]
        if titles:
            body.append("See also: " + "; ".join(titles[:6]))
        if entry.kind in ("level", "guidance"):
            body.append(JUDGEMENT)
        return Answer(
            kind=entry.kind,
            text="\n\n".join(p for p in body if p),
            entry_id=entry.id,
            title=entry.title,
            match_terms=tuple(entry.match_terms),
            level=level_rank,
            confidence=round(confidence, 3),
            sources=self._citations(entry),
            alternatives=alternatives,
            reviewed=entry.reviewed,
            lead=entry_lead(self.pack, entry),
        )

    def _triage_answer(self, assessment: SituationAssessment) -> Answer:
        pack = self.pack
        level = pack.level_by_rank(assessment.rank)
        entry = pack.entries[level.id]
        # The first three lower-level matches (a large pack matches hundreds of indicators).
        others = list(
            islice(
                (
                    m.indicator
                    for m in assessment.matches
                    if pack.levels[m.indicator.level].rank < assessment.rank
                    and m.indicator not in assessment.supporting
                ),
                3,
            )
        )
        shown = tuple(
            MatchedIndicator(
                ind.id,
                pack.levels[ind.level].rank,
                pack.levels[ind.level].label,
                ind.area,
                ind.text,
            )
            for ind in (*assessment.supporting, *others)
        )
        lines = [f"Suggested level: {level.name} ({pack.scheme})."]
        why = [f"• {reason}" for reason in assessment.decided_by]
        why += [f"• {self._indicator_line(ind)}" for ind in assessment.supporting]
        if why:
            lines.append("Why this level:\n" + "\n".join(why))
        if others:
            lines.append(
                "Also described, at lower levels (indicators matched at more than one level: "
                "the most serious concern sets the response, and these needs still need "
                "meeting):\n" + "\n".join(f"• {self._indicator_line(i)}" for i in others)
            )
        if assessment.note:
            lines.append(assessment.note)
        up = pack.level_by_rank(assessment.rank + 1)
        if up is not None:
            lines.append(self._why_not(level, up, assessment))
        if assessment.questions:
            low, high = (pack.level_by_rank(r) for r in assessment.between)
            asks = "\n".join(f"• {q.text}" for q in assessment.questions)
            lines.append(
                f"This sits between {low.label} and {high.label}. The questions that "
                f"separate them:\n{asks}"
            )
        for ind in assessment.borderline[:1]:
            lines.append(
                f"Borderline — the question that separates the levels: {ind.distinguish.note}"
            )
        for label, value in entry.details:
            if label in ("What to do", "Who responds"):
                lines.append(f"{label} at {level.label}: {value}")
        lines.append(self._contacts_paragraph(entry.contacts or level.contacts))
        lines.append(JUDGEMENT)
        extras = {}
        if assessment.questions:
            extras["guided"] = {
                "between": list(assessment.between),
                "questions": [{"id": q.id, "text": q.text} for q in assessment.questions],
            }
        between = None
        if assessment.questions:
            low, high = (pack.level_by_rank(r) for r in assessment.between)
            between = (low.label, high.label)
        generic = {f"what you describe matches {level.label} indicators"}
        reasons = [r for r in assessment.decided_by if r not in generic]
        reasons += [first_sentences(i.text, 25) for i in assessment.supporting]
        lead = triage_lead(pack, level.id, reasons, between=between, lower_needs=bool(others))
        return Answer(
            kind="triage",
            text="\n\n".join(p for p in lines if p),
            lead=lead,
            entry_id=level.id,
            title=entry.title,
            match_terms=tuple(entry.match_terms),
            level=level.rank,
            confidence=assessment.confidence,
            sources=self._citations(entry),
            indicators=shown,
            reviewed=entry.reviewed,
            extras=extras,
        )

    def _indicator_line(self, ind) -> str:
        area = self.pack.areas[ind.area].title if ind.area in self.pack.areas else ind.area
        return f"{self.pack.levels[ind.level].label} · {area}: {ind.text}"

    def _why_not(self, level, up, assessment: SituationAssessment) -> str:
        """Why not the next level up: what held it back, and the guide's line between them."""
        held = "; ".join(assessment.held_back_by)
        line = self._guide_line(level.id, up.id)
        parts = [f"Why not {up.label}:"]
        if held:
            parts.append(f"what you describe also shows {held}.")
        if line:
            parts.append(line)
        if len(parts) == 1:
            parts.append(f"nothing you describe reaches the {up.label} indicators.")
        return " ".join(parts)

    def _guide_line(self, low: str, high: str) -> str:
        for line in self.assessor.data.guide.get("lines") or ():
            if list(line.get("between") or ()) == [low, high]:
                return " ".join(str(line.get("rule", "")).split())
        return ""

    def _triage_unmatched(self, text: str) -> Answer:
        hits = self.index.search(text, boosts=ROUTE_BOOSTS["scenario"])
        opening = (
            "I could not match that description to the level indicators, so I will not "
            "guess a level. Try describing what is happening to the child (for example: "
            "who cares for them, what you have seen or been told, how often, and whether "
            "the family accepts help)."
        )
        offers = [h for h in hits[:3] if h.score >= 0.35]
        # Not answered: it shows in the board office's gaps like any other miss.
        return Answer(
            kind="no_answer",
            text=f"{opening}\n\n{JUDGEMENT}",
            confidence=0.2,
            alternatives=tuple(Alternative(h.entry.id, h.entry.title, h.score) for h in offers),
            lead=did_you_mean_lead(opening, []),
        )

    def _lead_with_emergency(self, answer: Answer) -> Answer:
        shown = self.pack.emergency_contacts()
        contacts = "\n".join(f"• {c.display()}" for c in shown)
        lead = f"IMMEDIATE RISK — {self.pack.emergency}" + (f"\n{contacts}" if contacts else "")
        if answer.kind in ("no_answer", "help") and "emergency" in self.pack.entries:
            answer = self._entry_answer(self.pack.entries["emergency"], 0.9, [])
        top = max(self.pack.levels.values(), key=lambda lvl: lvl.rank)
        if answer.kind == "triage" and (answer.level or 0) < top.rank:
            # A child at immediate risk is at the top of any scheme, whatever else matched.
            entry = self.pack.entries[top.id]
            note = (
                f"Immediate risk to a child puts this at {top.name}, whatever else the "
                "description matches."
            )
            answer = replace(
                answer,
                level=top.rank,
                entry_id=top.id,
                title=entry.title,
                match_terms=tuple(entry.match_terms),
                text=note + "\n\n" + answer.text,
            )
        return replace(
            answer,
            kind="emergency",
            emergency=True,
            emergency_text=lead,
            # Contacts are shown once: those in the emergency advice leave the answer's list.
            text=_without_contacts(answer.text, {f"• {c.display()}" for c in shown}),
            lead=emergency_lead(self.pack),
            # The contract: an emergency about a child carries the top level, even when the
            # description was not read as a situation.
            level=answer.level if answer.level is not None else top.rank,
            confidence=max(answer.confidence, 0.9),
        )

    def no_answer(
        self, hits: list[Hit], opening: str = "", offers: list[str] | None = None
    ) -> Answer:
        """Not confident: "Did you mean" the likely entries, or, with none, what the bot
        covers and three example questions."""
        offers_hits = [h for h in hits[:3] if h.score >= 0.3]
        titles = offers or [h.entry.title for h in offers_hits]
        if titles or opening:
            opening = opening or "I don't have a confident answer to that, so I won't guess."
            lead = did_you_mean_lead(opening, titles)
        else:
            lead = out_of_scope_lead(self.pack)
        lines = [lead.text]
        lines.append(
            "For anything about a particular child, talk to your DSL or safeguarding "
            "lead, or ring the MASH for a consultation. If a child is at immediate "
            "risk, call 999."
        )
        return Answer(
            kind="no_answer",
            text="\n\n".join(lines),
            confidence=round(hits[0].score, 3) if hits else 0.0,
            alternatives=tuple(
                Alternative(h.entry.id, h.entry.title, h.score) for h in offers_hits
            ),
            lead=lead,
        )

    def help(self) -> Answer:
        pack = self.pack
        levels = ", ".join(
            f"{lvl.label} ({lvl.title})"
            for lvl in sorted(pack.levels.values(), key=lambda x: x.rank)
        )
        examples = list(pack.lead.examples[:3] or DEFAULT_EXAMPLES)
        examples += ["one minute guide on neglect", f"what is {pack.level_label} 3?"]
        text = (
            f"I answer questions about {pack.scheme} for {pack.name}, from a reviewed "
            "knowledge pack, and I always show my sources. Ask me things like:\n"
            + "\n".join(f"• {q}" for q in examples)
            + f"\n\nLevels in this pack: {levels}.\n\n"
            "Please don't include names or other details that identify a child or family.\n\n"
            f"{JUDGEMENT}"
        )
        return Answer(
            kind="help",
            text=text,
            title="How to use rhrt-bot",
            confidence=1.0,
            lead=help_lead(pack),
        )


def _without_contacts(text: str, shown: set[str]) -> str:
    """The answer text with contacts already shown elsewhere taken out of its "Contacts:"
    list (and the list dropped if nothing is left)."""
    out = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("Contacts:\n"):
            lines = [ln for ln in paragraph.split("\n")[1:] if ln not in shown]
            if not lines:
                continue
            paragraph = "\n".join(["Contacts:", *lines])
        out.append(paragraph)
    return "\n\n".join(out)
