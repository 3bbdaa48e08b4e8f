"""What an HTML page's styles declare for each element, as a screen shows the page.

The page's ``<style>`` blocks are parsed with tinycss2 (comments, ``<!-- -->`` wrappers, selector lists);
rules inside an ``@media`` block apply only when its query includes the screen (``@media print`` does
not: the reader reads what the page shows). Selectors are matched with lxml's cssselect, so a list
(``.xl70, .xl71``), a descendant (``.noprint .value``) or a tag with a class select what a browser
selects. Specificity is not weighed: a page's rules are taken in their order, the element's own
``style`` attribute last.
"""
from __future__ import annotations

from typing import Any

import regex

_DISPLAY = regex.compile(r"(?:^|;)\s*display\s*:\s*([\w-]+)", regex.IGNORECASE)
_VISIBILITY = regex.compile(r"(?:^|;)\s*visibility\s*:\s*([\w-]+)", regex.IGNORECASE)
_UNSEEN = regex.compile(r"mso-hide\s*:\s*all|text-decoration(?:-line)?\s*:[^;]*line-through", regex.IGNORECASE)
_PAGE_BREAK = regex.compile(r"(?:page-)?break-(before|after)\s*:\s*(?:always|page)", regex.IGNORECASE)
_SCREEN_MEDIA = {"", "all", "screen"}


def page_rules(root: Any) -> list[tuple[str, str]]:
    """(selector list, declarations) of every style rule a screen applies, in the page's order."""
    import tinycss2

    rules: list[tuple[str, str]] = []
    for style in root.iter("style"):
        if for_screen(style.get("media", "")):
            _collect(tinycss2.parse_stylesheet(style.text or "", skip_comments=True, skip_whitespace=True), rules)
    return rules


def _collect(nodes: list[Any], rules: list[tuple[str, str]]) -> None:
    import tinycss2

    for node in nodes:
        if node.type == "qualified-rule":
            rules.append((tinycss2.serialize(node.prelude).strip(), tinycss2.serialize(node.content)))
        elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content is not None \
                and for_screen(tinycss2.serialize(node.prelude)):
            _collect(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), rules)


def for_screen(media: str) -> bool:
    """Whether a media query list (``print``, ``screen, print``, ``not print``) includes the screen."""
    for query in media.lower().split(","):
        words = [w for w in regex.split(r"[\s(]+", query.strip()) if w and w != "only"]
        if not words or (words[0] in _SCREEN_MEDIA or words[0] == "and"):
            return True
        if words[0] == "not" and len(words) > 1 and words[1] not in _SCREEN_MEDIA:
            return True
    return False


def declared_styles(root: Any) -> dict[Any, str]:
    """Element → the declarations the page's rules give it, then its own ``style`` (for elements with any)."""
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    declared: dict[Any, str] = {}
    for selectors, declarations in page_rules(root):
        try:
            matcher = CSSSelector(selectors, translator="html")
        except (SelectorError, ValueError):  # a selector cssselect cannot translate (:hover …) hides nothing
            continue
        for element in matcher(root):
            declared[element] = declared.get(element, "") + ";" + declarations
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("style"):
            declared[element] = declared.get(element, "") + ";" + element.get("style")
    return declared


def _last(pattern: regex.Pattern[str], declarations: str) -> str | None:
    found = pattern.findall(declarations)
    return found[-1].lower() if found else None


def not_shown(element: Any, declarations: str) -> bool:
    """Whether the page shows nothing of ``element`` or its contents: ``display:none``, the ``hidden``
    attribute, ``mso-hide:all``, or struck through (struck text is deleted text)."""
    display = _last(_DISPLAY, declarations)
    if display == "none" or (display is None and element.get("hidden") is not None):
        return True
    return bool(_UNSEEN.search(declarations))


def visibility(declarations: str, inherited: bool) -> bool:
    """Whether an element is invisible: ``visibility`` is inherited, and a child may set it back to visible."""
    value = _last(_VISIBILITY, declarations)
    return inherited if value is None or value == "inherit" else value in ("hidden", "collapse")


def page_breaks(declarations: str) -> set[str]:
    """The page breaks (``before``/``after``) the declarations ask for."""
    return {m.group(1).lower() for m in _PAGE_BREAK.finditer(declarations)}

