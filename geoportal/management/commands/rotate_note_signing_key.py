"""manage.py rotate_note_signing_key [--env-file PATH]: a new note signing key; the current one retires.

Run it in the server's environment (or give the server's environment file):
it reads NOTE_SIGNING_KEY and NOTE_SIGNING_RETIRED_KEYS (those the file sets
win), makes a new random
key, and prints (or writes into the file, mode 0600) the two values to set.
Then restart the app and its workers: new notes are signed with the new key,
and every note issued before still verifies with its retired key. It refuses
when notes in the database carry a key id that the new configuration would
not hold (typically: run in a shell without the server's keys).
"""
import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plans.models import IssuedNote
from plans.note.signing import current_key, key_ring

NAMES = ("NOTE_SIGNING_KEY", "NOTE_SIGNING_RETIRED_KEYS")


def read_env_file(path):
    """{name: value} of the KEY=VALUE lines of an environment file (comments and blank lines skipped)."""
    values = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and not name.startswith("#"):
            values[name.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def write_env_file(path, values):
    """Set `values` in the environment file at `path` (other lines kept), atomically, readable by its owner only."""
    lines = path.read_text().splitlines() if path.exists() else []
    kept = [line for line in lines if line.strip().partition("=")[0].removeprefix("export ").strip() not in values]
    text = "\n".join(kept + [f"{name}={value}" for name, value in values.items()]) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # created with mode 0600
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.replace(tmp, path)


class Command(BaseCommand):
    help = ("Generate a new signing key for urbanism notes and retire the current one, which keeps verifying "
            "the notes it signed. Prints the NOTE_SIGNING_KEY and NOTE_SIGNING_RETIRED_KEYS to set, or writes "
            "them into --env-file; then restart the app and the workers.")

    def add_arguments(self, parser):
        parser.add_argument("--env-file", type=Path,
                            help="the server's environment file (outside the repository): read, then updated")
        parser.add_argument("--drop-unknown-keys", action="store_true",
                            help="proceed although notes in the database carry key ids the new keys do not hold")

    def handle(self, *args, env_file=None, drop_unknown_keys=False, **options):
        env_file = env_file.resolve() if env_file else None
        current, retired = self._configuration(env_file)
        new = secrets.token_urlsafe(48)
        retired = list(dict.fromkeys(([current] if current else []) + retired))
        new_id, ring = current_key(new).id, key_ring(new, retired)
        used = set(IssuedNote.objects.exclude(key_id="").values_list("key_id", flat=True).distinct())
        lost = sorted(used - set(ring))
        if lost and not drop_unknown_keys:
            raise CommandError(
                f"notes in the database are signed with key ids {', '.join(lost)}, which neither this environment's "
                "NOTE_SIGNING_KEY, NOTE_SIGNING_RETIRED_KEYS nor SECRET_KEY(_FALLBACKS) hold: they would look forged. "
                "Run this command in the server's environment, or give its --env-file.")
        values = {"NOTE_SIGNING_KEY": new, "NOTE_SIGNING_RETIRED_KEYS": ",".join(retired)}
        retired_ids = [key.id for key in ring.values() if key.id != new_id]
        self.stdout.write(f"New note signing key {new_id}; notes signed with {', '.join(retired_ids) or '-'} "
                          "keep verifying.")
        if env_file:
            write_env_file(env_file, values)
            self.stdout.write(f"Written to {env_file} (mode 0600). Restart the app and the job workers.")
        else:
            self.stdout.write("Set in the server's environment, then restart the app and the job workers:")
            for name, value in values.items():
                self.stdout.write(f"{name}={value}")
        if not current:
            self.stdout.write("The notes signed so far used the key derived from SECRET_KEY: keep that SECRET_KEY, "
                              "or list it in SECRET_KEY_FALLBACKS, for them to keep verifying.")

    @staticmethod
    def _configuration(env_file):
        """(current key or "", [retired keys]): the settings', replaced by what `env_file` sets, when given."""
        values = {NAMES[0]: settings.NOTE_SIGNING_KEY, NAMES[1]: ",".join(settings.NOTE_SIGNING_RETIRED_KEYS)}
        if env_file is not None:
            if env_file.is_relative_to(settings.BASE_DIR):
                raise CommandError(f"{env_file} is inside the repository, where keys could be committed: "
                                   "keep the environment file elsewhere (e.g. /etc/geoportal/env)")
            if env_file.exists():
                values.update({k: v for k, v in read_env_file(env_file).items() if k in NAMES})
        return values[NAMES[0]], [k.strip() for k in values[NAMES[1]].split(",") if k.strip()]
