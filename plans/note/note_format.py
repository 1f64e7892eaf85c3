"""Numbers as a note prints them: French decimals ("1 234,56"), percentages of a share; text in CSS strings."""
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _fr(value, digits):
    text = f"{float(value):,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")


@register.filter
def num(value, digits=2):
    """1234.5 -> '1 234,50'; None -> '—'."""
    return "—" if value is None or value == "" else _fr(value, int(digits))


@register.filter
def pct(share, digits=2):
    """A share (0.1234) as a percentage '12,34 %'."""
    return "—" if share is None else f"{_fr(float(share) * 100, int(digits))} %"


@register.filter
def css_string(value):
    """`value` as the inside of a double-quoted CSS string (the PDF's page headers): every character that
    could end the string, the rule or the <style> element is written as a CSS escape (\\22, \\3c …)."""
    def escape(char):
        return char if char.isalnum() or char in " .,:;/-_()'°+=@#" or ord(char) > 127 else f"\\{ord(char):x} "

    return mark_safe("".join(escape(char) for char in str(value)))
