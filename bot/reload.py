"""Reload the knowledge pack without a restart: a pack that fails validation is refused and
the running one keeps serving; a good one is built completely before it is swapped in."""

from __future__ import annotations

from dataclasses import dataclass

from .assistant import Assistant
from .loader import Problem, read_pack


@dataclass(frozen=True)
class ReloadResult:
    assistant: Assistant | None  # the new assistant, or None if the pack was refused
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def summary(self, limit: int = 10) -> str:
        if self.assistant is None:
            lines = [
                f"Pack refused: {len(self.errors)} error(s); the previous pack is still serving."
            ]
            lines += [str(p) for p in self.errors[:limit]]
            if len(self.errors) > limit:
                lines.append(
                    f"… and {len(self.errors) - limit} more (run `python -m bot validate`)."
                )
            return "\n".join(lines)
        pack = self.assistant.pack
        counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in pack.counts().items() if v)
        return f"Reloaded {pack.id} {pack.version}: {counts}."


def rebuild(current: Assistant) -> ReloadResult:
    """A new assistant on the same config and log, from the pack as it is on disk now."""
    config = current.config
    pack, problems = read_pack(
        config.pack_dir,
        review_after_days=config.review_after_days,
        contact_overrides=config.contacts,
    )
    if pack is None or any(p.severity == "error" for p in problems):
        return ReloadResult(None, tuple(problems))
    # The index is built here, before anyone sees it: no request meets half a pack.
    return ReloadResult(Assistant(pack, config, log=current.log), tuple(problems))
