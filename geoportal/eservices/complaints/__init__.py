"""requête-e: citizens' complaints and requests, routed to a service and answered with reasons."""
