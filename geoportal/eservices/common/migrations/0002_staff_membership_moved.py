"""StaffMembership now lives in staff.Membership (staff/migrations/0001_agency_staff copies the rows)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("es_common", "0001_eservices_staff_audit"),
        ("staff", "0001_agency_staff"),
    ]

    operations = [
        migrations.DeleteModel(name="StaffMembership"),
    ]
