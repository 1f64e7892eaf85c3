"""Reads of a plan's life: which plans a user sees, what each may do with them, and a plan's history."""
from geoportal.staff.roles import EDITOR, PUBLISHER, VIEWER, agencies_for, roles_by_agency
from layers.records import AuditEntry
from plans.models import PlanDocument
from plans.models.document import ALLOWED_TRANSITIONS, PlanStatus
from plans.models.geometry import LambertArea

_RANK = {VIEWER: 0, EDITOR: 1, PUBLISHER: 2}


def plans_for(user):
    """The plans of the agencies where `user` holds a role, newest versions first within a reference."""
    return (PlanDocument.objects.filter(agency__in=agencies_for(user, VIEWER)).select_related("agency")
            .annotate(area_m2=LambertArea("perimeter", "srid")).order_by("agency__code", "reference", "-version"))


def can(user, plan, role):
    held = roles_by_agency(user).get(plan.agency.code)
    return held is not None and _RANK[held] >= _RANK[role]


def next_statuses(plan):
    """The statuses the law lets `plan` go to next (superseded comes with the approval of its next version,
    or is set with its date)."""
    return sorted(ALLOWED_TRANSITIONS[PlanStatus(plan.status)])


def history(plan):
    """What happened to the plan, oldest first: [{when, what, who, detail}] from its creation, status changes,
    attachments, and the publications of its layers (layers' audit log)."""
    events = [{"when": plan.created_at, "what": "created", "who": "", "detail": f"version {plan.version}"}]
    for change in plan.status_changes.select_related("changed_by"):
        events.append({"when": change.changed_at, "what": f"{change.from_status} → {change.to_status}",
                       "who": change.changed_by.get_username() if change.changed_by else "",
                       "detail": change.comment})
    for attachment in plan.attachments.all():
        events.append({"when": attachment.uploaded_at, "what": f"attached: {attachment.get_kind_display()}",
                       "who": "", "detail": f"{attachment.title_fr} (SHA-256 {attachment.sha256[:12]}…)"})
    for entry in AuditEntry.objects.filter(plan=plan).select_related("user"):
        events.append({"when": entry.at, "what": f"layers: {entry.get_action_display()}",
                       "who": entry.user.get_username() if entry.user else "", "detail": _audit_detail(entry)})
    return sorted(events, key=lambda e: e["when"])


def _audit_detail(entry):
    parts = [f"{entry.get_target_display()}" if entry.target else "",
             f"revision {entry.revision}" if entry.revision else "",
             f"{entry.feature_count} features" if entry.feature_count is not None else ""]
    return ", ".join(p for p in parts if p)
