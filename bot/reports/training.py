"""Training to offer: each agency's evidence of need, matched to the pack's courses.

Evidence for an agency is its questions, its unanswered or low-confidence answers and its
disagreements, each tied to an entry, a topic and areas. A course matches a question when it
lists the entry, one of the areas or the topic. Courses are chosen greedily per agency: the
course with the most evidence first, then the one covering most of what is left, so two
overlapping courses are not both offered for the same questions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .course_askers import course_askers, eligible
from .model import Context, Section
from .tables import Table

TELLS_YOU = (
    "Which course to offer to which partner, ranked by evidence: how much they ask about what "
    "the course covers, how often the bot was unsure, and how often they disagreed."
)
PER_AGENCY = 3
QUESTION_WEIGHT = 0.1  # evidence = questions × 0.1 + unanswered/low-confidence + 2 × disagreed
DISAGREEMENT_WEIGHT = 2
ENOUGH = 2  # × k questions on a subject before comparing an agency's rate with everyone's


@dataclass(frozen=True)
class Need:
    """Questions from one agency about one entry/topic/areas, and how they went."""

    entry_id: str | None
    topic: str | None
    areas: tuple[str, ...]
    questions: int = 0
    threshold: int = 0
    gaps: int = 0
    disagreements: int = 0
    unhelpful: int = 0
    courses: frozenset[str] = frozenset()  # ids of the courses that cover it

    @property
    def evidence(self) -> float:
        return (
            self.questions * QUESTION_WEIGHT + self.gaps + DISAGREEMENT_WEIGHT * self.disagreements
        )


def _subject(ctx: Context, entry_id, topic, areas) -> tuple:
    """What a question was about; for unanswered ones, the entry offered instead."""
    entry = ctx.pack.entries.get(entry_id) if ctx.pack and entry_id else None
    if entry is not None:
        topic = topic or entry.topic or None
        areas = areas or tuple(entry.areas)
    return entry_id, topic, tuple(sorted(areas))


def needs(ctx: Context) -> dict[str, list[Need]]:
    """Each reported agency's needs (made once per report: the training section and the
    board summary both read them)."""
    if "needs" not in ctx._cache:
        ctx._cache["needs"] = _needs(ctx)
    return ctx._cache["needs"]


def _needs(ctx: Context) -> dict[str, list[Need]]:
    raw: dict[str, dict[tuple, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for row in ctx.data.cube:
        if row.kind == "help":
            continue
        key = _subject(ctx, row.entry_id or row.near, row.topic, row.areas)
        c = raw[ctx.group(row.agency)][key]
        c["questions"] += row.n
        c["threshold"] += row.n if row.threshold else 0
        c["gaps"] += row.n if row.gap else 0
    for fb in ctx.data.feedback:
        if not fb.helpful:
            key = _subject(ctx, fb.entry_id, fb.topic, fb.areas)
            c = raw[ctx.group(fb.agency)][key]
            c["disagreements"] += fb.n if fb.disagreement else 0
            c["unhelpful"] += fb.n if not fb.disagreement else 0
    courses = list(ctx.pack.courses.values()) if ctx.pack else []
    covering: dict[tuple, frozenset[str]] = {}
    out: dict[str, list[Need]] = {}
    for agency, subjects in raw.items():
        out[agency] = []
        for key, counts in subjects.items():
            if key not in covering:
                bare = Need(*key)
                covering[key] = frozenset(c.id for c in courses if _covers(c, bare))
            out[agency].append(Need(*key, **counts, courses=covering[key]))
    return out


def matches(course, need: Need) -> bool:
    return course.id in need.courses


def _covers(course, need: Need) -> bool:
    return bool(
        (need.entry_id and need.entry_id in course.entries)
        or (need.topic and need.topic in course.topics)
        or set(need.areas) & set(course.areas)
    )


@dataclass
class Offer:
    agency: str
    course: object
    covered: list[Need]
    _sums: dict = field(default_factory=dict, repr=False, compare=False)  # made once each

    def total(self, name: str) -> int:
        if name not in self._sums:
            self._sums[name] = sum(getattr(n, name) for n in self.covered)
        return self._sums[name]

    @property
    def evidence(self) -> float:
        if "evidence" not in self._sums:
            self._sums["evidence"] = sum(n.evidence for n in self.covered)
        return self._sums["evidence"]

    def about(self, ctx: Context, limit: int = 3) -> str:
        weights: Counter = Counter()
        for n in self.covered:
            for area in n.areas:
                if area in self.course.areas:
                    weights[ctx.area_title(area)] += n.questions
            if not n.areas and n.topic:
                weights[ctx.topic_title(n.topic)] += n.questions
        return ", ".join(name for name, w in weights.most_common(limit) if ctx.shown(w))


def offers(
    ctx: Context,
    all_needs: dict[str, list[Need]] | None = None,
    askers: dict[tuple[str, str], int] | None = None,
) -> list[Offer]:
    """Up to PER_AGENCY courses per agency, greedily by uncovered evidence; only courses
    that k or more of the agency's people asked about (`course_askers.eligible`)."""
    courses = list(ctx.pack.courses.values()) if ctx.pack else []
    askers = course_askers(ctx) if askers is None else askers
    out = []
    for agency, items in (all_needs if all_needs is not None else needs(ctx)).items():
        left = list(items)
        allowed = [c for c in courses if eligible(ctx, askers, agency, c.id)]
        for _ in range(PER_AGENCY):
            best = max(
                ((sum(n.evidence for n in left if matches(c, n)), c.id, c) for c in allowed),
                default=None,
                key=lambda x: (x[0], x[1]),
            )
            if best is None or best[0] < ctx.k:
                break
            covered = [n for n in left if matches(best[2], n)]
            out.append(Offer(agency, best[2], covered))
            left = [n for n in left if not matches(best[2], n)]
    out.sort(key=lambda o: (-o.evidence, o.agency, o.course.id))
    return out


def sentence(ctx: Context, offer: Offer) -> str:
    q, t = offer.total("questions"), offer.total("threshold")
    noun, n = ("threshold questions", t) if t * 2 >= q else ("questions", q)
    return (
        f"Offer “{offer.course.title}” to {ctx.agency_name(offer.agency)}: "
        f"{_shown(ctx.count(n))} {noun}, {_shown(ctx.count(offer.total('gaps')))} "
        f"low-confidence or unanswered, {_shown(ctx.count(offer.total('disagreements')))} "
        "disagreements"
    )


def _shown(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else value


def _profile(ctx: Context, items: list[Need]) -> tuple[str, str, str]:
    asks, gaps, wrong = Counter(), Counter(), Counter()
    for n in items:
        labels = [ctx.area_title(a) for a in n.areas] or (
            [ctx.topic_title(n.topic)] if n.topic else []
        )
        for label in labels:
            asks[label] += n.questions
            gaps[label] += n.gaps
            wrong[label] += n.disagreements
    most = ", ".join(a for a, v in asks.most_common(2) if ctx.shown(v))
    unsure = [
        (gaps[a] / asks[a], a)
        for a in asks
        if asks[a] >= ENOUGH * ctx.k and ctx.shown(asks[a]) and ctx.shown(gaps[a])
    ]
    worst = [a for a, v in wrong.most_common(1) if ctx.shown(v)]
    return (
        most,
        f"{max(unsure)[1]} ({max(unsure)[0]:.0%} unsure)" if unsure else "",
        worst[0] if worst else "",
    )


@dataclass(frozen=True)
class CourseChoice:
    """Who a course should go to first, and how much more that agency struggles than all."""

    offer: Offer
    rate: float  # the agency's (unsure + disagreed) / questions on the course's subjects
    overall: float  # the same for every agency together
    keen: int  # agencies with at least k evidence for the course


def _struggle(o: Offer) -> int:
    return o.total("gaps") + o.total("disagreements")


def by_course(
    ctx: Context,
    all_needs: dict[str, list[Need]],
    askers: dict[tuple[str, str], int] | None = None,
) -> list[CourseChoice]:
    """For each course, the agency struggling most above the partnership's rate on what the
    course covers (enough questions to tell: 4k or more), biggest excess first. Where no
    agency is above the rate, the one with the most evidence."""
    askers = course_askers(ctx) if askers is None else askers
    mine = all_needs is ctx._cache.get("needs") and askers is ctx._cache.get("course_askers")
    if mine and "by_course" in ctx._cache:  # the report's own needs: worked out once
        return ctx._cache["by_course"]
    out = _by_course(ctx, all_needs, askers)
    if mine:
        ctx._cache["by_course"] = out
    return out


def _by_course(
    ctx: Context, all_needs: dict[str, list[Need]], askers: dict[tuple[str, str], int]
) -> list[CourseChoice]:
    out = []
    for course in ctx.pack.courses.values() if ctx.pack else []:
        offers_ = [
            Offer(a, course, [n for n in items if matches(course, n)])
            for a, items in all_needs.items()
        ]
        asked = sum(o.total("questions") for o in offers_)
        if not asked:
            continue
        overall = sum(_struggle(o) for o in offers_) / asked
        keen = sum(1 for o in offers_ if o.evidence >= ctx.k)
        enough = [
            o
            for o in offers_
            if o.total("questions") >= ENOUGH * ctx.k
            and ctx.shown(o.total("questions"))
            and o.evidence >= ctx.k
            and eligible(ctx, askers, o.agency, course.id)
        ]
        if not enough:
            continue
        excess = {o.agency: _struggle(o) - overall * o.total("questions") for o in enough}
        best = max(
            enough,
            key=lambda o: (
                excess[o.agency] > 0,
                excess[o.agency] if excess[o.agency] > 0 else o.evidence,
                o.agency,
            ),
        )
        out.append(CourseChoice(best, _struggle(best) / best.total("questions"), overall, keen))
    out.sort(key=lambda c: (-c.offer.evidence, c.offer.course.id))
    return out


def _numbers(ctx: Context, o: Offer) -> list:
    return [
        ctx.count(o.total("questions")),
        ctx.count(o.total("threshold")),
        ctx.count(o.total("gaps")),
        ctx.count(o.total("disagreements")),
        ctx.count(o.total("unhelpful")),
        round(o.evidence, 1),
    ]


NUMBER_COLUMNS = [
    "Questions",
    "Threshold questions",
    "Low-confidence or unanswered",
    "Disagreed with level",
    "Other not helpful",
    "Evidence",
]


def build(ctx: Context) -> Section:
    section = Section("training", "Training to offer", TELLS_YOU)
    all_needs = needs(ctx)
    askers = course_askers(ctx)
    courses = by_course(ctx, all_needs, askers)
    section.findings = [sentence(ctx, c.offer) + "." for c in courses[:6]]
    section.blocks.append(
        Table(
            "training_by_course",
            "Each course: the partner to offer it to first",
            [
                "Course",
                "Offer first to",
                "Questions",
                "Threshold questions",
                "Low-confidence or unanswered",
                "Disagreed with level",
                "Unsure or disagreed",
                "Agencies with evidence",
                "Mostly about",
            ],
            [
                [
                    c.offer.course.title,
                    ctx.agency_name(c.offer.agency),
                    ctx.count(c.offer.total("questions")),
                    ctx.count(c.offer.total("threshold")),
                    ctx.count(c.offer.total("gaps")),
                    ctx.count(c.offer.total("disagreements")),
                    f"{c.rate:.0%} (all {c.overall:.0%})",
                    c.keen,
                    c.offer.about(ctx),
                ]
                for c in courses
            ],
            show=None,
            note="“Offer first to” is the agency most above the partnership's rate of unsure or "
            f"disagreed answers on what the course covers (with {ENOUGH * ctx.k} or more questions "
            f"on it, from {ctx.k} or more different people; agencies not known, “Other” and those "
            "reported together are never offered a course). A course covers the entries, topics "
            "and areas listed for it in training.yaml.",
            empty="No course in training.yaml matches enough evidence in this period.",
        )
    )
    plan: dict[str, list[str]] = defaultdict(list)
    found = offers(ctx, all_needs, askers)
    for o in found:
        plan[o.agency].append(o.course.title)
    profile = []
    for agency in ctx.agency_order(all_needs):
        most, unsure, wrong = _profile(ctx, all_needs[agency])
        profile.append(
            [
                ctx.agency_name(agency),
                most,
                unsure,
                wrong,
                "\n".join(f"{i}. {title}" for i, title in enumerate(plan[agency], 1)),
            ]
        )
    section.blocks.append(
        Table(
            "training_by_agency",
            "Each agency: what it asks, where the bot is least sure, where "
            "it disagrees, and the courses to offer",
            [
                "Agency",
                "Asks most about",
                "Least confident answers on",
                "Disagrees most on",
                "Courses to offer, in order",
            ],
            profile,
            show=None,
            note=f"Courses in order of evidence; each later course covers questions the earlier "
            f"ones do not (at most {PER_AGENCY}).",
        )
    )
    section.blocks.append(
        Table(
            "training_offers",
            "Courses per agency with their evidence",
            ["Agency", "Course", "Course id", *NUMBER_COLUMNS, "Mostly about"],
            [
                [
                    ctx.agency_name(o.agency),
                    o.course.title,
                    o.course.id,
                    *_numbers(ctx, o),
                    o.about(ctx),
                ]
                for o in found
            ],
            show=0,
        )
    )
    return section
