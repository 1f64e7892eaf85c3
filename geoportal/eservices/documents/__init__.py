"""document-e: the agency's documents and the laws, searchable in French and Arabic, each with a QR code."""
