"""Watching land: anyone subscribes an e-mail address to parcels or a drawn area and is told when a public
inquiry opens there, when a new version of a plan comes into force there and when a version is superseded there
(double opt-in; one-click unsubscribe in every mail, RFC 8058 List-Unsubscribe).

subscribe() records an unconfirmed Watch and queues the confirmation mail; confirm() and unsubscribe() read
signed tokens (django.core.signing, salted per use: nothing secret is stored). notify_open_inquiries() (run
daily by `manage.py inquiry_notify`, or by RQ cron) tells every confirmed watch an open inquiry touches, once
per inquiry; notify_plan_news() tells, by the plans' dates, of versions whose date of effect or supersession
falls between the watch's confirmation and today, once per (watch, plan, kind) (WatchNotice). Mails are RQ jobs sent through Django's e-mail backend (plans.inquiry.mail.queue).
"""
from urllib.parse import quote, urlencode

from django.contrib.gis.geos import GEOSGeometry
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

import shapely
from geoportal.core.errors import InvalidParameter, MissingParameter, NotFound
from geoportal.core.qr import site_root
from plans import outlines
from plans.models import PlanDocument
from plans.models.document import LEGAL_STATUSES
from plans.selectors import parcel_by_title

from . import mail
from .models import Watch, WatchNotice
from .register import _email

CONFIRM, UNSUBSCRIBE = "inquiry.watch.confirm", "inquiry.watch.unsubscribe"
CONFIRM_DAYS = 7
MAX_PARCELS = 20


def _land(data):
    titles = [t.strip() for t in str(data.get("parcels") or data.get("parcel") or "").split(",") if t.strip()]
    area = data.get("area")
    if bool(titles) == bool(area):
        raise MissingParameter("watch either parcels=TF 1/19,TF 2/19 or area= a GeoJSON or WKT polygon (lon/lat)",
                               "parcels")
    if titles:
        if len(titles) > MAX_PARCELS:
            raise InvalidParameter(f"at most {MAX_PARCELS} parcels per watch", "parcels")
        parcels = [parcel_by_title(t, data.get("agency") or None, "parcels") for t in titles]
        geom = parcels[0].geom
        for parcel in parcels[1:]:
            geom = geom.union(parcel.geom)
        return geom, ", ".join(p.title_number for p in parcels)
    shape = outlines.from_text(area, "area")
    if shape.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidParameter(f"area is a {shape.geom_type}; draw a Polygon", "area")
    geom = GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=4326)
    if not geom.valid:
        raise InvalidParameter(f"area is invalid ({geom.valid_reason}); redraw it", "area")
    return geom, ""


def subscribe(data, root=""):
    email = _email(data.get("email"), "email")
    if not email:
        raise MissingParameter("give the e-mail address to tell", "email")
    geom, titles = _land(data)
    watch = Watch.objects.create(email=email, geom=geom, parcels=titles, lang="ar" if data.get("lang") == "ar" else "fr")
    transaction.on_commit(lambda: mail.queue("plans.inquiry.watch.send_confirmation", watch.id, root))
    return watch


def token(watch, salt):
    return signing.dumps(watch.id, salt=salt)


def _watch(value, salt, max_age=None):
    try:
        watch_id = signing.loads(value, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidParameter("this confirmation link has expired; subscribe again", "token") from None
    except signing.BadSignature:
        raise InvalidParameter("this link is not one we sent", "token") from None
    watch = Watch.objects.filter(id=watch_id).first()
    if watch is None:
        raise NotFound("this watch no longer exists (already unsubscribed)", "token")
    return watch


def confirm(value):
    watch = _watch(value, CONFIRM, CONFIRM_DAYS * 86400)
    if watch.confirmed_at is None:
        watch.confirmed_at = timezone.now()
        watch.save(update_fields=["confirmed_at"])
    return watch


def unsubscribe(value):
    watch = _watch(value, UNSUBSCRIBE)
    watch.delete()
    return watch


def _send(watch, subject, body, root):
    link = f"{root}/enquete/veille/desinscrire/{token(watch, UNSUBSCRIBE)}"
    message = EmailMessage(subject, f"{body}\n\nSe désinscrire / إلغاء الاشتراك : {link}\n", to=[watch.email],
                           headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    return message.send()


def send_confirmation(watch_id, root=""):
    """Job: the double opt-in mail."""
    watch = Watch.objects.filter(id=watch_id).first()
    if watch is None:
        return 0
    link = f"{root}/enquete/veille/confirmer/{token(watch, CONFIRM)}"
    what = watch.parcels or "zone dessinée / المنطقة المرسومة"
    return _send(watch, "Confirmez votre veille / أكدوا اشتراككم",
                 f"Pour être averti(e) des enquêtes publiques sur : {what}\nconfirmez ici / أكدوا هنا : {link}", root)


def send_inquiry_open(watch_id, plan_id, root=""):
    """Job: an inquiry opened on a watched place."""
    watch, plan = Watch.objects.filter(id=watch_id).first(), PlanDocument.objects.get(id=plan_id)
    if watch is None:
        return 0
    return _send(watch, f"Enquête publique ouverte : {plan.title_fr} / بحث عمومي مفتوح",
                 f"Le projet {plan.title_fr} (v{plan.version}) est soumis à enquête publique du "
                 f"{plan.inquiry_start:%d/%m/%Y} au {plan.inquiry_end:%d/%m/%Y}.\n"
                 f"{plan.title_ar} : البحث العمومي مفتوح.\n"
                 f"Ce qu'il change / ما يتغير : {root}/api/changes?"
                 f"{urlencode({'parcel': watch.parcels} if watch.parcels else {'area': watch.geom.wkt})}\n"
                 f"{_links(watch, root)}", root)


def _links(watch, root):
    """The watched land on the map (the first parcel's deep link) and its note (the parcels' note form)."""
    if not watch.parcels:
        return f"Carte / الخريطة : {root}/"
    first = watch.parcels.split(",")[0].strip()
    return (f"Carte / الخريطة : {root}/parcel/{quote(first)}\n"
            f"Note de renseignements / مذكرة المعلومات : {root}/notes/new?{urlencode({'title': watch.parcels})}")


def _versions(plan):
    return f"{plan.title_fr} (v{plan.version}) / {plan.title_ar}"


def send_in_force(watch_id, plan_id, root=""):
    """Job: a new version of a plan came into force on a watched place (its date of effect reached)."""
    watch, plan = Watch.objects.filter(id=watch_id).first(), PlanDocument.objects.get(id=plan_id)
    if watch is None:
        return 0
    replaced = (f"Il remplace la version {plan.supersedes.version} / يعوض النسخة {plan.supersedes.version}.\n"
                if plan.supersedes_id else "")
    return _send(watch, f"Nouvelle version en vigueur : {plan.title_fr} / نسخة جديدة سارية المفعول",
                 f"{_versions(plan)}\nApprouvé ({plan.decree_reference}), en vigueur depuis le "
                 f"{plan.effective_date:%d/%m/%Y} / ساري المفعول منذ {plan.effective_date:%d/%m/%Y}.\n{replaced}"
                 f"{_links(watch, root)}", root)


def send_superseded(watch_id, plan_id, root=""):
    """Job: a version of a plan that covered a watched place was superseded (and no successor covers it)."""
    watch, plan = Watch.objects.filter(id=watch_id).first(), PlanDocument.objects.get(id=plan_id)
    if watch is None:
        return 0
    return _send(watch, f"Version remplacée : {plan.title_fr} / نسخة معوضة",
                 f"{_versions(plan)}\nn'est plus en vigueur depuis le {plan.superseded_on:%d/%m/%Y} : elle a été "
                 f"remplacée / لم تعد سارية المفعول منذ {plan.superseded_on:%d/%m/%Y}.\n{_links(watch, root)}", root)


def _tell(watch, plan, kind, job, root):
    """Record that `watch` is told of (`plan`, `kind`) and queue the mail after commit; False if told already."""
    try:
        with transaction.atomic():
            WatchNotice.objects.create(watch=watch, plan=plan, kind=kind)
    except IntegrityError:
        return False
    transaction.on_commit(lambda: mail.queue(f"plans.inquiry.watch.{job}", watch.id, plan.id, root))
    return True


def _watching(plan, day=None):
    """Confirmed watches `plan` touches; with `day`: only those confirmed on or before it (news, not history)."""
    watches = Watch.objects.filter(confirmed_at__isnull=False, geom__intersects=plan.perimeter)
    return watches.filter(confirmed_at__date__lte=day) if day else watches


def notify_open_inquiries(on=None, root=None):
    """Queue one mail per (confirmed watch, open inquiry touching it) not told yet; returns how many."""
    root = site_root() if root is None else root
    return sum(_tell(watch, plan, WatchNotice.Kind.INQUIRY_OPEN, "send_inquiry_open", root)
               for plan in PlanDocument.objects.under_inquiry(on or timezone.localdate())
               for watch in _watching(plan))


def notify_plan_news(on=None, root=None):
    """Queue the mails of versions come into force (date of effect ≤ `on`) or superseded (superseded_on ≤ `on`)
    on watched land since each watch was confirmed; once per (watch, plan, kind). Returns how many.

    A watch the successor covers is told of the new version (which names the one it replaces), not twice.
    """
    root = site_root() if root is None else root
    on = on or timezone.localdate()
    queued = 0
    legal = PlanDocument.objects.filter(status__in=LEGAL_STATUSES)
    for plan in legal.filter(effective_date__lte=on).select_related("supersedes"):
        queued += sum(_tell(watch, plan, WatchNotice.Kind.IN_FORCE, "send_in_force", root)
                      for watch in _watching(plan, day=plan.effective_date))
    for plan in legal.filter(superseded_on__lte=on).select_related("superseded_by"):
        watches = _watching(plan, day=plan.superseded_on)
        successor = getattr(plan, "superseded_by", None)
        if successor is not None and successor.effective_date and successor.effective_date <= on:
            watches = watches.exclude(geom__intersects=successor.perimeter)
        queued += sum(_tell(watch, plan, WatchNotice.Kind.SUPERSEDED, "send_superseded", root) for watch in watches)
    return queued
