"""Fixtures of the publishing tests: staff users with roles, files, and a real RQ queue on Redis."""
import django_rq
import pytest
from rq import SimpleWorker

from geoportal.staff import roles


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan_in_force(db):
    from plans.models import PlanDocument

    return PlanDocument.objects.get(reference="pa-tetouan-centre", status="approved")


def _user(django_user_model, name, agency, role):
    user = django_user_model.objects.create_user(name, password="x-secret-42")
    if role:
        roles.grant(user, agency, role)
    return user


@pytest.fixture
def publisher(django_user_model, aut):
    return _user(django_user_model, "pub-aut", aut, roles.PUBLISHER)


@pytest.fixture
def editor(django_user_model, aut):
    return _user(django_user_model, "edit-aut", aut, roles.EDITOR)


@pytest.fixture
def guelmim_publisher(django_user_model, aug):
    return _user(django_user_model, "pub-aug", aug, roles.PUBLISHER)


@pytest.fixture
def queue():
    """The real "default" RQ queue on Redis, emptied; run_jobs() works it off in this process."""
    q = django_rq.get_queue("default")
    q.empty()
    yield q
    q.empty()


@pytest.fixture
def run_jobs(queue):
    """Run the queued jobs with a real RQ worker in this process (sees this test's transaction)."""
    def run():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    return run


class FileArg:
    """An open file with .size, as Django's UploadedFile offers it to layers.publishing.uploads.receive."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        self.handle = open(self.path, "rb")
        self.handle.size = self.path.stat().st_size
        return self.handle

    def __exit__(self, *exc):
        self.handle.close()


@pytest.fixture
def receive():
    """receive(user, agency, target, path, **options): layers.publishing.uploads.receive on a file on disk."""
    from layers.publishing import uploads

    def call(user, agency, target, path, **options):
        with FileArg(path) as handle:
            return uploads.receive(user, agency, target, handle, path.name, **options)
    return call
