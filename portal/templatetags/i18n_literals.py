"""`{% load i18n %}` everywhere (TEMPLATES' "libraries" option names this
module "i18n"): Django's own library, except that `{% translate "…" %}` of
a plain literal is translated once per language and process.

Django's node turns its literal into a lazy translation on every render,
then resolves, localizes and escapes it: about 8 µs a node, against 2 µs
for a variable. Our templates hold 836 of them, 40 on an event page
(issue 31). The translation of a literal depends on nothing but the active
language, so the first render in a language keeps the text. Everything
else (a variable, a filter, a context, `as`, `noop`) is Django's node as
is, and so are the other tags and filters of the library.
"""

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class LiteralTranslateNode(django_i18n.TranslateNode):
    """`{% translate "literal" %}` without filter, context, `as` or `noop`:
    its text, once per language."""

    def __init__(self, node):
        super().__init__(
            node.filter_expression, node.noop, node.asvar, node.message_context
        )
        self.by_language = {}

    def render(self, context):
        language = get_language()
        try:
            text = self.by_language[language]
        except KeyError:
            text = self.by_language[language] = super().render(context)
        return text


def is_plain_literal(node):
    variable = node.filter_expression.var
    return (
        isinstance(variable, template.Variable)
        and variable.lookups is None
        and isinstance(variable.literal, str)
        and not node.filter_expression.filters
        and node.message_context is None
        and node.asvar is None
        and not node.noop
    )


@register.tag("translate")
@register.tag("trans")
def translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return LiteralTranslateNode(node) if is_plain_literal(node) else node
