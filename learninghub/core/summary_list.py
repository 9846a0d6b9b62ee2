"""govukSummaryList's markup in Python, for the parameters the service's pages use.

The same HTML as GOV.UK Frontend's macro (but for whitespace between tags): at bench scale
the macro's nested calls (a card, an attributes macro per element, `indent` and `trim` per
value) were a measurable share of the case page's CPU (`make bench`, bench/README.md).
Parameters it does not cover (row actions, attributes) return None, and the
components/summary_list.jinja macro then calls GOV.UK Frontend's own.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def _get(obj, key, default=None):
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _content(item) -> str:
    html = _get(item, "html")
    if html:
        # "html" is the caller's markup, trusted as the macro's `| safe` trusted it.
        return str(html).strip()
    return str(escape(_get(item, "text", "") or ""))


def _classes(base: str, item) -> str:
    classes = _get(item, "classes") if item else None
    return f"{base} {escape(classes)}" if classes else base


def _action_link(action, card_title) -> str | None:
    if _get(action, "attributes"):
        return None
    html = _get(action, "html")
    text = str(html) if html else str(escape(_get(action, "text", "") or ""))
    hidden = _get(action, "visuallyHiddenText")
    if hidden or card_title:
        text += '<span class="govuk-visually-hidden">'
        if hidden:
            text += f" {escape(hidden)}"
        if card_title:
            text += f" ({_content(card_title)})"
        text += "</span>"
    return (
        f'<a class="{_classes("govuk-link", action)}" href="{escape(_get(action, "href"))}">'
        f"{text}</a>"
    )


def hub_summary_list(params) -> Markup | None:
    if _get(params, "attributes"):
        return None
    card = _get(params, "card")
    out = [f'<dl class="{_classes("govuk-summary-list", params)}">\n']
    for row in _get(params, "rows") or []:
        if not row:
            continue
        if _get(row, "actions"):
            return None
        key, value = _get(row, "key"), _get(row, "value")
        # The macro's indentation inside each cell (as in a card), so the text reads the same.
        out.append(
            f'<div class="{_classes("govuk-summary-list__row", row)}">\n'
            f'<dt class="{_classes("govuk-summary-list__key", key)}">\n'
            f"          {_content(key)}\n        </dt>\n"
            f'<dd class="{_classes("govuk-summary-list__value", value)}">\n'
            f"          {_content(value)}\n        </dd>\n"
            "</div>\n"
        )
    out.append("</dl>")
    if not card:
        return Markup("".join(out))  # noqa: S704 (every value escaped or trusted html)
    if _get(card, "attributes"):
        return None
    title = _get(card, "title")
    head = ['<div class="govuk-summary-card__title-wrapper">\n']
    if title:
        level = _get(title, "headingLevel") or 2
        head.append(
            f'<h{level} class="{_classes("govuk-summary-card__title", title)}">\n'
            f"      {_content(title)}\n    </h{level}>\n"
        )
    actions = _get(card, "actions")
    items = _get(actions, "items") if actions else None
    if items:
        links = [_action_link(action, title) for action in items]
        if None in links:
            return None
        if len(links) == 1:
            head.append(
                f'<div class="{_classes("govuk-summary-card__actions", actions)}">\n'
                f"{links[0]}\n</div>\n"
            )
        else:
            head.append(f'<ul class="{_classes("govuk-summary-card__actions", actions)}">\n')
            head.extend(
                f'<li class="govuk-summary-card__action">\n{link}\n</li>\n' for link in links
            )
            head.append("</ul>\n")
    head.append("</div>\n")
    return Markup(  # noqa: S704 (every value escaped or trusted html)
        f'<div class="{_classes("govuk-summary-card", card)}">\n{"".join(head)}\n'
        f'<div class="govuk-summary-card__content">\n{"".join(out)}\n</div>\n</div>'
    )
