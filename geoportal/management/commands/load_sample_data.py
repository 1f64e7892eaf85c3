"""manage.py load_sample_data [--parcels N] [--seed S] [--force]"""
import resource
import time

from django.core.management.base import BaseCommand, CommandError

from data import generator, loader


MAX_PARCELS = 10_000_000  # about the country's land titles (bench `10m`)


def peak_memory_mib():
    """Peak resident memory of this process so far, MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = ("Generate the deterministic sample plans (Tétouan, Guelmim) and load them into PostGIS. "
            "Re-running with the same options does nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--parcels", type=int, default=generator.DEFAULT_PARCELS,
                            help="parcels in the Tétouan district (default %(default)s; up to 10,000,000)")
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED)
        parser.add_argument("--force", action="store_true", help="reload even if this dataset is already loaded")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, parcels, seed, force, no_progress, **options):
        if not 100 <= parcels <= MAX_PARCELS:
            raise CommandError(f"--parcels {parcels}: choose between 100 and {MAX_PARCELS:,}")
        started = time.monotonic()
        if not force and loader.is_loaded(generator.fingerprint(parcels, seed)):
            # Checked before generating: a million parcels take about a minute to generate.
            self.stdout.write(f"sample data {generator.fingerprint(parcels, seed)} already loaded; nothing to do "
                              "(use --force to reload)")
            return
        self.stdout.write(f"Generating sample data: {parcels} parcels, seed {seed}…")
        dataset = generator.generate(parcels=parcels, seed=seed)
        written = loader.load(dataset, force=force, progress=not no_progress, stdout=self.stdout)
        if written:
            self.stdout.write(self.style.SUCCESS(
                f"Loaded {dataset.fingerprint} in {time.monotonic() - started:.1f} s, "
                f"peak memory {peak_memory_mib():.0f} MiB"))
