"""manage.py purge_expired [--dry-run]: remove expired extract files and layer staging tables (never notes)."""
from django.core.management.base import BaseCommand
from tqdm import tqdm

from geoportal.housekeeping import expired_items, purge_expired


class Command(BaseCommand):
    help = ("Remove background extract files older than EXTRACT_RETENTION_HOURS and the staging tables and work "
            "folders of uploads published, failed or abandoned more than LAYERS_STAGING_RETENTION_DAYS ago. "
            "Issued urbanism notes and their PDFs are never removed.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be removed, remove nothing")

    def handle(self, *args, dry_run, verbosity, **options):
        with tqdm(total=expired_items(), desc="purge", unit="item", disable=verbosity == 0) as bar:
            report = purge_expired(dry_run=dry_run, progress=bar.update)
        lines = report.lines()
        for line in lines if verbosity > 1 or dry_run else lines[:1]:
            self.stdout.write(line)
