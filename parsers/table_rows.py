"""Records written as the rows of one table: a header row of labels side by side, then a row per record.

A sheet may write a section as a table whose labels stand once, in a header row
(``具体的取組 | 所管室・課 | 具体的な取組実績``), with one row per record under it. Each such label
then stands for one label instance per record (:func:`split_table_rows`):

- where the source has boxes (a PDF, a workbook), a cell holds its own wrapped lines, so every
  row of values is a record;
- where it has none (a text export, an HTML page), a line under the header that fills again every
  column the record's first line filled (two or more; a cell merged down over it fills its column)
  is the next record; a wrapped line of a cell leaves the other columns empty and belongs to the
  record above. A line that holds the record's first column (its text) and fills again only some of
  the columns the record above holds (``text | | results`` under ``text | 市民課 | results``) may
  be the next record with a cell left empty (or merged down, which an export does not show) or the
  record above's cells wrapped: read as the next record, and returned for the caller to name
  (:class:`RowDoubt`);
- a cell merged down over several records' rows (``rowspan``, merged cells) is the value of each
  of them, as a person reads it.

A label heading a column that holds no value in a record's rows gets an empty instance for that
record (its field left empty), so that every later value goes to its own record; the labels that
open a record (今年度の達成目標, 具体的取組) get instances only where they hold a value.
"""
from __future__ import annotations

from dataclasses import dataclass

from plansheet.parsers.labels import Label, Placement
from plansheet.parsers.layout import Token
from plansheet.parsers.list_items import continues

_OPENERS = (Label.TARGET, Label.INITIATIVE)

Row = tuple[int, int]  # (page, row)


@dataclass
class RowDoubt:
    """A line of a text export or HTML table read as a record of its own though it fills again only some of the
    columns the record above's first line filled: the record's opening instance, the one above's, and the
    labels of the columns it leaves empty."""

    instance: Token
    above: Token
    empty: list[str]


@dataclass
class TableRows:
    """What :func:`split_table_rows` read: the tokens in reading order (renumbered), the records read in doubt,
    and for each label heading a column of a table of targets (by id) how many targets its rows hold: one label
    there stands for every row's (a sheet prints 達成状況 | 達成度 once over them)."""

    tokens: list[Token]
    doubts: list[RowDoubt]
    serves: dict[int, int]
    records: set[int]  # the ids of the instances opening a record (a target's or an initiative's row)


def split_table_rows(tokens: list[Token]) -> TableRows:
    """Give each label heading a table column one instance per record of the table (module docstring)."""
    labels_in_row: dict[Row, set[Label]] = {}
    heads_in_row: dict[Row, list[Token]] = {}
    for token in tokens:
        if token.label is None:
            continue
        key = (token.cell.page, token.cell.row)
        labels_in_row.setdefault(key, set()).add(token.label.label)
        if not token.value_at_right and token.label.placement is not Placement.SECTION:
            heads_in_row.setdefault(key, []).append(token)
    split: dict[int, list[tuple[tuple[int, int], Token]]] = {}
    doubts: list[RowDoubt] = []
    serves: dict[int, int] = {}
    openers: set[int] = set()
    for key, heads in heads_in_row.items():
        if len(labels_in_row[key]) < 2 or not any(h.values for h in heads):
            continue
        geometry = any(v.cell.bbox is not None for h in heads for v in h.values)
        records, doubted = _records(heads, geometry)
        if len(records) < 2:
            continue
        instances = _instances(heads, records, geometry)
        split.update({head: [(key, token) for _, key, token in found] for head, found in instances.items()})
        opener = _opener(heads)
        opened = {k: token for k, _, token in instances.get(id(opener), [])}
        openers.update(id(token) for token in opened.values())
        if opener is not None and opener.label is not None and opener.label.label is Label.TARGET and opened:
            serves.update({id(h): len(opened) for h in heads})
        doubts += [RowDoubt(opened[k], opened[k - 1], missing) for k, missing in doubted
                   if k in opened and k - 1 in opened]
    if not split:
        return TableRows(tokens, [], {}, set())
    keyed: list[tuple[tuple[int, int], Token]] = []
    for token in tokens:
        keyed += split[id(token)] if id(token) in split else [((token.order, 1), token)]
    keyed.sort(key=lambda pair: pair[0])
    out = [token for _, token in keyed]
    for number, token in enumerate(out):
        token.order = number
    return TableRows(out, doubts, serves, openers)


def _covers(value: Token, row: Row) -> bool:
    """``value``'s cell stands on ``row`` or is merged down over it."""
    cell = value.cell
    return cell.page == row[0] and cell.row <= row[1] < cell.row_end


def _records(heads: list[Token], geometry: bool) -> tuple[list[list[Row]], list[tuple[int, list[str]]]]:
    """The header's value rows grouped into records (module docstring), and for each record read in doubt its
    index and the labels of the columns its first line leaves empty."""
    rows = sorted({(v.cell.page, v.cell.row) for h in heads for v in h.values if v.text.strip()})
    if geometry:
        records: list[list[Row]] = []
        for row in rows:
            if records and _list_goes_on(heads, records[-1][-1], row):
                records[-1].append(row)  # a list's next item, in a box of its own: a line of the record above
            else:
                records.append([row])
        return records, []
    opener = _opener(heads)
    records = []
    doubted: list[tuple[int, list[str]]] = []
    filled: set[int] = set()
    first: set[int] = set()
    for row in rows:
        if records and _list_goes_on(heads, records[-1][-1], row):
            records[-1].append(row)  # a list's next item (a cell merged down beside it fills no new column)
            continue
        cols = {k for k, h in enumerate(heads) if any(_covers(v, row) and v.text.strip() for v in h.values)}
        opens = opener is None or any((v.cell.page, v.cell.row) == row and v.text.strip() for v in opener.values)
        again = len(first) >= 2 and cols >= first  # the columns the record's first line filled, filled again
        if records and not (opens and len(cols) >= 2 and (again or opener is not None and cols <= filled)):
            records[-1].append(row)  # a wrapped line: the other columns left empty
            filled |= cols
            continue
        if records and not again:
            doubted.append((len(records), [heads[k].text for k in sorted(first - cols)]))
        records.append([row])
        filled, first = set(cols), set(cols)
    return records, doubted


def _list_goes_on(heads: list[Token], above: Row, row: Row) -> bool:
    """``row`` holds one value, in one head's column, and it is the list item that follows the one that head's
    value on the row ``above`` opens with (:func:`~list_items.continues`): a list written a row an item, its
    numbers in cells of their own (:mod:`list_items`), goes on, the record's other cells merged down beside it."""
    starting = [(h, v) for h in heads for v in h.values if (v.cell.page, v.cell.row) == row and v.text.strip()]
    if len(starting) != 1:
        return False
    head, value = starting[0]
    before = [v for v in head.values if (v.cell.page, v.cell.row) == above and v.text.strip()]
    return len(before) == 1 and continues(before[0].text, value.text)


def _instances(heads: list[Token], records: list[list[Row]], geometry: bool
               ) -> dict[int, list[tuple[int, tuple[int, int], Token]]]:
    """For each head (by id) its instances, each as (its record's index, its sort key, the instance): one per
    record (module docstring). Where the source has boxes, a head whose values stand on one row alone and merge
    over no other record's keeps its one instance (the label itself), as a boxed cell holds its wrapped lines."""
    opener = _opener(heads)
    anchors: list[int] = []
    for rows in records:
        own = [v for v in (opener.values if opener else []) if (v.cell.page, v.cell.row) in rows]
        values = [v for h in heads for v in h.values if (v.cell.page, v.cell.row) in rows]
        anchors.append(min(v.order for v in own or values))
    out: dict[int, list[tuple[int, tuple[int, int], Token]]] = {}
    for place, head in enumerate(sorted(heads, key=lambda h: h.order)):
        per_record = [[v for v in head.values if (v.cell.page, v.cell.row) in rows
                       or head is not opener and (v.cell.page, v.cell.row) < rows[0] and _covers(v, rows[0])]
                      for rows in records]  # a cell merged down over a record's rows is its value too
        if geometry and sum(bool(values) for values in per_record) < 2:
            continue
        instances = []
        for k, (anchor, values) in enumerate(zip(anchors, per_record)):
            if head is opener and not values:
                continue  # no record opens without its text
            own = [v for v in values if v.order >= anchor]
            key = (own[0].order, 0) if own and len(own) == len(values) else (anchor, 2 + place)
            cell = values[0].cell if values else head.cell
            instances.append((k, key, Token(cell, key[0], head.label, values=values)))
        out[id(head)] = instances
    return out


def _opener(heads: list[Token]) -> Token | None:
    """The head whose label opens a record (今年度の達成目標, 具体的取組), if the header has one."""
    return next((h for h in heads if h.label is not None and h.label.label in _OPENERS), None)
