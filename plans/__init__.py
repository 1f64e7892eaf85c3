"""The law: the data model (models/), its vocabulary (the one FR/AR source of zone families and colours, servitude
kinds, uses), CRSs, land titles, outlines as people send them, data versions and selectors (one parcel_by_title,
one agency matching; "in force on a date" is the SQL function plan_in_force used by the ORM and the views).

May import: the ground floor (geoportal.core) only. The feature slices note/ and extracts/ live here too but
stand a floor higher (they may import the law and the shared services, and nothing of each other).
"""
