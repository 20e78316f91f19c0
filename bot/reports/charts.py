"""Charts as self-contained SVG data URIs (matplotlib, no files, no network).

Charts take already-suppressed numbers: a count under k is passed as None and drawn as a
grey "<k" cell or left out, never as its true size.
"""

from __future__ import annotations

import base64
import io
import threading

from .model import Chart

PALETTE = ("#1f5f8b", "#e07b39", "#3a9d8f", "#c44e52", "#8c6bb1", "#7f7f7f", "#b5a33a", "#5b8fd1")
LEVEL_COLOURS = ("#9ecae1", "#4292c6", "#f4a261", "#c44e52", "#6a1b2a", "#3b0d16")
INK, GRID, MUTED = "#1d2733", "#dde3ea", "#8795a1"
SUPPRESSED = "#d5dbe1"
WIDTH = 7.2  # inches: about an A4 column, so chart text prints at its true size
_lock = threading.Lock()  # pyplot keeps global state: one figure at a time


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "svg.fonttype": "none",
            "font.size": 9,
            "font.sans-serif": ["DejaVu Sans", "Arial", "Liberation Sans", "Helvetica"],
            "axes.edgecolor": GRID,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "svg.hashsalt": "rhrt-report",  # stable ids: the same data gives the same file
            # Labels can be question text: never read "$…$" in it as mathematics (a
            # question with "$_$" in it would otherwise stop the report).
            "text.parse_math": False,
            "text.usetex": False,
        }
    )
    return plt


def warm_up() -> threading.Thread:
    """Import matplotlib in the background while the database does its work."""
    thread = threading.Thread(target=_pyplot, daemon=True)
    thread.start()
    return thread


def _finish(fig, title: str, alt: str) -> Chart:
    plt = _pyplot()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Chart(title, f"data:image/svg+xml;base64,{encoded}", alt)


def plain(labels: list[str]) -> list[str]:
    """Labels as drawn: control characters (a tab, a line break typed into a question)
    become spaces, so a label is one line of ordinary text."""
    return [" ".join(str(label).split()) for label in labels]


def compact(n: float) -> str:
    return f"{n / 1000:.1f}k" if n >= 10_000 else f"{n:,.0f}"


def heatmap(
    rows: list[str],
    cols: list[str],
    values: list[list[int | None]],
    *,
    k: int,
    title: str,
    alt: str,
    groups: list[str] | None = None,
) -> Chart:
    """Counts by row and column; None (suppressed) cells are grey and say "<k"."""
    with _lock:
        plt = _pyplot()
        from matplotlib.colors import LinearSegmentedColormap, ListedColormap

        cmap = LinearSegmentedColormap.from_list(
            "rhrt", ["#f2f7fb", "#9ecae1", "#1f5f8b", "#0b2f4a"]
        )
        import numpy as np  # matplotlib's own dependency

        fig, ax = plt.subplots(figsize=(WIDTH, 0.3 * len(rows) + 1.7))
        top = max((v for row in values for v in row if v), default=1)
        shares = np.array(
            [[np.nan if v is None else (v / top) ** 0.6 for v in row] for row in values],
            dtype=float,
        ).reshape(len(rows), len(cols))
        grid = {"edgecolors": "white", "linewidth": 1.2}
        ax.pcolormesh(np.ma.masked_invalid(shares), cmap=cmap, vmin=0, vmax=1, **grid)
        hidden = np.ma.masked_where(~np.isnan(shares), np.zeros_like(shares))
        ax.pcolormesh(hidden, cmap=ListedColormap(["#eceff2"]), **grid)
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                if value is None:
                    label, ink = f"<{k}", MUTED
                else:
                    label = compact(value) if value else ""
                    ink = "white" if shares[r][c] > 0.55 else INK
                if label:
                    ax.text(
                        c + 0.5, r + 0.5, label, ha="center", va="center", fontsize=7.5, color=ink
                    )
        if groups:  # a rule and a label between sectors
            starts = [r for r in range(len(rows)) if r == 0 or groups[r] != groups[r - 1]]
            for n, r in enumerate(starts):
                end = starts[n + 1] if n + 1 < len(starts) else len(rows)
                if r:
                    ax.axhline(r, color=INK, linewidth=0.9)
                ax.text(
                    len(cols) + 0.15,
                    (r + end) / 2,
                    groups[r],
                    va="center",
                    ha="left",
                    fontsize=8,
                    color=MUTED,
                )
        ax.set_xlim(0, len(cols))
        ax.set_ylim(len(rows), 0)
        ax.set_xticks([c + 0.5 for c in range(len(cols))], cols)
        ax.xaxis.tick_top()
        plt.setp(ax.get_xticklabels(), rotation=35, ha="left", rotation_mode="anchor")
        ax.set_yticks([r + 0.5 for r in range(len(rows))], rows)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        return _finish(fig, title, alt)


def stacked_bars(
    categories: list[str],
    series: dict[str, list[int]],
    *,
    title: str,
    alt: str,
    colours=PALETTE,
    totals: list[int] | None = None,
    k: int = 5,
) -> Chart:
    """Horizontal bars stacked by series. Pass suppressed parts as 0 and the true `totals`:
    the parts under k are drawn together, in grey, as one "under k" segment."""
    categories = plain(categories)
    with _lock:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(WIDTH, 0.3 * len(categories) + 0.9))
        left = [0.0] * len(categories)
        for (name, values), colour in zip(series.items(), colours, strict=False):
            ax.barh(categories, values, left=left, color=colour, label=name, height=0.72)
            left = [a + b for a, b in zip(left, values, strict=True)]
        if totals:
            rest = [max(0, t - shown) for t, shown in zip(totals, left, strict=True)]
            if any(rest):
                ax.barh(
                    categories,
                    rest,
                    left=left,
                    color=SUPPRESSED,
                    height=0.72,
                    label=f"Parts under {k} (combined)",
                )
        ax.invert_yaxis()
        ax.grid(axis="x", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        ax.legend(ncol=6, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8)
        return _finish(fig, title, alt)


def columns(labels: list[str], series: dict[str, list[int]], *, title: str, alt: str) -> Chart:
    """Vertical columns stacked by series (e.g. answered / unanswered per week)."""
    with _lock:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(WIDTH, 2.6))
        bottom = [0] * len(labels)
        for (name, values), colour in zip(series.items(), PALETTE, strict=False):
            ax.bar(labels, values, bottom=bottom, color=colour, label=name, width=0.7)
            bottom = [a + b for a, b in zip(bottom, values, strict=True)]
        for x, total in enumerate(bottom):
            ax.text(x, total, f"{total:,}", ha="center", va="bottom", fontsize=8, color=INK)
        ax.set_ylim(0, max(bottom, default=1) * 1.15)
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(axis="x", length=0, labelsize=8)
        ax.legend(ncol=3, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8)
        return _finish(fig, title, alt)


def bars(
    labels: list[str], values: list[int], *, title: str, alt: str, colour: str = PALETTE[0]
) -> Chart:
    """Horizontal bars with their counts at the end."""
    with _lock:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(WIDTH, 0.3 * len(labels) + 0.5))
        ax.barh(plain(labels), values, color=colour, height=0.65)
        for y, v in enumerate(values):
            ax.text(v, y, f" {v:,}", va="center", fontsize=8, color=INK)
        ax.invert_yaxis()
        ax.set_xlim(0, max(values, default=1) * 1.15)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        return _finish(fig, title, alt)


def lines(
    x_labels: list[str],
    series: dict[str, list[int]],
    *,
    title: str,
    alt: str,
    stacked_area: bool = False,
) -> Chart:
    """Weekly lines (or a stacked area), one per series."""
    with _lock:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(WIDTH, 3.0))
        xs = list(range(len(x_labels)))
        if stacked_area:
            ax.stackplot(xs, *series.values(), labels=list(series), colors=PALETTE, alpha=0.9)
        else:
            for (name, values), colour in zip(series.items(), PALETTE, strict=False):
                ax.plot(
                    xs, values, label=name, color=colour, linewidth=1.8, marker="o", markersize=2.5
                )
        step = max(1, len(xs) // 12)
        ax.set_xticks(xs[::step], x_labels[::step], rotation=0, fontsize=7.5)
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_ylim(bottom=0)
        ax.legend(
            ncol=min(3, len(series)),
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            frameon=False,
            fontsize=8,
        )
        return _finish(fig, title, alt)
