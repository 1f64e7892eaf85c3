"""Light Arabic normalisation for text search, the same in Python (queries) and PostgreSQL (the index).

PostgreSQL's 'simple' configuration only lowercases; Arabic readers type a
word with or without its article and clitic (التعمير, تعمير, بالتعمير,
للتعمير), with or without hamza on the alef, and with diacritics or not. We
fold those variants before 'simple' sees them, so that each finds the others.
"""
import re

from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Coalesce

# Alef with hamza or madda -> bare alef, alef maqsura -> ya, ta marbuta -> ha; tatweel removed.
FOLD_FROM, FOLD_TO = "أإآىةـ", "ااايه"
DIACRITICS = "[\u064b-\u0652\u0670]"
# The article with an optional clitic (و ف ب ك) or the contracted لل, before a word of 2+ letters.
ARTICLE = r"(^|\s)(?:[وفبك]?ال|لل)(\S{2,})"
_fold = str.maketrans(FOLD_FROM[:len(FOLD_TO)], FOLD_TO, FOLD_FROM[len(FOLD_TO):])


def normalise(text):
    text = re.sub(DIACRITICS, "", text.translate(_fold))
    return re.sub(ARTICLE, r"\1\2", text)


def normalised(field):
    """SQL expression of `field` normalised like normalise(); NULL becomes ''."""
    text = TextField()
    folded = Func(Coalesce(F(field), Value(""), output_field=text), Value(FOLD_FROM), Value(FOLD_TO),
                  function="translate", output_field=text)
    bare = Func(folded, Value(DIACRITICS), Value(""), Value("g"), function="regexp_replace", output_field=text)
    return Func(bare, Value(ARTICLE), Value(r"\1\2"), Value("g"), function="regexp_replace", output_field=text)
