"""Tell watchers of the inquiries open today (run daily from cron, beside `manage.py rqworker default`)."""
from django.core.management.base import BaseCommand
from django.db import transaction

from plans.inquiry.watch import notify_open_inquiries


class Command(BaseCommand):
    help = "Queue the 'public inquiry open' e-mails of confirmed watches, once per inquiry."

    def handle(self, *args, **options):
        with transaction.atomic():
            queued = notify_open_inquiries()
        self.stdout.write(f"{queued} e-mail(s) queued")
