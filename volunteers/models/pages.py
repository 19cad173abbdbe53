"""The public directory of volunteers at /benevoles/, with its « Contacter »
form for each listed volunteer."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.images.models import Image

from portal.models import SectionIndexPage
from portal.pagination import requested_page

from .volunteers import Skill, Volunteer, VolunteerSkill

VOLUNTEERS_PER_PAGE = 24


class VolunteerIndexPage(RoutablePageMixin, SectionIndexPage):
    # Search and API see only the page's own introduction (SectionIndexPage):
    # the volunteers themselves are never indexed nor exposed through the API.
    subpage_types = []

    class Meta:
        verbose_name = _("annuaire des bénévoles")

    # Listing

    def listed_volunteers(self):
        """Listed volunteers with everything the cards show, in a fixed number
        of queries however many there are."""
        return (
            Volunteer.objects.publicly_listed()
            .select_related("partner")
            .prefetch_related(
                Prefetch(
                    "photo",
                    queryset=Image.objects.prefetch_renditions("fill-160x160"),
                ),
                Prefetch(
                    "skill_items",
                    queryset=VolunteerSkill.objects.select_related("tag").order_by(
                        "tag__name"
                    ),
                ),
            )
        )

    def public_skills(self):
        """Skills shown by at least one listed volunteer who consented to show
        them: the filter never reveals a skill kept private."""
        listed = Volunteer.objects.publicly_listed().filter(show_skills=True)
        return (
            Skill.objects.filter(
                tagged_volunteers__content_object__in=listed.values("pk")
            )
            .distinct()
            .order_by("name")
        )

    @path("")
    def directory(self, request):
        volunteers = self.listed_volunteers()
        skills = list(self.public_skills())
        selected = None
        slug = request.GET.get("competence", "")
        if slug:
            selected = next((s for s in skills if s.slug == slug), None)
            if selected is None:
                volunteers = volunteers.none()
            else:
                volunteers = volunteers.filter(
                    show_skills=True, skill_items__tag=selected
                )
        page_obj = Paginator(volunteers.order_by("display_name", "pk"), 24).get_page(
            requested_page(request.GET.get("page"))
        )
        return self.render(
            request,
            context_overrides={
                "volunteers": page_obj,
                "skills": skills,
                "selected_skill": selected,
                "unknown_skill": bool(slug) and selected is None,
            },
        )

    # Contact form

    def _contactable(self, volunteer_id):
        volunteer = (
            Volunteer.objects.publicly_listed()
            .filter(pk=volunteer_id, accepts_contact=True)
            .exclude(email="")
            .first()
        )
        if volunteer is None:
            raise Http404
        return volunteer

    @path("<int:volunteer_id>/contacter/", name="contact")
    def contact(self, request, volunteer_id):
        from volunteers.contact import ContactView

        volunteer = self._contactable(volunteer_id)
        return ContactView.as_view(page=self, volunteer=volunteer)(request)

    @path("<int:volunteer_id>/contacter/merci/", name="contact_sent")
    def contact_sent(self, request, volunteer_id):
        volunteer = self._contactable(volunteer_id)
        return TemplateResponse(
            request,
            "volunteers/volunteer_contact_sent.html",
            {"page": self, "self": self, "volunteer": volunteer},
        )
