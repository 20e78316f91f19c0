"""Rules over cues: `all` present, at least one of `any`, none of `none`, `seen` present or
told as history, at least one of `any_recent` present or told about the recent past, and none
of `none_seen` even as history (rules.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from .cues import PAST, RECENT, Found


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    why: str
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    seen: tuple[str, ...] = ()  # present, or told as history ("her sister was cut last summer")
    # Stops the rule even when told as history ("mum had FGM as a child": her own, not the girl's)
    none_seen: tuple[str, ...] = ()
    # At least one present or from the recent past ("beat her up last month")
    any_recent: tuple[str, ...] = ()

    def fires(self, found: Found) -> bool:
        return (
            all(found.present(c) or found.seen(c, PAST) for c in self.seen)
            and all(found.present(c) for c in self.all)
            and (not self.any or any(found.present(c) for c in self.any))
            and not any(found.present(c) for c in self.none)
            and not any(found.present(c) or found.seen(c, PAST) for c in self.none_seen)
            and (
                not self.any_recent
                or any(found.present(c) or found.seen(c, RECENT) for c in self.any_recent)
            )
        )

    @property
    def cues(self) -> tuple[str, ...]:
        return self.all + self.any + self.none + self.seen + self.none_seen + self.any_recent


def read_rules(items: list) -> list[Rule]:
    return [
        Rule(
            str(raw["id"]),
            str(raw.get("name", raw["id"])),
            " ".join(str(raw.get("why", "")).split()),
            tuple(raw.get("all", ()) or ()),
            tuple(raw.get("any", ()) or ()),
            tuple(raw.get("none", ()) or ()),
            tuple(raw.get("seen", ()) or ()),
            tuple(raw.get("none_seen", ()) or ()),
            tuple(raw.get("any_recent", ()) or ()),
        )
        for raw in items or ()
    ]


def firing(rules: list[Rule], found: Found) -> list[Rule]:
    return [r for r in rules if r.fires(found)]
