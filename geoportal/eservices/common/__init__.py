"""Shared pieces of the e-services: staff membership, audit trail, uploads, QR codes, numbering."""
