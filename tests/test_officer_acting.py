"""Officer lines written other ways (REVIEW6 Y8): a person acting for the unit's head (部長代理, 部長事務取扱副市長) or
a post written before the name in the name cell (部長 | 副市長 森本 恵子（事務取扱）). The post is read as written (the
title is the label, or the name cell's post, as written) and the name as the name."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from rendered import RESULT, read, render

pytestmark = pytest.mark.timeout(600)  # a hang guard, not a budget: the work grows in wall time with the load
KINDS = ("xlsx", "txt", "html", "pdf")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("label", ["部長代理", "部長事務取扱副市長"])
def test_a_person_acting_for_the_head_is_the_director(tmp_path: Path, kind: str, label: str) -> None:
    """Y8: 部長代理 (acting director) and 部長事務取扱副市長 (the vice mayor acting as 部長, their own post after
    事務取扱) label the unit's head: position 部長, the label as the title, the name as written. 部長代理 had been
    read as a name under no label (the director null, the 部長 row lost), 部長事務取扱副市長 lost with its person."""
    d = copy.deepcopy(RESULT)
    head = d.officers[0]
    head.position = label
    status, doc = read(render(d, kind, tmp_path))
    assert doc.director == head.name
    assert [(o.position, o.title, o.name) for o in doc.officers] == \
        [("部長", label, head.name)] + [(o.position, o.title, o.name) for o in doc.officers[1:]]
    assert [o.name for o in doc.officers] == [o.name for o in d.officers]
    assert (status, doc.warnings) == ("ok", [])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("cell", "title"), [("副市長 {name}（事務取扱）", "副市長（事務取扱）"),
                                             ("副市長 {name}", "副市長")])
def test_a_post_before_the_name_is_the_title(tmp_path: Path, kind: str, cell: str, title: str) -> None:
    """Y8: under 部長, ``副市長 森本 恵子（事務取扱）``: the post before the name (副市長, as 監 or 理事 would be) is the
    title, with the mark after the name that it is acted for; the name is the name. It had been read as the name
    ``副市長 森本 恵子``, title 事務取扱, and named as maybe two people."""
    d = copy.deepcopy(RESULT)
    head = d.officers[0]
    head.cell = cell.format(name=head.name)
    status, doc = read(render(d, kind, tmp_path))
    assert doc.director == head.name
    assert (doc.officers[0].position, doc.officers[0].title, doc.officers[0].name) == ("部長", title, head.name)
    assert (status, doc.warnings) == ("ok", [])
