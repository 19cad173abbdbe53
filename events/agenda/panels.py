"""Editor aids on the event edit form.

`NextDatesPanel` shows the next five dates the event's saved recurrence
produces, and its upcoming cancelled dates, so an editor sees at once whether
the rule says what they meant. It reads the saved page (the draft being
edited), expanded by `events.agenda.recurrence`, the one place that knows rules.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from events.agenda import recurrence

SHOWN = 5
# Far enough to find five dates of a monthly event with a few cancellations.
LOOK_AHEAD_DAYS = 3 * 366


class NextDatesPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Prochaines dates"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/agenda/admin/next_dates_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["saved"] = bool(page.pk and page.start and page.end)
            if not context["saved"]:
                return context
            now = timezone.now()
            upcoming = recurrence.expand(
                page, start=now, end=now + timezone.timedelta(days=LOOK_AHEAD_DAYS)
            )
            context["dates"] = [o for o in upcoming if not o.cancelled][:SHOWN]
            context["cancelled"] = [o for o in upcoming if o.cancelled]
            context["description"] = page.recurrence_description
            return context
