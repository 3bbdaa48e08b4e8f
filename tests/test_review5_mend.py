"""Sheet-grammar rules a reviewer's probes found wanting (REVIEW5: X12, X9, X3, X10, X11), each read from a
department the project's own generators render (samples/generate: the ``result`` department with one cell
changed) or from the real export with one line changed."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from test_review1_mend import RESULT, read, render  # noqa: I001 (puts samples/ on the path)

KINDS = ("xlsx", "txt", "html", "pdf")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("label", ["部長兼監", "部長兼危機管理監", "危機管理監兼部長兼健康福祉監"])
def test_a_director_holding_a_second_post_is_the_director(tmp_path: Path, kind: str, label: str) -> None:
    """X12: in ``A兼B`` the person holds both posts; the unit's head title among them makes them its head
    (position 部長, the label as the title). 部長兼監 had been read as a 監 and 部長兼危機管理監 lost, the director
    null either way."""
    d = copy.deepcopy(RESULT)
    head = d.officers[0]
    assert head.position == "部長"
    head.position = label
    status, doc = read(render(d, kind, tmp_path))
    assert doc.director == head.name
    assert [(o.position, o.title, o.name) for o in doc.officers][0] == ("部長", label, head.name)
    assert status == "ok"
