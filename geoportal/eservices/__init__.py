"""The agencies' e-services beyond maps and notes (issue #10).

Sub-apps, each with its models, services, views, templates, admin and tests:

- common: agency scoping of staff (staff.Membership, services role), the audit trail of
  every state change, attachment checks, QR codes, tracking numbers, FR/AR labels;
- complaints: requête-e, complaints and requests with tracking number + secret;
- permits: permit files, building-commission sessions and their decisions;
- documents: document-e, the agency's documents and the laws, full-text search;
- fees: prestations-e, fee schedules, invoices and the payment-provider interface.

Public pages live under /services/…, JSON APIs under /api/services/….

A feature slice. May import: staff, the law and the ground floor; never another slice.
"""
