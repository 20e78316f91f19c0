"""Clustering groups the same question asked different ways, and keeps different ones apart."""

from __future__ import annotations

from bot.reports.clusters import Cluster, Normaliser, cluster, tidy


def groups(texts: list[str], pack=None) -> list[set[str]]:
    found = cluster([(t, 1) for t in texts], Normaliser(pack))
    return [{texts[i] for i in g} for g in found]


RETENTION = [
    "how long should we keep safeguarding records",
    "How long do we keep safeguarding records for?",
    "how long to keep old safeguarding records",
    "safeguarding records - how long should we keep them",
    "hi, how long must a school keep child protection records",
]
LIFTS = [
    "can I give a child a lift home in my car",
    "is it ok to give a pupil a lift home in my own car",
    "giving a young person a lift in my car - allowed?",
]
HOME_ALONE = [
    "what age can a child be left at home alone",
    "how old does a child have to be to be left home alone",
]


def test_paraphrases_group_and_different_questions_stay_apart():
    found = groups(RETENTION + LIFTS + HOME_ALONE + ["where is the staff car park"])
    assert set(RETENTION) in found
    assert set(LIFTS) in found
    assert set(HOME_ALONE) in found
    assert {"where is the staff car park"} in found
    assert len(found) == 4


def test_a_shared_generic_word_does_not_join_questions():
    found = groups(
        [
            "child protection plan - how long does it last",
            "how long should we keep safeguarding records",
            "what does child protection mean",
        ]
    )
    assert len(found) == 3


def test_the_packs_acronyms_join_their_long_forms(pack):
    nrpf = ["who helps families with no recourse to public funds", "nrpf - who can help?"]
    assert len(groups(nrpf)) == 2  # without the pack, "NRPF" means nothing
    # The mini pack has no NRPF entry, so give it one the way a glossary would.
    from dataclasses import replace

    from bot.pack import Area

    areas = dict(pack.areas)
    areas["housing"] = Area("housing", "Housing", ("no recourse to public funds", "NRPF"))
    assert len(groups(nrpf, replace(pack, areas=areas))) == 1


def test_biggest_cluster_first_and_a_readable_label():
    texts = [
        ("hi, how long should we keep safeguarding records thanks", 2),
        ("how long should we keep safeguarding records", 5),
        ("what age can a child be left at home alone", 9),
    ]
    order = cluster(texts)
    assert [sorted(g) for g in order] == [[2], [0, 1]]
    c = Cluster(wordings=[(texts[i][0], texts[i][1], "k") for i in order[1]])
    assert c.n == 7
    assert c.label == "How long should we keep safeguarding records?"
    assert tidy("re [NAME]: quick question - is vaping a concern? thanks") == (
        "Is vaping a concern?"
    )


def test_examples_are_differently_worded():
    c = Cluster(
        wordings=[
            ("how long do we keep records", 5, "keep long record"),
            ("hi, how long do we keep records", 4, "keep long record"),
            ("retention of safeguarding records", 3, "record retent"),
            ("how long do we keep records thanks", 2, "keep long record"),
        ]
    )
    assert c.examples() == ["how long do we keep records", "retention of safeguarding records"]
