#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    from geoportal.dbroles import role_for_command

    # migrate, flush and load_sample_data connect as the owner, everything else as the app (geoportal/dbroles.py).
    os.environ["DATABASE_ROLE"] = role_for_command(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
