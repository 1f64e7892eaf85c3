"""prestations-e: fee schedules per agency and service, invoices with QR codes, payment providers, the note gate."""
