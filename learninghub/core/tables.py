"""hubTable's markup in Python (components/table.jinja documents the parameters).

The same HTML, byte for byte, as the Jinja macro it replaced: at bench scale the macro's
per-cell attribute lookups and string joins were a large share of every list page's CPU
(`make bench`, bench/README.md), and a table is rendered on most pages of the service.
"""

from __future__ import annotations

from markupsafe import Markup, escape

_MISSING = object()


def _get(obj, key, default=None):
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _content(cell) -> Markup:
    html = _get(cell, "html")
    if html:
        # An "html" cell is the caller's markup, trusted as the macro's `| safe` trusted it.
        return Markup(html)  # noqa: S704
    text = _get(cell, "text", _MISSING)
    return Markup("") if text is _MISSING else escape(text)


def _attributes(attributes) -> str:
    return "".join(f' {escape(name)}="{escape(value)}"' for name, value in attributes.items())


def hub_table(params) -> Markup:
    head = _get(params, "head") or []
    labels = []
    for item in head:
        label = _get(item, "label", _MISSING)
        if label is _MISSING:
            # Only to strip its tags (striptags): the label is escaped where it is written.
            label = _get(item, "text") or Markup(str(_get(item, "html") or "")).striptags()  # noqa: S704
        labels.append(label)
    out = ['<table class="govuk-table']
    if _get(params, "stack") is not False:
        out.append(" hub-table")
    if classes := _get(params, "classes"):
        out.append(f" {escape(classes)}")
    out.append('"')
    out.append(_attributes(_get(params, "attributes") or {}))
    out.append(">")
    if caption := _get(params, "caption"):
        caption_classes = _get(params, "captionClasses")
        out.append('\n  <caption class="govuk-table__caption')
        if caption_classes:
            out.append(f" {escape(caption_classes)}")
        out.append(f'">{escape(caption)}</caption>')
    if head:
        out.append('\n  <thead class="govuk-table__head">\n    <tr class="govuk-table__row">')
        for item in head:
            out.append('\n      <th scope="col" class="govuk-table__header')
            if fmt := _get(item, "format"):
                out.append(f" govuk-table__header--{escape(fmt)}")
            if classes := _get(item, "classes"):
                out.append(f" {escape(classes)}")
            out.append('"')
            if colspan := _get(item, "colspan"):
                out.append(f' colspan="{escape(colspan)}"')
            out.append(f">{_content(item)}</th>")
        out.append("\n    </tr>\n  </thead>")
    out.append('\n  <tbody class="govuk-table__body">')
    rows = _get(params, "rows") or []
    first_is_header = _get(params, "firstCellIsHeader")
    for row in rows:
        is_dict = isinstance(row, dict)
        cells = row["cells"] if is_dict and "cells" in row else row
        out.append('\n    <tr class="govuk-table__row"')
        if is_dict and "attributes" in row:
            out.append(_attributes(row["attributes"]))
        out.append(">")
        index = 0
        for position, cell in enumerate(cells):
            colspan = _get(cell, "colspan")
            label = labels[index] if index < len(labels) and not colspan else ""
            index += colspan or 1
            classes = _get(cell, "classes")
            if position == 0 and first_is_header:
                out.append('\n      <th scope="row" class="govuk-table__header')
                if classes:
                    out.append(f" {escape(classes)}")
                out.append('"')
                if colspan:
                    out.append(f' colspan="{escape(colspan)}"')
                out.append(f">{_content(cell)}</th>")
            else:
                out.append('\n      <td class="govuk-table__cell')
                if fmt := _get(cell, "format"):
                    out.append(f" govuk-table__cell--{escape(fmt)}")
                if classes:
                    out.append(f" {escape(classes)}")
                out.append('"')
                if colspan:
                    out.append(f' colspan="{escape(colspan)}"')
                if label:
                    out.append(f' data-label="{escape(label)}"')
                out.append(f">{_content(cell)}</td>")
        out.append("\n    </tr>")
    if not rows and (empty := _get(params, "empty")):
        out.append(
            '\n    <tr class="govuk-table__row"><td class="govuk-table__cell" '
            f'colspan="{len(head) or 1}">{escape(empty)}</td></tr>'
        )
    out.append("\n  </tbody>\n</table>")
    # Every value above went through escape() or is trusted "html", as in the macro.
    return Markup("".join(out))  # noqa: S704
