"""E-mails of the public inquiry, sent as background jobs (RQ) through Django's e-mail backend.

queue_answer(observation id) queues send_answer, which tells the author and every co-signer with an e-mail
address that the observation is answered, in French and Arabic, with the answer. When the queue cannot be
reached the mail is sent inline (the answer is already saved; nobody must miss it). Addresses are never logged.
"""
import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.module_loading import import_string

from geoportal.core import jobs

log = logging.getLogger(__name__)


def queue(func, *args):
    try:
        jobs.enqueue(func, *args, result_ttl=0)
    except jobs.QueueUnavailable as exc:
        log.warning("inquiry mail not queued (%s): sent inline", exc)
        (import_string(func) if isinstance(func, str) else func)(*args)


def queue_answer(observation_id):
    queue("plans.inquiry.mail.send_answer", observation_id)


def send_answer(observation_id):
    """Job: the answer to observation `observation_id`, to its author and co-signers. Returns mails sent."""
    from .models import Observation

    observation = Observation.objects.select_related("inquiry__plan", "group").get(id=observation_id)
    plan = observation.inquiry.plan
    recipients = [observation.author_email] + [c.email for c in observation.cosignatures.all()]
    recipients = list(dict.fromkeys(address for address in recipients if address))
    subject = f"[{observation.number}] Réponse à votre observation / الرد على ملاحظتكم"
    body = (f"Enquête publique : {plan.title_fr} (v{plan.version})\n"
            f"البحث العمومي : {plan.title_ar}\n\n"
            f"Observation {observation.number}\n\n"
            f"Réponse motivée / الرد المعلل :\n{observation.reasoned_answer}\n")
    sent = send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients])
    log.info("inquiry answer to %s: %d mail(s)", observation.number, sent)
    return sent
