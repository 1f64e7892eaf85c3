"""Staff screens for complaints, scoped to the user's agencies: route, exchange notes, answer, close.

The status never changes by editing a field: the change form has action
fields (route to a service, internal note, reasoned answer, close) that call
the audited services.
"""
from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from geoportal.core.errors import ApiError
from geoportal.staff.roles import staff_agency_ids
from ..common.admin import AgencyScopedAdmin, ScopedReadOnlyInline
from ..common.audit import history
from . import services
from .models import Complaint, ComplaintAttachment, Department, InternalNote


@admin.register(Department)
class DepartmentAdmin(AgencyScopedAdmin):
    list_display = ("code", "name_fr", "name_ar", "agency", "response_days", "email")
    list_filter = ("agency",)


class ComplaintActionForm(forms.ModelForm):
    route_to = forms.ModelChoiceField(Department.objects.none(), required=False, label="Transmettre au service")
    internal_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                    label="Note interne (jamais montrée au citoyen)")
    reasoned_answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                      label="Réponse motivée (envoyée au citoyen)")
    close = forms.BooleanField(required=False, label="Clôturer (après réponse)")

    class Meta:
        model = Complaint
        fields = []


class AttachmentInline(ScopedReadOnlyInline):
    """The attachments, opened through the view that checks who asks (private storage has no URL)."""

    model = ComplaintAttachment
    fields = readonly_fields = ("download", "mime", "size", "uploaded_at")

    @admin.display(description="pièce jointe")
    def download(self, obj):
        url = reverse("eservices-api:complaint-attachment", args=[obj.complaint.number, obj.pk])
        return format_html('<a href="{}" download>{}</a>', url, obj.original_name)


class NoteInline(ScopedReadOnlyInline):
    model = InternalNote
    fields = readonly_fields = ("at", "author", "text")


@admin.register(Complaint)
class ComplaintAdmin(AgencyScopedAdmin):
    form = ComplaintActionForm
    list_display = ("number", "subject", "category", "status", "department", "created_at", "due_at", "overdue")
    list_filter = ("agency", "status", "category", "department")
    search_fields = ("number", "subject")
    readonly_fields = ("number", "agency", "kind", "category", "subject", "text", "location", "contact_name",
                       "contact_email", "contact_phone", "status", "department", "created_at", "due_at", "answer",
                       "answered_at", "answered_by", "closed_at", "audit_trail")
    inlines = [AttachmentInline, NoteInline]

    @admin.display(boolean=True, description="en retard")
    def overdue(self, obj):
        return obj.is_overdue

    @admin.display(description="historique")
    def audit_trail(self, obj):
        return "; ".join(f"{timezone.localtime(e.at):%d/%m/%Y %H:%M} {e.action} {e.from_state}→{e.to_state} "
                         f"({e.actor or e.actor_label})" for e in history(services.ITEM, obj.number))

    def has_add_permission(self, request):
        return False  # complaints come from citizens, through the public form or the API

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        departments = Department.objects.all()
        if obj is not None:
            departments = departments.filter(agency=obj.agency)
        ids = staff_agency_ids(request.user)
        if ids is not None:
            departments = departments.filter(agency__in=ids)
        form.base_fields["route_to"].queryset = departments
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        steps = [
            (data.get("route_to"), lambda: services.route(obj, data["route_to"], request.user)),
            (data.get("internal_note"), lambda: services.add_note(obj, request.user, data["internal_note"])),
            (data.get("reasoned_answer"), lambda: services.answer(obj, request.user, data["reasoned_answer"])),
            (data.get("close"), lambda: services.close(obj, request.user)),
        ]
        for wanted, step in steps:
            if not wanted:
                continue
            try:
                step()
            except ApiError as error:
                self.message_user(request, f"{obj.number}: {error.description}", messages.ERROR)
                return
