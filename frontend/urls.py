"""Public pages."""
urlpatterns = []
