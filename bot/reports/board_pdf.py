"""The board summary as one A4 page (PDF), drawn with matplotlib (already a dependency).

One figure is one page, so the PDF is always a single A4 page; the layout measures every
line with the real font and, if the content would run past the footer, first makes the type
smaller and then drops the least important items (the last gaps and courses), so nothing is
ever cut off. All text is drawn as plain text (no mathtext: a "$" in a question stays a "$")
in DejaVu Sans, which ships with matplotlib, so every symbol renders without special fonts.
"""

from __future__ import annotations

import base64
import io
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from .board import BoardSummary

A4 = (8.27, 11.69)  # inches
MARGIN = 0.55
WIDTH = A4[0] - 2 * MARGIN
BRAND, INK, MUTED, LINE, SOFT = "#1f5f8b", "#1d2733", "#5d6b78", "#dde3ea", "#f4f7fa"
NOW, BEFORE = "#1f5f8b", "#9ecae1"
SIZES = (9.0, 8.6, 8.2, 7.8)  # body type, largest first
CHART_HEIGHT = 1.45
FOOTER_HEIGHT = 0.42
_lock = threading.Lock()  # pyplot keeps global state: one figure at a time


@dataclass(frozen=True)
class Op:
    kind: str  # "text", "rect", "rule", "chart"
    x: float  # inches from the left
    y: float  # inches from the top
    text: str = ""
    size: float = 9.0
    weight: str = "normal"
    colour: str = INK
    w: float = 0.0
    h: float = 0.0


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "pdf.fonttype": 42,  # TrueType: crisp, and the text can be copied and searched
            "svg.fonttype": "none",
            "svg.hashsalt": "rhrt-board",
        }
    )
    return plt


class Measure:
    """Text widths in inches with the real font (matplotlib's renderer)."""

    def __init__(self, fig):
        from matplotlib.font_manager import FontProperties

        self.renderer = fig.canvas.get_renderer()
        self.dpi = fig.dpi
        self.props = FontProperties
        # Fitting lays the same text out again and again (each type size, then each item
        # dropped), and measuring with the font is nearly all of a report's drawing time.
        self.widths: dict[tuple[str, float, str], float] = {}

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        key = (text, size, weight)
        if key not in self.widths:
            prop = self.props(family="DejaVu Sans", size=size, weight=weight)
            w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
            self.widths[key] = w / self.dpi
        return self.widths[key]

    def wrap(self, text: str, size: float, width: float, weight: str = "normal") -> list[str]:
        """Greedy word wrap to `width` inches (a word longer than a line is split).

        Each line is the most words that fit. The sum of the words' own widths guesses how
        many; whole lines are then measured either side of the guess: about two measurements
        a line rather than one a word (measuring is nearly all of a report's drawing time)."""
        limit = width * 0.98

        def fits(line: str) -> bool:
            return self.width(line, size, weight) <= limit

        words = text.split()
        space = self.width(" ", size, weight)
        lines: list[str] = []
        i = 0
        while i < len(words):
            head = words[i]
            i += 1
            while not fits(head) and len(head) > 1:
                cut = len(head)
                while cut > 1 and not fits(head[:cut]):
                    cut -= 1
                lines.append(head[:cut])
                head = head[cut:]
            rest = words[i:]
            guess, used = 0, self.width(head, size, weight)
            while guess < len(rest):
                used += space + self.width(rest[guess], size, weight)
                if used > limit:
                    break
                guess += 1
            if guess and not fits(" ".join([head, *rest[:guess]])):
                while guess and not fits(" ".join([head, *rest[:guess]])):
                    guess -= 1
            else:
                while guess < len(rest) and fits(" ".join([head, *rest[: guess + 1]])):
                    guess += 1
            lines.append(" ".join([head, *rest[:guess]]))
            i += guess
        return lines or [""]


def _lead(size: float) -> float:
    return size * 1.32 / 72  # line height in inches


class Flow:
    """Lays out the page top to bottom as drawing operations."""

    def __init__(self, measure: Measure, size: float):
        self.m, self.size, self.y, self.ops = measure, size, MARGIN, []

    def text(self, text, *, size=None, weight="normal", colour=INK, indent=0.0, hang=0.0):
        size = size or self.size
        lines = self.m.wrap(text, size, WIDTH - indent - hang, weight)
        for i, line in enumerate(lines):
            x = MARGIN + indent + (hang if i else 0.0)
            self.ops.append(Op("text", x, self.y, line, size, weight, colour))
            self.y += _lead(size)

    def item(self, mark: str, text: str, **kw):
        """A numbered or bulleted item with a hanging indent."""
        hang = self.m.width(mark + " ", self.size)
        self.ops.append(Op("text", MARGIN, self.y, mark, self.size, "bold", BRAND))
        first = self.y
        self.text(text, indent=hang, **kw)
        self.y = max(self.y, first + _lead(self.size))

    def heading(self, text: str):
        self.y += 0.10
        self.ops.append(Op("text", MARGIN, self.y, text, self.size + 1.6, "bold", BRAND))
        self.y += _lead(self.size + 1.6) + 0.01
        self.ops.append(Op("rule", MARGIN, self.y, w=WIDTH, colour=LINE))
        self.y += 0.06

    def space(self, inches: float):
        self.y += inches


def _layout(board: BoardSummary, measure: Measure, size: float) -> tuple[list[Op], float]:
    f = Flow(measure, size)
    band = 1.02
    f.ops.append(Op("rect", 0, 0, w=A4[0], h=band + MARGIN - 0.25, colour=BRAND))
    f.y = MARGIN - 0.12
    f.text(f"{board.partnership} · board summary · confidential", size=7.5, colour="white")
    f.text(board.title, size=15.5, weight="bold", colour="white")
    f.text(f"{board.period} · {board.compared} · made {board.generated}", size=8, colour="white")
    f.y = band + MARGIN - 0.25 + 0.14
    # Headline boxes
    gap = 0.10
    box_w = (WIDTH - gap * (len(board.headlines) - 1)) / max(1, len(board.headlines))
    top, tallest = f.y, 0.0
    for i, h in enumerate(board.headlines):
        x = MARGIN + i * (box_w + gap)
        y = top + 0.07
        inner = [Op("text", x + 0.08, y, h.label, 7, "normal", MUTED)]
        y += _lead(7)
        inner.append(Op("text", x + 0.08, y, h.value, 14.5, "bold", INK))
        y += _lead(14.5)
        for line in measure.wrap(h.change, 6.5, box_w - 0.16)[:2] if h.change else []:
            inner.append(Op("text", x + 0.08, y, line, 6.5, "normal", MUTED))
            y += _lead(6.5)
        tallest = max(tallest, y - top + 0.05)
        f.ops += inner
    for i in range(len(board.headlines)):
        x = MARGIN + i * (box_w + gap)
        f.ops.insert(1, Op("rect", x, top, w=box_w, h=tallest, colour=SOFT))
    f.y = top + tallest
    f.heading("The three biggest changes")
    for n, text in enumerate(board.changes, 1):
        f.item(f"{n}.", text)
    if board.partners:
        f.space(0.06)
        f.ops.append(Op("chart", MARGIN, f.y, w=WIDTH, h=CHART_HEIGHT))
        f.y += CHART_HEIGHT
    f.heading("Top gaps, and the suggested fix")
    if not board.gaps:
        f.text("No group of similar unanswered questions was asked by enough people to show.")
    for n, (wording, fix, size_text) in enumerate(board.gaps, 1):
        f.item(f"{n}.", f"“{wording}”", weight="bold")
        f.text(f"{fix} — {size_text}.", indent=measure.width(f"{n}. ", size), colour=INK)
    f.heading("Training to offer, and to whom")
    if not board.training:
        f.text("No course has enough evidence from enough people in one agency this period.")
    for text in board.training:
        f.item("•", text)
    f.heading("Questions sent to safeguarding advisers")
    for text in board.advisers:
        f.item("•", text)
    if board.scrutiny:
        f.heading("The scrutiny review's asks")
        for ask, answer in board.scrutiny:
            f.item("•", f"{ask}:", weight="bold")
            f.text(answer, indent=measure.width("• ", size))
    return f.ops, f.y


def _footer(board: BoardSummary, measure: Measure) -> list[Op]:
    ops = [Op("rule", MARGIN, A4[1] - MARGIN - FOOTER_HEIGHT, w=WIDTH, colour=LINE)]
    y = A4[1] - MARGIN - FOOTER_HEIGHT + 0.06
    for line in measure.wrap(board.notes, 6.8, WIDTH)[:3]:
        ops.append(Op("text", MARGIN, y, line, 6.8, "normal", MUTED))
        y += _lead(6.8)
    return ops


def fit(board: BoardSummary, measure: Measure) -> tuple[BoardSummary, list[Op], float]:
    """The largest type at which everything fits above the footer; then, at the smallest
    type, drop the last gaps and courses (never below two of each) until it does."""
    bottom = A4[1] - MARGIN - FOOTER_HEIGHT - 0.05
    for size in SIZES:
        ops, end = _layout(board, measure, size)
        if end <= bottom:
            return board, ops, size
    while end > bottom:
        if len(board.gaps) > 2 and len(board.gaps) >= len(board.training):
            board = replace(board, gaps=board.gaps[:-1])
        elif len(board.training) > 2:
            board = replace(board, training=board.training[:-1])
        elif len(board.scrutiny) > 1:
            board = replace(board, scrutiny=board.scrutiny[:-1])
        elif board.partners:
            board = replace(board, partners=[])
        else:
            break
        ops, end = _layout(board, measure, SIZES[-1])
    return board, ops, SIZES[-1]


def _plain(text: str) -> str:
    """A label for a chart axis: "$" escaped, so mathtext never reads it."""
    return text.replace("$", r"\$")


def draw_partners(ax, board: BoardSummary, size: float) -> None:
    names = [_plain(p[0]) for p in board.partners]
    ys = list(range(len(names)))
    now = [p[1] for p in board.partners]
    before = [p[2] for p in board.partners]
    ax.barh([y + 0.2 for y in ys], before, height=0.38, color=BEFORE, label="Period before")
    ax.barh([y - 0.2 for y in ys], now, height=0.38, color=NOW, label="This period")
    for y, n in zip(ys, now, strict=True):
        ax.text(
            n, y - 0.2, f" {n:,}", va="center", fontsize=size - 1.5, color=INK, parse_math=False
        )
    ax.set_yticks(ys, names)
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0, labelsize=size - 1)
    ax.tick_params(axis="x", labelsize=size - 2, colors=MUTED)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(LINE)
    ax.spines["bottom"].set_color(LINE)
    ax.set_xlim(0, max([*now, *before, 1]) * 1.15)
    ax.set_title(
        "Questions by partner: this period and the period before",
        fontsize=size,
        loc="left",
        color=INK,
        fontweight="bold",
    )
    ax.legend(fontsize=size - 2, frameon=False, loc="lower right")


def render_pdf(board: BoardSummary, path: Path) -> BoardSummary:
    """Write the one-page PDF; returns the summary as fitted on the page (for the HTML)."""
    with _lock:
        plt = _pyplot()
        fig = plt.figure(figsize=A4)
        measure = Measure(fig)
        fitted, ops, size = fit(board, measure)
        ops += _footer(fitted, measure)
        for op in ops:
            if op.kind == "rect":
                fig.patches.append(
                    plt.Rectangle(
                        (op.x / A4[0], 1 - (op.y + op.h) / A4[1]),
                        op.w / A4[0],
                        op.h / A4[1],
                        transform=fig.transFigure,
                        color=op.colour,
                        zorder=0,
                    )
                )
            elif op.kind == "rule":
                fig.add_artist(
                    plt.Line2D(
                        [op.x / A4[0], (op.x + op.w) / A4[0]],
                        [1 - op.y / A4[1]] * 2,
                        transform=fig.transFigure,
                        color=op.colour,
                        linewidth=0.8,
                    )
                )
            elif op.kind == "chart":
                left = op.x + 1.45  # room for the partner names
                ax = fig.add_axes(
                    (
                        left / A4[0],
                        1 - (op.y + op.h - 0.12) / A4[1],
                        (op.w - 1.45 - 0.1) / A4[0],
                        (op.h - 0.42) / A4[1],
                    )
                )
                draw_partners(ax, fitted, size)
            else:
                fig.text(
                    op.x / A4[0],
                    1 - op.y / A4[1],
                    op.text,
                    fontsize=op.size,
                    fontweight=op.weight,
                    color=op.colour,
                    va="top",
                    ha="left",
                    parse_math=False,
                )
        fig.savefig(
            path,
            format="pdf",
            metadata={"Title": fitted.title, "Creator": "rhrt-bot", "CreationDate": None},
        )
        plt.close(fig)
    return fitted


def partners_svg(board: BoardSummary) -> str | None:
    """The same chart for the HTML page, as an SVG data URI (None when there is none)."""
    if not board.partners:
        return None
    with _lock:
        plt = _pyplot()
        # The PDF's geometry: the chart is as wide as the text and as tall as on the PDF.
        fig = plt.figure(figsize=(WIDTH, CHART_HEIGHT))
        ax = fig.add_axes(
            (1.45 / WIDTH, 0.12 / CHART_HEIGHT, 1 - 1.55 / WIDTH, 1 - 0.42 / CHART_HEIGHT)
        )
        draw_partners(ax, board, 8.6)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
