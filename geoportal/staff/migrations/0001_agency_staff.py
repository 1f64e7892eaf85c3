"""One membership per user and agency, gathered from the two earlier notions of staff:
the layer-publishing groups "<CODE> viewer|editor|publisher" and the e-services' StaffMembership."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PUBLISHING_RANK = {"viewer": 0, "editor": 1, "publisher": 2}


def gather(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Agency = apps.get_model("plans", "Agency")
    Membership = apps.get_model("staff", "Membership")
    OldMembership = apps.get_model("es_common", "StaffMembership")
    agencies = {a.code: a for a in Agency.objects.all()}
    for old in OldMembership.objects.all():
        Membership.objects.update_or_create(user_id=old.user_id, agency_id=old.agency_id,
                                            defaults={"services_role": old.role})
    for group in Group.objects.all():
        code, _, role = group.name.rpartition(" ")
        if role not in PUBLISHING_RANK or code not in agencies:
            continue
        for user in group.user_set.all():
            membership, _ = Membership.objects.get_or_create(user=user, agency=agencies[code])
            held = membership.publishing_role
            if not held or PUBLISHING_RANK[role] > PUBLISHING_RANK[held]:
                membership.publishing_role = role
                membership.save()
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        group.delete()  # the membership is now the only record of that role


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("plans", "0001_initial"),
        ("es_common", "0001_eservices_staff_audit"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("publishing_role", models.CharField(blank=True, choices=[("viewer", "Lecteur"), ("editor", "Éditeur"), ("publisher", "Publicateur")], help_text="Publication des couches (vide : aucun accès).", max_length=20)),
                ("services_role", models.CharField(blank=True, choices=[("agent", "Agent"), ("supervisor", "Superviseur")], help_text="E-services : réclamations, dossiers, documents, factures (vide : aucun accès).", max_length=20)),
                ("agency", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="staff", to="plans.agency")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="agency_staff", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["agency__code", "user__username"],
                "constraints": [models.UniqueConstraint(fields=("user", "agency"), name="staff_one_membership_per_agency")],
            },
        ),
        migrations.RunPython(gather, migrations.RunPython.noop),
    ]
