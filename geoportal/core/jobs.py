"""Background jobs: one way to queue work on RQ (Redis), for every feature.

`func` is a callable or its dotted path (a path lets a module queue a job whose module imports it).
QueueUnavailable is what a caller catches when Redis cannot be reached (it then renders inline, or says so).
"""
import django_rq
from redis.exceptions import RedisError as QueueUnavailable
from rq.exceptions import NoSuchJobError
from rq.job import Job

QUEUE = "default"

__all__ = ["QUEUE", "QueueUnavailable", "enqueue", "fetch", "replace", "submit"]


def enqueue(func, *args, job_id=None, **options):
    """Queue `func(*args)` on the default queue; `options` are RQ's (ttl, result_ttl, job_timeout…)."""
    return django_rq.get_queue(QUEUE).enqueue(func, *args, job_id=job_id, **options)


def fetch(job_id):
    """The RQ job `job_id`, or None when the queue does not know it (QueueUnavailable without Redis)."""
    try:
        return Job.fetch(job_id, connection=django_rq.get_connection(QUEUE))
    except NoSuchJobError:
        return None


def replace(func, *args, job_id, **options):
    """Job `job_id` for `func(*args)`, saved but not queued yet (submit() queues it), once the earlier job of that
    id is deleted with its registry entries: nothing then mistakes the earlier attempt (say, started by a worker
    since killed) for this one — neither a status check nor RQ's cleanup of abandoned jobs."""
    queue = django_rq.get_queue(QUEUE)
    earlier = fetch(job_id)
    if earlier is not None:
        earlier.delete()
    job = queue.create_job(func, args=args, job_id=job_id, **options)
    job.save()
    return job


def submit(job):
    """Queue `job`, made by replace()."""
    return django_rq.get_queue(QUEUE).enqueue_job(job)
