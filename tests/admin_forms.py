"""Helpers for driving the Wagtail admin as a browser would: the POST data of
an admin form (StreamFields included), creating and editing pages through
it, the messages shown. The fixtures (users per role, agenda, events) are in
tests/conftest.py."""

import datetime

from django import forms
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail import blocks
from wagtail.blocks.base import BlockWidget
from wagtail.test.utils import WagtailTestUtils

# What querydict_from_html does once it has found the form; called on our
# own parse so that the page is read once.
from wagtail.test.utils.form_data import _querydict_from_form as querydict_from_form

from portal import roles

# The password of every user the fixtures make (tests/conftest.py), and the
# username of each role's user.
PASSWORD = "motdepasse-de-test"
USERNAMES = {
    roles.ADMINISTRATION: "administration",
    roles.MODERATION: "moderation",
    roles.MEDIATHEQUE_EDITORS: "redaction",
    roles.CLX_EDITORS: "clx-redaction",
    roles.CLX_COORDINATION: "clx-coordination",
}


def create_role_user(username, role, password=PASSWORD):
    """An account in `role`'s group, with an address notifications reach."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@atelier-wimille.test",
        password=password,
        first_name=username.capitalize(),
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def form_data(response, form_id="page-edit-form"):
    """The fields of the admin form in `response`, as the browser would post
    them: plain inputs from the HTML, StreamFields (built by JavaScript in a
    browser) from the bound form in the context."""
    # One parse of the page (an admin edit page has tens of thousands of
    # tags) serves the form, its checkboxes and, without an id, its choice.
    soup = WagtailTestUtils.get_soup(response.content.decode())
    if form_id is None:
        found = soup.find_all("form")
        sizes = [len(f.find_all(["input", "select", "textarea"])) for f in found]
        form = found[sizes.index(max(sizes))]
    else:
        form = soup.find("form", attrs={"id": form_id})
        if form is None:
            raise ValueError(f'No form was found with id "{form_id}".')
    data = querydict_from_form(form, exclude_csrf=True)
    # A checked box without a value attribute is sent as "on" by browsers.
    checkboxes = _checkboxes(soup)
    for key in list(data):
        if data.getlist(key) == [""] and f'name="{key}"' in checkboxes:
            data[key] = "on"
    form = response.context["form"]
    # The comments side panel's toggle sits outside the <form>; Wagtail's
    # JavaScript sends it along with the form.
    if "comment_notifications" in form.fields and form["comment_notifications"].value():
        data["comment_notifications"] = "on"
    for name, field in form.fields.items():
        if isinstance(field.widget, BlockWidget):
            value = form[name].value()
            if isinstance(value, str) or value is None:
                value = field.block.to_python(value or [])
            for key, item in block_data(field.block, value, form.add_prefix(name)):
                data.setlist(key, item if isinstance(item, list) else [item])
    return data


def _checkboxes(soup):
    return " ".join(
        f'name="{box.attrs.get("name")}"'
        for box in soup.find_all("input", type="checkbox")
        if "value" not in box.attrs
    )


def block_data(block, value, prefix):
    """(name, value) pairs that Wagtail's block widgets would post."""
    if isinstance(block, blocks.BaseStreamBlock):
        children = list(value)
        yield f"{prefix}-count", str(len(children))
        for i, child in enumerate(children):
            yield f"{prefix}-{i}-type", child.block_type
            yield f"{prefix}-{i}-deleted", ""
            yield f"{prefix}-{i}-order", str(i)
            yield f"{prefix}-{i}-id", child.id or ""
            yield from block_data(child.block, child.value, f"{prefix}-{i}-value")
    elif isinstance(block, blocks.ListBlock):
        items = list(value.bound_blocks) if hasattr(value, "bound_blocks") else []
        yield f"{prefix}-count", str(len(items))
        for i, item in enumerate(items):
            yield f"{prefix}-{i}-deleted", ""
            yield f"{prefix}-{i}-order", str(i)
            yield f"{prefix}-{i}-id", item.id or ""
            yield from block_data(block.child_block, item.value, f"{prefix}-{i}-value")
    elif isinstance(block, blocks.BaseStructBlock):
        for name, child_block in block.child_blocks.items():
            yield from block_data(child_block, value.get(name), f"{prefix}-{name}")
    elif isinstance(block, blocks.FieldBlock):
        raw = block.value_for_form(value)
        widget = block.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if raw:
                yield prefix, "on"
        elif hasattr(raw, "pk"):
            yield prefix, str(raw.pk)
        elif isinstance(widget, forms.SelectMultiple):
            yield prefix, [str(getattr(v, "pk", v)) for v in raw or []]
        else:
            formatted = widget.format_value(raw)
            if isinstance(formatted, list):  # Select widgets format as a list
                yield prefix, [str(v) for v in formatted]
            else:
                yield prefix, "" if formatted is None else str(formatted)


def admin_create_page(client, parent, model, fields, action=None):
    """Fill and post the admin's « add page » form as a browser would.
    `action` is "publish", "submit" or None (save a draft)."""
    url = reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )
    response = client.get(url)
    if response.status_code != 200:
        return response
    data = form_data(response)
    data.update(fields)
    if action:
        data[f"action-{action}"] = "on"
    return client.post(url, data)


def admin_edit_page(client, page, changes, action=None, extra=None):
    """Change fields of a page through its admin edit form."""
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.get(url)
    if response.status_code != 200:
        return response
    data = form_data(response)
    data.update(changes)
    data.update(extra or {})
    if action:
        data[f"action-{action}"] = "on"
    return client.post(url, data)


def event_fields(title, event_type, start=None, **extra):
    """What an editor types to create an event (a two-hour workshop)."""
    from django.conf import settings
    from django.utils import timezone
    from django.utils.text import slugify

    start = start or timezone.localtime(timezone.now()).replace(
        hour=10, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=14)
    end = start + datetime.timedelta(hours=2)
    fmt = settings.WAGTAIL_DATETIME_FORMAT
    return {
        "title": title,
        "slug": slugify(title),
        "summary": f"{title} : un atelier pour débuter.",
        "event_type": str(event_type.pk),
        "start": timezone.localtime(start).strftime(fmt),
        "end": timezone.localtime(end).strftime(fmt),
        **extra,
    }


def messages_of(response):
    """Messages shown to the user, and form errors if the form came back."""
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    form = (response.context or {}).get("form") if response.context else None
    if form is not None:
        shown.append(form.errors.as_text())
        for name, formset in getattr(form, "formsets", {}).items():
            shown.append(f"{name}: {formset.errors} {formset.non_form_errors()}")
    return shown


def post_commitment_decision(client, line, party, decision, comment="", **kwargs):
    """Decide on a financial commitment with the form its page shows for
    `party` ("town" or "clx"), as a browser would; without that form on the
    page (the person may not decide), the request a forger would send."""
    response = client.get(reverse("commitments:inspect", args=(line.pk,)))
    soup = WagtailTestUtils.get_soup(response.content.decode())
    form = next(
        (
            form
            for form in soup.find_all("form")
            if form.find("input", attrs={"name": "party", "value": party})
        ),
        None,
    )
    data = {"party": party}
    if form is not None:
        data = querydict_from_form(form, exclude_csrf=True).dict()
        # Unticked radios are not sent; the comment box always is.
        assert f"{party}-comment" in data, data
    data.update({f"{party}-decision": decision, f"{party}-comment": comment})
    return client.post(
        reverse("commitments:decide", args=(line.pk,)),
        data,
        HTTP_ORIGIN="http://testserver",
        **kwargs,
    )
