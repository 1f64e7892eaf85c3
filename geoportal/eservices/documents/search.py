"""Full-text search over the documents in French and Arabic (PostgreSQL text search, GIN-indexed).

A query in Arabic script is matched against `search_ar` ('simple' config over
text folded by documents.arabic, so articles, hamza forms and diacritics do not matter),
any other against `search_fr` ('french' config, stemmed); the web-search
syntax is accepted ("quoted phrases", -excluded, or).
"""
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F, Q

from .arabic import normalise, normalised
from .models import AgencyDocument

ARABIC = re.compile(r"[\u0600-\u06FF]")


def vectors():
    """The expressions that fill the two search columns (weights: title A, reference/summary B, body C)."""
    return {
        "search_fr": (SearchVector("title_fr", config="french", weight="A")
                      + SearchVector("reference", "summary_fr", config="french", weight="B")
                      + SearchVector("body_text", config="french", weight="C")),
        "search_ar": (SearchVector(normalised("title_ar"), config="simple", weight="A")
                      + SearchVector("reference", normalised("summary_ar"), config="simple", weight="B")
                      + SearchVector(normalised("body_text"), config="simple", weight="C")),
    }


def search(text, documents=None):
    """Documents matching `text`, best first, with `rank` and a `snippet` (<b>…</b> around matches)."""
    documents = AgencyDocument.objects.all() if documents is None else documents
    arabic = bool(ARABIC.search(text))
    config, column = ("simple", "search_ar") if arabic else ("french", "search_fr")
    query = SearchQuery(normalise(text) if arabic else text, config=config, search_type="websearch")
    return (documents.filter(Q(**{column: query}))
            .annotate(rank=SearchRank(F(column), query),
                      snippet=SearchHeadline("body_text", query, config=config, max_words=25, min_words=10,
                                             start_sel="<b>", stop_sel="</b>"))
            .order_by("-rank", "-published_on"))
