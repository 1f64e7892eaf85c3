"""HTTP API routes under /api/."""
urlpatterns = []
