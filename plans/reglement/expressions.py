"""The small, safe expression language of provisions: "11.5", "road_width + 2", "max(height / 2, 4)".

Parsed with Python's own parser (ast, mode "eval") and walked against a whitelist: numbers, the variables
below, + - * /, unary minus, parentheses and the functions min() and max(). Nothing else is accepted (no
attribute, subscript, comparison, name or call outside the whitelist), so a formula typed in the admin or
imported from a file can never run code. We write this walker rather than use a library: the grammar is a
dozen lines and every refusal must name the offending part in the agency's words.

Variables, all in metres or square metres of the lot under study (plans.reglement.engine computes them):
road_width (width of the road the lot fronts; the wider one for a corner lot), height (the maximum height
the provisions allow, for prospect rules such as a rear setback of H/2), lot_area (net area, after land lost
to planned roads and reservations), frontage (length of the lot along roads), depth (distance from the
alignment to the farthest point of the lot).
"""
import ast
import math

VARIABLES = {
    "road_width": ("largeur de la voie (m)", "عرض الطريق (م)"),
    "height": ("hauteur maximale (m)", "العلو الأقصى (م)"),
    "lot_area": ("surface nette du lot (m²)", "المساحة الصافية للبقعة (م²)"),
    "frontage": ("longueur de façade (m)", "طول الواجهة (م)"),
    "depth": ("profondeur du lot (m)", "عمق البقعة (م)"),
}
FUNCTIONS = {"min": min, "max": max}
MAX_LENGTH = 200
_OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
              ast.Div: lambda a, b: a / b}


class ExpressionError(ValueError):
    """A formula that cannot be read or evaluated; the message names what is wrong."""


def parse(text):
    """The checked syntax tree of `text`; raises ExpressionError naming the first thing not allowed."""
    source = str(text or "").strip().replace(",", ".") if _decimal_comma(text) else str(text or "").strip()
    if not source:
        raise ExpressionError("the value is empty: give a number (e.g. 11.5) or a formula (e.g. max(height / 2, 4))")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the formula is {len(source)} characters long; at most {MAX_LENGTH}")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise ExpressionError(f"{source!r} is not a formula: use numbers, {', '.join(VARIABLES)}, + - * /, "
                              "parentheses, min() and max()") from None
    _check(tree.body, source)
    return tree


def _decimal_comma(text):
    """"11,5" (a French decimal comma, no function call) reads as 11.5."""
    value = str(text or "")
    return "," in value and "(" not in value


def _check(node, source):
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"{ast.get_source_segment(source, node)!r} in {source!r} is not a number")
        return
    if isinstance(node, ast.Name):
        if node.id not in VARIABLES:
            raise ExpressionError(f"unknown variable {node.id!r} in {source!r}; known: {', '.join(VARIABLES)}")
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, source)
        _check(node.right, source)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, source)
        return
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
        if node.keywords or not node.args or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"{node.func.id}() in {source!r} takes one or more values, e.g. max(height / 2, 4)")
        for arg in node.args:
            _check(arg, source)
        return
    part = ast.get_source_segment(source, node) or type(node).__name__
    raise ExpressionError(f"{part!r} is not allowed in {source!r}: use numbers, {', '.join(VARIABLES)}, + - * /, "
                          "parentheses, min() and max()")


def variables(text):
    """The variables formula `text` uses, sorted."""
    return sorted({n.id for n in ast.walk(parse(text)) if isinstance(n, ast.Name) and n.id not in FUNCTIONS})


def constant(text):
    """The number `text` stands for when it uses no variable, else None."""
    return None if variables(text) else evaluate(text, {})


def evaluate(text, values):
    """The value of formula `text` with `values` ({variable: number}); ExpressionError when one is missing."""
    tree = parse(text)
    result = _eval(tree.body, values, str(text).strip())
    if not math.isfinite(result):
        raise ExpressionError(f"{text!r} gives {result}, not a finite number")
    return float(result)


def _eval(node, values, source):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        value = values.get(node.id)
        if value is None:
            raise ExpressionError(f"{source!r} needs {node.id} ({VARIABLES[node.id][0]}), unknown for this lot")
        return float(value)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values, source), _eval(node.right, values, source)
        if isinstance(node.op, ast.Div) and right == 0:
            raise ExpressionError(f"{source!r} divides by zero")
        return _OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, values, source)
        return -value if isinstance(node.op, ast.USub) else value
    return FUNCTIONS[node.func.id](_eval(arg, values, source) for arg in node.args)
