"""Every plan already under public inquiry has its Inquiry row (reads never make one: register.inquiry_of)."""
from django.db import migrations


def forwards(apps, schema_editor):
    Inquiry = apps.get_model("inquiry", "Inquiry")
    PlanDocument = apps.get_model("plans", "PlanDocument")
    for plan in PlanDocument.objects.filter(status="public_inquiry", inquiry__isnull=True):
        Inquiry.objects.create(plan=plan)


class Migration(migrations.Migration):
    dependencies = [("inquiry", "0005_watch_plan_news"), ("plans", "0012_plan_under_inquiry")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
