import pytest

from plans.titles import InvalidTitleNumber, normalise_title


@pytest.mark.parametrize("typed, canonical", [
    ("TF 12345/19", "TF 12345/19"),
    ("T.F. 12345/19", "TF 12345/19"),
    ("tf12345-19", "TF 12345/19"),
    ("Titre foncier n° 12345 / 19", "TF 12345/19"),
    ("12345/19", "TF 12345/19"),
    ("TF 12345/7", "TF 12345/07"),
    ("R 678/19", "R 678/19"),
    ("réquisition 678/19", "R 678/19"),
    ("Req. 678-19", "R 678/19"),
])
def test_title_numbers_are_normalised(typed, canonical):
    assert normalise_title(typed) == canonical


@pytest.mark.parametrize("typed", ["", "TF", "abc 12/19", "TF 12345", "12345/19/3", None])
def test_unreadable_title_numbers_are_refused_with_the_text(typed):
    with pytest.raises(InvalidTitleNumber) as info:
        normalise_title(typed)
    assert "TF 12345/19" in str(info.value)
