"""Agency staff: who works for which agency (Membership), and THE role checks (roles) for publishing and e-services.

May import: the law (plans.models) and the ground floor.
"""
