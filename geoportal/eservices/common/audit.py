"""Record every state change of an e-service item in one place."""
from .models import AuditEvent


def record(agency, item_type, item_ref, action, *, from_state="", to_state="", actor=None, actor_label="",
           **detail):
    """Write one AuditEvent; `actor` is a user (ignored when anonymous), `actor_label` names a non-user actor."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        agency=agency, item_type=item_type, item_ref=item_ref, action=action, from_state=from_state or "",
        to_state=to_state or "", actor=user, actor_label=actor_label or ("" if user else "citoyen"), detail=detail,
    )


def history(item_type, item_ref):
    return AuditEvent.objects.filter(item_type=item_type, item_ref=item_ref).order_by("at", "pk")
