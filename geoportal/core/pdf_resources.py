"""What WeasyPrint may fetch while it renders a PDF (a note, a plan extract, an inquiry register): data: URIs,
nothing else; and the fonts it shapes with, loaded once per thread.

Everything a PDF shows is in its HTML (text escaped by the templates, maps
as inline SVG, QR codes as data: URIs, fonts from fontconfig). Should a
published value ever reach the HTML as markup, an <img> or a stylesheet
pointing at a local file (file:///etc/passwd) or at another server would
still be refused here, by WeasyPrint's own protocol filter.
"""
import threading

_fonts = threading.local()


def font_config():
    """One WeasyPrint FontConfiguration per thread, kept across renderings: fontconfig is set up and the
    fonts are loaded and shaped once per process rather than once per PDF (not thread-safe, hence
    per thread)."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def write_pdf(html):
    """The PDF bytes of `html` (a whole document), fetching nothing but data: URIs."""
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=data_only()).write_pdf(font_config=font_config())


def data_only():
    """A WeasyPrint url_fetcher that serves data: URIs and refuses every other URL."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
