"""Tell watchers of the inquiries open today and of plan versions come into force or superseded on their land
(run daily from cron, beside `manage.py rqworker default`)."""
from django.core.management.base import BaseCommand
from django.db import transaction

from plans.inquiry.watch import notify_open_inquiries, notify_plan_news


class Command(BaseCommand):
    help = ("Queue the e-mails of confirmed watches: a public inquiry open, a new version in force, a version "
            "superseded; once per watch, plan and kind.")

    def handle(self, *args, **options):
        with transaction.atomic():
            opened = notify_open_inquiries()
            news = notify_plan_news()
        self.stdout.write(f"{opened + news} e-mail(s) queued ({opened} inquiry open, {news} plan versions)")
