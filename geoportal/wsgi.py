import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
application = get_wsgi_application()


def _refuse_privileged_role():
    """With DEBUG off, a server whose database role is a superuser or owns the tables does not start
    (or, when the database is down at start, refuses its first connection)."""
    from django.conf import settings
    from django.db import OperationalError, connection
    from django.db.backends.signals import connection_created

    from geoportal.dbroles import check_least_privilege

    if settings.DEBUG:
        return
    try:
        check_least_privilege(connection)
    except OperationalError:
        def check_once(sender, connection, **kwargs):
            connection_created.disconnect(check_once)
            check_least_privilege(connection)

        connection_created.connect(check_once, weak=False)
    finally:
        connection.close()  # each gunicorn worker opens its own


_refuse_privileged_role()
