"""python -m geoportal.topology start [--parcels N] | stop | status (make cluster, cluster-stop, cluster-status).

`nginx-conf --upstream HOST:PORT … --listen ADDRESS:PORT --root DIR` prints the proxy's configuration for other
hosts (docker/compose.yaml), generated from the same settings.
"""
from pathlib import Path
import argparse
import os
import sys

import django


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m geoportal.topology", description=__doc__)
    parser.add_argument("action", choices=("start", "stop", "status", "nginx-conf"))
    parser.add_argument("--upstream", action="append", help="nginx-conf: an app replica, host:port (repeat)")
    parser.add_argument("--listen", help="nginx-conf: the address:port nginx listens on")
    parser.add_argument("--root", help="nginx-conf: nginx's folder for pid, logs and temporary bodies")
    parser.add_argument("--parcels", type=int, default=int(os.environ.get("PARCELS", "6000")),
                        help="sample parcels loaded on first start (0: none)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    django.setup()
    from .control import start, status, stop
    from .layout import default_layout

    layout = default_layout()
    if args.action == "nginx-conf":
        from dataclasses import replace

        from .render import nginx_conf

        print(nginx_conf(replace(layout, root=Path(args.root)) if args.root else layout, args.upstream, args.listen))
        return
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
