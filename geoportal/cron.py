"""Scheduled jobs, for `manage.py rqcron geoportal/cron.py` (beside `manage.py rqworker default`).

Without an RQ cron process, run `manage.py purge_expired` from cron instead:
    15 3 * * *  cd /srv/geoportal && .venv/bin/python manage.py purge_expired --verbosity 0
"""
from rq import cron

from geoportal.housekeeping import run_scheduled

# Every day at 03:15 (server time): extract files, staging tables and work folders past their retention.
cron.register(run_scheduled, queue_name="default", cron="15 3 * * *", name="purge_expired")
