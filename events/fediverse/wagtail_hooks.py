from wagtail import hooks

from events.fediverse.viewsets import FollowerViewSet

hooks.register("register_admin_viewset", FollowerViewSet)
