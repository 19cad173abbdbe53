from wagtail import hooks

from .viewsets import FollowerViewSet

hooks.register("register_admin_viewset", FollowerViewSet)
