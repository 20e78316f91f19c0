"""The validator reports every problem as file:line: message, and a broken pack never loads."""

import re

import pytest

from bot.loader import PackError, load_pack, read_pack
from tests.conftest import run_cli


def problems_of(folder):
    _, problems = read_pack(folder)
    return [str(p) for p in problems if p.severity == "error"]


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def test_the_mini_pack_is_valid(mini_dir):
    assert problems_of(mini_dir) == []


def test_duplicate_id_names_both_places(mini_dir):
    edit(mini_dir / "glossary.yaml", "id: dsl", "id: mash")
    [problem] = problems_of(mini_dir)
    assert re.match(
        r"mini/glossary.yaml:\d+: duplicate id `mash` \(first defined at "
        r"mini/glossary.yaml:\d+\)",
        problem,
    )


def test_missing_required_field(mini_dir):
    edit(mini_dir / "glossary.yaml", "    text: The person in a school", "    txt: The person")
    assert problems_of(mini_dir) == ["mini/glossary.yaml:18: `dsl`: missing required field `text`"]


def test_unknown_source(mini_dir):
    edit(
        mini_dir / "glossary.yaml",
        "sources: [wt2023]\n    reviewed: 2026-01-10\n  - id: dsl",
        "sources: [wt2099]\n    reviewed: 2026-01-10\n  - id: dsl",
    )
    assert problems_of(mini_dir) == ["mini/glossary.yaml:11: `mash`: unknown source `wt2099`"]


def test_unresolved_see_also(mini_dir):
    edit(mini_dir / "glossary.yaml", "see_also: [mash]", "see_also: [mash, lado]")
    assert problems_of(mini_dir) == ["mini/glossary.yaml:2: `nfa`: see_also `lado` does not exist"]


def test_indicator_level_outside_the_scheme(mini_dir):
    edit(mini_dir / "levels.yaml", "{id: ne-l3, level: level-3", "{id: ne-l3, level: level-5")
    [problem] = problems_of(mini_dir)
    assert problem.startswith(
        "mini/levels.yaml:61: `ne-l3`: level `level-5` is not in the pack's scheme"
    )


def test_invalid_date(mini_dir):
    edit(mini_dir / "guides/omg-neglect.yaml", "reviewed: 2026-01-10", "reviewed: 2026-13-45")
    assert problems_of(mini_dir) == [
        "mini/guides/omg-neglect.yaml:1: `omg-neglect`: invalid date `2026-13-45` (use YYYY-MM-DD)"
    ]


def test_malformed_yaml_reports_its_line(mini_dir):
    edit(mini_dir / "sources.yaml", "  - {id: local,", "  - {id: local: [")
    problems = problems_of(mini_dir)
    assert problems[0].startswith("mini/sources.yaml:3: invalid YAML")


def test_stale_entries_are_warnings_not_errors(mini_dir):
    _, problems = read_pack(mini_dir, review_after_days=10)
    warnings = [p for p in problems if p.severity == "warning"]
    assert warnings and all(
        "due for review" in p.message or "last checked" in p.message for p in warnings
    )
    assert not [p for p in problems if p.severity == "error"]


def test_a_broken_pack_never_loads(mini_dir):
    edit(mini_dir / "glossary.yaml", "see_also: [mash]", "see_also: [nowhere]")
    with pytest.raises(PackError) as info:
        load_pack(mini_dir)
    assert "glossary.yaml:2" in str(info.value)


def test_validate_command_exit_codes(mini_dir):
    ok = run_cli("validate", str(mini_dir))
    assert ok.returncode == 0 and "OK: 0 error(s)" in ok.stdout
    edit(mini_dir / "glossary.yaml", "see_also: [mash]", "see_also: [nowhere]")
    bad = run_cli("validate", str(mini_dir))
    assert bad.returncode == 1
    assert "mini/glossary.yaml:2: `nfa`: see_also `nowhere` does not exist" in bad.stdout


def test_the_bot_refuses_to_start_on_a_broken_pack(mini_dir):
    edit(mini_dir / "glossary.yaml", "see_also: [mash]", "see_also: [nowhere]")
    result = run_cli("--pack", str(mini_dir), "ask", "what does nfa mean")
    assert result.returncode == 2
    assert "glossary.yaml:2" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("pack", ["knowledge/coventry", "knowledge/example"])
def test_bundled_packs_validate(pack):
    result = run_cli("validate", pack)
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.rstrip().endswith("0 warning(s)"), result.stdout[-2000:]


def warnings_of(folder, **kwargs):
    _, problems = read_pack(folder, **kwargs)
    return [str(p) for p in problems if p.severity == "warning"]


def test_placeholder_contact_warns_unless_it_says_why(mini_dir):
    assert warnings_of(mini_dir) == []
    edit(mini_dir / "pack.yaml", ", placeholder: fictional test pack}", "}")
    [warning] = warnings_of(mini_dir)
    assert re.match(r"mini/pack.yaml:\d+: warning: `mash`: placeholder contact", warning)


def test_a_number_needs_its_source_and_a_recent_check(mini_dir):
    edit(mini_dir / "pack.yaml", "phone: PLACEHOLDER, placeholder: fictional test pack}",
         'phone: "01234 567890", source: wt2023, published_on: https://example.org/mash, '
         "checked: 2020-01-01}")
    [warning] = warnings_of(mini_dir, review_after_days=365)
    assert "`mash`: number 01234 567890 last checked 2020-01-01" in warning


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ("", "`source` or `published_on` or `checked`"),
        ("source: wt2023, checked: 2026-11-01", "`published_on`"),
        ("source: wt2023, published_on: https://example.org/mash", "`checked`"),
        ("published_on: https://example.org/mash, checked: 2026-11-01", "`source`"),
    ],
)
def test_a_number_without_its_page_and_checked_date_is_refused(mini_dir, fields, missing):
    """The guide: a number is shown only with the page it was published on and the date it
    was checked. A pack that would break that is an error, and is not served."""
    extra = f", {fields}" if fields else ""
    edit(mini_dir / "pack.yaml", "phone: PLACEHOLDER, placeholder: fictional test pack}",
         f'phone: "01234 567890"{extra}}}')
    [problem] = problems_of(mini_dir)
    assert re.match(r"mini/pack.yaml:\d+: `mash`: number 01234 567890 has no ", problem)
    assert f"has no {missing} — a number is shown only with the page" in problem
    with pytest.raises(PackError):
        load_pack(mini_dir)
    result = run_cli("validate", str(mini_dir))
    assert result.returncode != 0 and missing in result.stdout + result.stderr


def test_a_number_published_on_something_not_a_web_page_is_refused(mini_dir):
    edit(mini_dir / "pack.yaml", "phone: PLACEHOLDER, placeholder: fictional test pack}",
         'phone: "01234 567890", source: wt2023, published_on: the council website, '
         "checked: 2026-11-01}")
    [problem] = problems_of(mini_dir)
    assert "`mash`: `published_on` must be the page's address (https://…)" in problem


def test_a_number_overridden_in_config_needs_its_page_too(mini_dir):
    """config.yaml `contacts:` can set a number the pack leaves as a placeholder: it is
    refused the same way without the page and the date."""
    override = {"mash": {"phone": "01234 567890", "source": "wt2023", "checked": "2026-11-01"}}
    _, problems = read_pack(mini_dir, contact_overrides=override)
    assert [str(p) for p in problems if p.severity == "error"] == [
        "mini/pack.yaml:12: `mash`: number 01234 567890 has no `published_on` — a number is "
        "shown only with the page it was published on and the date it was checked"
    ]


def test_a_checked_number_is_shown_with_where_it_was_published():
    from bot.pack import Contact

    real = Contact("mash", "MASH", "024 0000 0000", source="x", checked="2026-12-01",
                   published_on="https://example.org/page")
    assert "024 0000 0000 — as published on https://example.org/page, checked 2026-12-01" in (
        real.display()
    )
    assert "not yet set" not in Contact("dsl", "Your DSL", note="ask them").display()
    assert "ask your DSL" not in Contact("lado", "LADO", "PLACEHOLDER").display()


def test_bare_number_or_partnership_name_as_alias_warns(mini_dir):
    edit(
        mini_dir / "glossary.yaml",
        "aliases: [designated safeguarding lead]",
        "aliases: [designated safeguarding lead, '1', "
        "testshire safeguarding children partnership]",
    )
    found = warnings_of(mini_dir)
    assert any("`dsl`: name or alias `1` is a bare number" in w for w in found)
    assert any("`testshire safeguarding children partnership` is a bare number or the "
               "partnership's name" in w for w in found)


def test_an_entry_names_only_contacts_the_pack_has(mini_dir):
    edit(mini_dir / "glossary.yaml", "    topic: process\n    sources: [wt2023]\n    reviewed: "
         "2026-01-10\n  - id: dsl", "    topic: process\n    contacts: [lado]\n    sources: "
         "[wt2023]\n    reviewed: 2026-01-10\n  - id: dsl")
    assert problems_of(mini_dir) == ["mini/glossary.yaml:11: `mash`: unknown contact `lado`"]


def test_an_entry_answer_shows_its_contacts_with_where_they_were_published(mini_dir):
    """Asked about the MASH, a user sees its number, the page it is published on and the
    date it was last checked — not "see contacts" with nothing to see."""
    edit(mini_dir / "pack.yaml", "phone: PLACEHOLDER, placeholder: fictional test pack}",
         'phone: "01234 567890", source: wt2023, published_on: https://example.org/mash, '
         "checked: 2026-11-01}")
    edit(mini_dir / "glossary.yaml", "    topic: process\n    sources: [wt2023]\n    reviewed: "
         "2026-01-10\n  - id: dsl", "    topic: process\n    contacts: [mash]\n    sources: "
         "[wt2023]\n    reviewed: 2026-01-10\n  - id: dsl")
    result = run_cli("ask", "--more", "what is the mash", env={"RHRT_KNOWLEDGE": str(mini_dir)})
    assert result.returncode == 0, result.stderr
    assert (
        "Contacts:\n• Testshire MASH: 01234 567890 — as published on https://example.org/mash, "
        "checked 2026-11-01" in result.stdout
    )
