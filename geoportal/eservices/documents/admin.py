"""Staff screens for documents: the PDF is checked by its bytes, its text extracted and indexed on save."""
from django import forms
from django.contrib import admin

from geoportal.core.errors import ApiError
from ..common.admin import AgencyScopedAdmin
from geoportal.core.attachments import DOCUMENT_TYPES, check_file
from . import services
from .models import AgencyDocument


class DocumentForm(forms.ModelForm):
    class Meta:
        model = AgencyDocument
        fields = "__all__"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                check_file(upload, "file", DOCUMENT_TYPES)
            except ApiError as error:
                raise forms.ValidationError(error.description) from error
        return upload


@admin.register(AgencyDocument)
class AgencyDocumentAdmin(AgencyScopedAdmin):
    form = DocumentForm
    list_display = ("title_fr", "kind", "reference", "agency", "published_on", "size")
    list_filter = ("kind", "agency")
    search_fields = ("title_fr", "title_ar", "reference")
    readonly_fields = ("size",)

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("file") if "file" in form.changed_data else None
        services.save_document(obj, request.user, upload)
