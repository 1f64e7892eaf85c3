"""List the OGC API collections, or publish / unpublish one (seen by every worker at once)."""
from django.core.management.base import BaseCommand, CommandError

from geoportal.core.errors import NotFound
from layers.serving.registry import LAYERS, published_layers, set_published


class Command(BaseCommand):
    help = "List the OGC API collections (/ogc/), or publish or unpublish one."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("list", "publish", "unpublish"))
        parser.add_argument("collection", nargs="?", help="collection id, e.g. parcels")

    def handle(self, action, collection=None, **options):
        if action != "list":
            if not collection:
                raise CommandError(f"{action}: name the collection, e.g. `manage.py ogc_layers {action} parcels`")
            try:
                set_published(collection, action == "publish")
            except NotFound as exc:
                raise CommandError(f"{exc.description}; known: {', '.join(layer.id for layer in LAYERS)}") from None
        served = published_layers()
        for layer in LAYERS:
            state = "published" if layer.id in served else "not served"
            self.stdout.write(f"{layer.id:20} {state:11} {layer.title_fr}")
