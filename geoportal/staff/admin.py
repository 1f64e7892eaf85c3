"""Memberships are managed by superusers (and whoever they give the model permissions to)."""
from django.contrib import admin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "publishing_role", "services_role")
    list_filter = ("agency", "publishing_role", "services_role")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
