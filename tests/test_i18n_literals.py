"""`{% load i18n %}` gives portal.templatetags.i18n_literals: Django's
library, with `{% translate "…" %}` of a literal translated once per
language (issue 31). What people read must not change: the same text as
Django's own tag, in every form of the tag, and the text of the language
active at each render, not the first one's."""

import pytest
from django.template import Context, Engine, engines
from django.templatetags import i18n as django_i18n
from django.utils import translation

from portal.templatetags import i18n_literals

# Every form of the tag our templates use, with French punctuation,
# apostrophes, accents and a percent sign.
SOURCE = """{% load i18n %}
[{% translate "Retour à l'agenda" %}]
[{% translate "Log out" %}]
[{% trans "Page not found" %}]
[{% translate "« Atelier » : 100 % libre" %}]
[{% translate "Log out" as label %}{{ label }}]
[{% translate "Log out"|upper %}]
[{% translate "May" context "long month name" %}]
[{% translate "Log out" noop %}]
[{% translate message %}]
[{% blocktranslate with name=name %}Bonjour {{ name }}{% endblocktranslate %}]
[{% get_current_language as language %}{{ language }}]
[{{ "fr"|language_name_local }}]
{% autoescape off %}[{% translate "Retour à l'agenda" %}]{% endautoescape %}"""


def render_with(library, language, context):
    engine = Engine(libraries={"i18n": library.__name__})
    with translation.override(language):
        return engine.from_string(SOURCE).render(Context(context))


def test_the_project_templates_load_this_library():
    engine = engines["django"].engine
    assert engine.template_libraries["i18n"] is i18n_literals.register


def test_no_other_library_name_is_used_twice():
    # Django's templates.W003 is silenced for this override only (settings).
    warnings = engines["django"]._check_for_template_tags_with_the_same_name()
    assert [warning.msg for warning in warnings] == [
        "'i18n' is used for multiple template tag modules: "
        "'django.templatetags.i18n', 'portal.templatetags.i18n_literals'"
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_same_text_as_django_tag(language):
    context = {"message": "Page not found", "name": "Zoé L'Hôpital <script>"}
    ours = render_with(i18n_literals, language, context)
    django = render_with(django_i18n, language, context)
    assert ours == django
    if language == "fr":
        assert "[Se déconnecter]" in ours
        assert "[SE DÉCONNECTER]" in ours
        assert "[Retour à l'agenda]" in ours
        assert "Bonjour Zoé L&#x27;Hôpital &lt;script&gt;" in ours


def test_each_render_speaks_the_active_language():
    template = Engine(libraries={"i18n": i18n_literals.__name__}).from_string(
        '{% load i18n %}{% translate "Log out" %}'
    )
    (node,) = [n for n in template.nodelist if hasattr(n, "by_language")]
    seen = []
    for language in ["fr", "en", "fr", "en"]:
        with translation.override(language):
            seen.append(template.render(Context()))
    assert seen == ["Se déconnecter", "Log out", "Se déconnecter", "Log out"]
    # Translated once per language, then read from the node.
    assert set(node.by_language) == {"fr", "en"}


def test_only_plain_literals_are_kept():
    template = Engine(libraries={"i18n": i18n_literals.__name__}).from_string(
        "{% load i18n %}"
        '{% translate "Log out" %}{% translate message %}'
        '{% translate "Log out"|upper %}{% translate "Log out" as label %}'
        '{% translate "May" context "long month name" %}'
        '{% translate "Log out" noop %}'
    )
    kinds = [
        type(node).__name__
        for node in template.nodelist
        if isinstance(node, django_i18n.TranslateNode)
    ]
    assert kinds == ["LiteralTranslateNode"] + ["TranslateNode"] * 5
