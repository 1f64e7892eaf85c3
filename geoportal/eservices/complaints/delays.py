"""Delays per service: how many complaints are open, overdue, answered, and how long answers take (days).

One grouped query in PostgreSQL per agency; complaints not yet routed are
reported under the service code "" (non affectées).
"""
from django.db.models import Avg, Count, F, Min, Q
from django.utils import timezone

from .models import OPEN_STATUSES, Complaint


def delays_per_service(agency, now=None):
    """[{service, name_fr, name_ar, open, overdue, answered, avg_answer_days, oldest_open_days}] for `agency`."""
    now = now or timezone.now()
    is_open = Q(status__in=OPEN_STATUSES)
    rows = (
        Complaint.objects.filter(agency=agency)
        .values("department__code", "department__name_fr", "department__name_ar")
        .annotate(
            open=Count("pk", filter=is_open),
            overdue=Count("pk", filter=is_open & Q(due_at__lt=now)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            avg_answer=Avg(F("answered_at") - F("created_at"), filter=Q(answered_at__isnull=False)),
            oldest_open=Min("created_at", filter=is_open),
        )
        .order_by("-overdue", "department__code")
    )
    return [
        {
            "service": row["department__code"] or "",
            "name_fr": row["department__name_fr"] or "Non affectées",
            "name_ar": row["department__name_ar"] or "غير موجهة",
            "open": row["open"],
            "overdue": row["overdue"],
            "answered": row["answered"],
            "avg_answer_days": round(row["avg_answer"].total_seconds() / 86400, 1) if row["avg_answer"] else None,
            "oldest_open_days": (now - row["oldest_open"]).days if row["oldest_open"] else None,
        }
        for row in rows
    ]


def overdue_items(agency, now=None):
    """Open complaints past their due date, oldest first (number, service, due date)."""
    now = now or timezone.now()
    return (Complaint.objects.filter(agency=agency, status__in=OPEN_STATUSES, due_at__lt=now)
            .select_related("department").order_by("due_at"))
