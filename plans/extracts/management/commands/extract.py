"""manage.py extract --parcel "TF 12345/19" --format dxf [-o FILE] [--margin M] [--layers …] [--background]"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geoportal.core.errors import ApiError
from plans.extracts import service
from plans.extracts.layers import LAYERS
from plans.extracts.request import ExtractRequest
from plans.extracts.writers import FORMATS

OPTIONS = ("parcel", "agency", "polygon", "bbox", "area-crs", "margin", "layers", "format", "crs", "clip", "plan",
           "date", "paper", "orientation", "scale", "lang")


class Command(BaseCommand):
    help = ("Extract the approved plan in force around a parcel or an area, as GeoPackage, Shapefile, GeoJSON, "
            "DXF, PDF or GeoTIFF (the same parameters as GET /api/extracts). Logged like API extracts.")

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        for name in OPTIONS:
            if name != "format":
                parser.add_argument(f"--{name}")
        parser.add_argument("-o", "--output", help="file to write (default: the extract's own name, here)")
        parser.add_argument("--background", action="store_true",
                            help="queue the extract on RQ (a worker writes it) and print its id")
        parser.epilog = "layers: " + ", ".join(LAYERS)

    def handle(self, *args, **options):
        params = {name: options[name.replace("-", "_")] for name in OPTIONS if options[name.replace("-", "_")]}
        steps = tqdm(total=3, desc="extract", unit="step", disable=options["verbosity"] == 0)
        try:
            request = ExtractRequest.from_params(params)
            steps.set_postfix_str("resolving the area")
            extract, counts = service.prepare(request)
            steps.update()
            steps.set_postfix_str(", ".join(f"{n}: {c}" for n, c in counts.items()) or "writing")
            outcome = service.run(request, channel="cli", background=True if options["background"] else None,
                                  prepared=(extract, counts))
            steps.update()
        except ApiError as exc:
            steps.close()
            raise CommandError(exc.description) from None
        if outcome.content is None:
            steps.close()
            self.stdout.write(f"extract {outcome.log.id} queued; run `manage.py rqworker default` to make it")
            return
        path = Path(options["output"] or outcome.filename)
        path.write_bytes(outcome.content)
        steps.update()
        steps.close()
        self.stdout.write(self.style.SUCCESS(f"{path} ({len(outcome.content):,} bytes, extract {outcome.log.id})"))
