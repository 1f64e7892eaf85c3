"""The project: settings, the URL map, start-up safety (GDAL guard, database roles, grants), cross-app commands.

Floors, bottom to top (pyproject.toml [tool.importlinter]): core/ (the ground floor), then the law (plans/),
staff/, the shared services, the feature slices (eservices/ among them) and the edge (urls, request_guard,
housekeeping, cron, management/), which may import every floor. Its own modules are the edge.
"""
