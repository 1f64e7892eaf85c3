"""The provision formula language: what it computes, and what it refuses (nothing runs but arithmetic)."""
import pytest

from plans.reglement import expressions
from plans.reglement.expressions import ExpressionError


@pytest.mark.parametrize("text, values, expected", [
    ("11.5", {}, 11.5),
    ("11,5", {}, 11.5),
    ("road_width + 2", {"road_width": 12}, 14.0),
    ("max(height / 2, 4)", {"height": 14.5}, 7.25),
    ("max(height / 2, 4)", {"height": 6}, 4.0),
    ("min(road_width * 1.5, 21)", {"road_width": 20}, 21.0),
    ("-(2 - 5) * lot_area / 100", {"lot_area": 300}, 9.0),
])
def test_formulas_compute_as_written(text, values, expected):
    assert expressions.evaluate(text, values) == pytest.approx(expected)


@pytest.mark.parametrize("text, words", [
    ("__import__('os').system('true')", "not allowed"),
    ("road_width.real", "not allowed"),
    ("open('x')", "not allowed"),
    ("height if 1 else 2", "not allowed"),
    ("[1][0]", "not allowed"),
    ("2 ** 100000", "not allowed"),
    ("width + 2", "unknown variable 'width'"),
    ("'12'", "is not a number"),
    ("True", "is not a number"),
    ("max()", "takes one or more values"),
    ("", "empty"),
    ("1 +", "is not a formula"),
    ("1" * 201, "at most 200"),
])
def test_anything_but_arithmetic_is_refused_with_the_reason(text, words):
    with pytest.raises(ExpressionError, match=words.replace("(", r"\(").replace(")", r"\)")):
        expressions.parse(text)


def test_a_missing_variable_or_division_by_zero_is_an_error_naming_it():
    with pytest.raises(ExpressionError, match="needs road_width"):
        expressions.evaluate("road_width + 2", {})
    with pytest.raises(ExpressionError, match="divides by zero"):
        expressions.evaluate("height / 0", {"height": 3})
    assert expressions.variables("max(height / 2, road_width)") == ["height", "road_width"]
    assert expressions.constant("4") == 4.0 and expressions.constant("height") is None
