"""The audit log of publishing: every upload, validation, publish and rollback, with who and when."""
from layers.records import AuditEntry


def record(action, user, agency, *, plan=None, upload=None, target="", revision=None, feature_count=None,
           sha256="", **detail):
    """Write one audit entry (the user may be None for system jobs)."""
    return AuditEntry.objects.create(
        action=action, user=user if user is not None and user.is_authenticated else None, agency=agency, plan=plan,
        upload=upload, target=target or (upload.target if upload else ""), revision=revision,
        feature_count=feature_count, sha256=sha256 or (upload.sha256 if upload else ""), detail=detail)
