"""manage.py reglement export|import: a plan's règlement as JSON or CSV, one row per provision.

  manage.py reglement export --plan PA-TETOUAN-CENTRE [--plan-version 2] [--format csv] [--output FILE]
  manage.py reglement import --plan PA-TETOUAN-CENTRE [--plan-version 2] FILE   (format from the file's extension)

An import replaces the provisions of every zone the file names, all or nothing; its errors name the line and
the provision (plans.reglement.interchange).
"""
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from plans.models import PlanDocument
from plans.reglement import interchange


class Command(BaseCommand):
    help = "Export or import a plan's règlement (provisions) as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("export", "import"))
        parser.add_argument("file", nargs="?", help="the file to import (.json or .csv)")
        parser.add_argument("--plan", required=True, help="plan reference, e.g. PA-TETOUAN-CENTRE")
        parser.add_argument("--plan-version", dest="plan_version", type=int, help="plan version (default: the latest)")
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument("--output", help="write the export to this file instead of standard output")

    def handle(self, *args, **options):
        plans = PlanDocument.objects.filter(reference=options["plan"]).defer("perimeter").order_by("-version")
        if options["plan_version"]:
            plans = plans.filter(version=options["plan_version"])
        plan = plans.first()
        if plan is None:
            known = ", ".join(sorted(set(PlanDocument.objects.values_list("reference", flat=True)))[:10])
            raise CommandError(f"no plan {options['plan']!r}" + (f" v{options['version']}" if options["plan_version"]
                                                                 else "") + f"; known plans: {known}")
        if options["action"] == "export":
            text = interchange.to_csv(plan) if options["format"] == "csv" else interchange.to_json(plan)
            if options["output"]:
                Path(options["output"]).write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return
        if not options["file"]:
            raise CommandError("give the file to import: manage.py reglement import --plan REF FILE.csv")
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        try:
            rows = interchange.read(path.read_bytes(), fmt)
            counts = interchange.import_rows(plan, rows)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from None
        except ValidationError as exc:
            raise CommandError(f"{path}: nothing imported:\n  " + "\n  ".join(exc.messages)) from None
        self.stdout.write(f"{plan.reference} v{plan.version}: {sum(counts.values())} provisions in "
                          f"{len(counts)} zones ({', '.join(sorted(counts))})")
