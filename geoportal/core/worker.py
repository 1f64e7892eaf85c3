"""The job worker that outlives a Redis outage: `manage.py rqworker` uses it (settings.RQ["WORKER_CLASS"]).

RQ 3.0's worker retries Redis only while it waits for a job. When Redis goes away while a job runs, the worker's
heartbeat raises and the worker quits: its work horse goes on as an orphan, the job stays "started" until its
heartbeat expires (≈ 90 s), and the worker's entry lingers as a "busy" ghost (worker_ttl, 420 s). Here every Redis
call of the worker's own bookkeeping (heartbeats, state, the record of a job's end) waits for Redis instead, for at
most REDIS_OUTAGE_SECONDS, so that after a Redis restart the same worker records the job it was running and takes
the next one. The job itself never needed Redis: its work goes on meanwhile (extracts and imports keep their state
in PostgreSQL).

Written here rather than taken from a library: neither RQ nor django-rq ships such a worker; the methods
overridden are RQ 3.0's (pinned in pyproject.toml).
"""
import ctypes
import logging
import os
import signal
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.job import JobStatus
from rq.worker import Worker

log = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
# How long (seconds) a worker waits for Redis before it gives up and lets supervisord start it again.
REDIS_OUTAGE_SECONDS = float(os.environ.get("WORKER_REDIS_OUTAGE_SECONDS", "600"))
_RETRY_FIRST_S, _RETRY_MAX_S = 0.5, 5.0

__all__ = ["ResilientWorker", "REDIS_OUTAGE_SECONDS"]


class ResilientWorker(Worker):
    """An RQ fork-per-job worker whose bookkeeping waits for Redis rather than dying with it."""

    def _until_redis_answers(self, what, call):
        """call() again, with backoff, while Redis is unreachable; raises once REDIS_OUTAGE_SECONDS have passed."""
        deadline, pause = time.monotonic() + REDIS_OUTAGE_SECONDS, _RETRY_FIRST_S
        while True:
            try:
                return call()
            except REDIS_DOWN as exc:
                if time.monotonic() + pause > deadline:
                    log.error("worker %s: Redis unreachable for %.0f s while %s (%s); giving up", self.name,
                              REDIS_OUTAGE_SECONDS, what, exc)
                    raise
                log.warning("worker %s: Redis unreachable while %s (%s); trying again in %.1f s", self.name, what,
                            exc, pause)
                time.sleep(pause)
                pause = min(pause * 2, _RETRY_MAX_S)

    # While the horse runs: a missed heartbeat is only late. The next one, 30 s on, renews every TTL.
    def maintain_heartbeats(self, job, execution):
        try:
            super().maintain_heartbeats(job, execution)
        except REDIS_DOWN as exc:
            log.warning("worker %s: heartbeat of job %s missed, Redis unreachable (%s); the job goes on", self.name,
                        job.id, exc)

    def heartbeat(self, timeout=None, pipeline=None):
        if pipeline is not None:  # a pipeline only buffers: its execute() is what may fail, and is guarded there
            return super().heartbeat(timeout, pipeline=pipeline)
        return self._until_redis_answers("sending its heartbeat",
                                         lambda: super(ResilientWorker, self).heartbeat(timeout))

    def set_state(self, state, pipeline=None):
        if pipeline is not None:
            return super().set_state(state, pipeline=pipeline)
        return self._until_redis_answers(f"recording its state {state!r}",
                                         lambda: super(ResilientWorker, self).set_state(state))

    def check_for_suspension(self, burst):
        return self._until_redis_answers("checking for `rq suspend`",
                                         lambda: super(ResilientWorker, self).check_for_suspension(burst))

    def run_maintenance_tasks(self):
        try:
            super().run_maintenance_tasks()
        except REDIS_DOWN as exc:  # cleaning registries can wait for the next round
            log.warning("worker %s: registry maintenance skipped, Redis unreachable (%s)", self.name, exc)

    def prepare_execution(self, job):
        return self._until_redis_answers(f"starting job {job.id}",
                                         lambda: super(ResilientWorker, self).prepare_execution(job))

    # The horse, once the job's function has returned or raised: its end is recorded when Redis is back, never
    # turned into a failure of the job because the record could not be written at once.
    def handle_execution_ended(self, job, queue, heartbeat_ttl):
        return self._until_redis_answers(f"recording the end of job {job.id}",
                                         lambda: super(ResilientWorker, self).handle_execution_ended(
                                             job, queue, heartbeat_ttl))

    def handle_job_success(self, job, queue, started_job_registry, execution):
        return self._until_redis_answers(f"recording the success of job {job.id}",
                                         lambda: super(ResilientWorker, self).handle_job_success(
                                             job, queue, started_job_registry, execution))

    def handle_job_failure(self, job, queue, started_job_registry=None, exc_string="", execution=None):
        return self._until_redis_answers(f"recording the failure of job {job.id}",
                                         lambda: super(ResilientWorker, self).handle_job_failure(
                                             job, queue, started_job_registry, exc_string, execution))

    def monitor_work_horse(self, job, queue, execution):
        try:
            super().monitor_work_horse(job, queue, execution)
        except REDIS_DOWN:
            if self._horse_pid:  # still running: cannot come from the guarded heartbeats, so not ours to hide
                raise
            # The horse ended abnormally and RQ could not read the job's status: record its end as RQ would.
            self._until_redis_answers(f"recording how job {job.id} ended", lambda: self._record_abnormal_end(
                job, queue, execution))

    def main_work_horse(self, job, queue):
        # A horse never outlives its worker: killed with it (kill -9, supervisord's stop), rather than left running
        # a job nobody will record, with its database connection, in a process group of its own (seen: an orphan
        # horse of a stopped cluster ran for 22 min).
        _die_with_parent()
        return super().main_work_horse(job, queue)

    def _record_abnormal_end(self, job, queue, execution):
        if job.get_status() not in (JobStatus.FINISHED, JobStatus.FAILED):
            super().handle_job_failure(job, queue=queue, execution=execution,
                                       exc_string="the work horse ended while Redis was unreachable")


_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """Ask Linux to SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG); no-op elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the call: nothing would signal us
        os._exit(1)
