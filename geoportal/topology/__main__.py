"""python -m geoportal.topology start [--parcels N] | stop | status (make cluster, cluster-stop, cluster-status)."""
import argparse
import os
import sys

import django


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m geoportal.topology", description=__doc__)
    parser.add_argument("action", choices=("start", "stop", "status"))
    parser.add_argument("--parcels", type=int, default=int(os.environ.get("PARCELS", "6000")),
                        help="sample parcels loaded on first start (0: none)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    django.setup()
    from .control import start, status, stop
    from .layout import default_layout

    layout = default_layout()
    try:
        if args.action == "start":
            start(layout, parcels=args.parcels)
            print(status(layout))
            print(f"\ngeoportal cluster: {layout.base_url}/  (stop: make cluster-stop)")
        elif args.action == "stop":
            stop(layout)
            print("geoportal cluster stopped")
        else:
            print(status(layout))
    except (RuntimeError, OSError) as exc:
        sys.exit(f"cluster {args.action}: {exc}")


if __name__ == "__main__":
    main()
