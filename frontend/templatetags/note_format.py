"""Numbers as a note prints them: French decimals ("1 234,56"), percentages of a share."""
from django import template

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
