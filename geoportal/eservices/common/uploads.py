"""The e-services' attachment checks: the ground floor's (geoportal/core/attachments.py), named here for the
e-services modules and their frozen migrations."""
from geoportal.core.attachments import ALLOWED, DOCUMENT_TYPES, CheckedFile, check_file, check_files, max_bytes

__all__ = ["ALLOWED", "DOCUMENT_TYPES", "CheckedFile", "check_file", "check_files", "max_bytes"]
