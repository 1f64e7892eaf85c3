"""Text of a PDF for the search index, by poppler's pdftotext (installed by geoportal/bin/setup-system.sh)."""
import subprocess

from geoportal.core.errors import InvalidParameter

# The search index needs words, not the whole of a 500-page code.
MAX_CHARS = 500_000


def pdf_text(path):
    """UTF-8 text of the PDF at `path`; a PDF poppler cannot read is refused with poppler's reason."""
    try:
        result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
    except FileNotFoundError:
        raise RuntimeError("pdftotext is missing: install poppler-utils (geoportal/bin/setup-system.sh)") from None
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["unreadable"]
        raise InvalidParameter(f"the PDF cannot be read ({reason[0]}); upload a valid PDF.", "file")
    return result.stdout.decode("utf-8", errors="replace")[:MAX_CHARS]
