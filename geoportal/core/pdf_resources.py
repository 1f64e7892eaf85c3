"""What WeasyPrint may fetch while it renders a PDF (a note, a plan extract): data: URIs, nothing else.

Everything a PDF shows is in its HTML (text escaped by the templates, maps
as inline SVG, QR codes as data: URIs, fonts from fontconfig). Should a
published value ever reach the HTML as markup, an <img> or a stylesheet
pointing at a local file (file:///etc/passwd) or at another server would
still be refused here, by WeasyPrint's own protocol filter.
"""


def data_only():
    """A WeasyPrint url_fetcher that serves data: URIs and refuses every other URL."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
