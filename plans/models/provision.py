"""A provision of the règlement: one constraint of a zone rule, with the conditions under which it applies.

A ZoneRule (one zone code of one plan version) holds many provisions: "height at most 11.5 m on roads under
12 m", "rear setback at least max(H/2, 4) m", "CES 1.0 on the ground floor, 0.7 above". Provisions belong to
the plan through their rule, so a new plan version carries its own set (versioned with the plan).

Units: metres (heights, setbacks, widths, depth band), square metres (lot areas), ratios (COS, CES), floors
above the ground floor (R+4 → 4). Ranges are half-open: road_width_min ≤ width < road_width_max.
"""
from django.contrib.postgres.fields import ArrayField
from django.db import models

from ..vocabulary import provision_subject_choices, provision_unit_choices, use_choices
from .zoning import ZoneRule


class Provision(models.Model):
    rule = models.ForeignKey(ZoneRule, on_delete=models.CASCADE, related_name="provisions")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the article, as printed.")
    subject = models.CharField(max_length=30, choices=provision_subject_choices(),
                               help_text="What it constrains (plans.vocabulary.PROVISION_SUBJECTS).")
    expression = models.CharField(max_length=200, blank=True,
                                  help_text="A number (11.5) or a formula: road_width + 2, max(height / 2, 4). "
                                            "Variables: road_width, height, lot_area, frontage, depth.")
    unit = models.CharField(max_length=10, choices=provision_unit_choices())
    uses = ArrayField(models.CharField(max_length=40, choices=use_choices()), default=list, blank=True,
                      help_text="For allowed and forbidden uses.")
    text_fr = models.CharField(max_length=300, blank=True, help_text="Wording for text provisions (parking…).")
    text_ar = models.CharField(max_length=300, blank=True)
    # Conditions: a provision applies when all of its set conditions hold.
    road_width_min = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True,
                                         help_text="Applies from this road width (m), inclusive.")
    road_width_max = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True,
                                         help_text="Applies below this road width (m), exclusive.")
    lot_area_min = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True,
                                       help_text="Applies from this net lot area (m²), inclusive.")
    lot_area_max = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True,
                                       help_text="Applies below this net lot area (m²), exclusive.")
    corner = models.BooleanField(null=True, blank=True, help_text="Only corner lots (yes), only others (no).")
    sub_zone = models.CharField(max_length=20, blank=True, help_text='Only in this sub-zone, e.g. "B2a".')
    use = models.CharField(max_length=40, blank=True, choices=use_choices(), help_text="Only for this use.")
    floor_from = models.PositiveSmallIntegerField(null=True, blank=True,
                                                  help_text="CES/COS per floor band: from this floor (0 = ground).")
    floor_to = models.PositiveSmallIntegerField(null=True, blank=True, help_text="… to this floor, inclusive.")
    article = models.CharField(max_length=40, blank=True, help_text='e.g. "Article 12"')
    paragraph = models.CharField(max_length=40, blank=True, help_text='e.g. "§ 3" or "alinéa 2"')

    class Meta:
        ordering = ["rule", "position", "id"]
        indexes = [models.Index(fields=["rule", "subject"])]

    def __str__(self):
        where = f" ({self.article}{' ' + self.paragraph if self.paragraph else ''})" if self.article else ""
        return f"{self.get_subject_display()} {self.expression or ', '.join(self.uses) or self.text_fr}{where}"

    def label(self):
        """How validation messages name this provision: its number in the rule, subject and article."""
        where = f", {self.article}{' ' + self.paragraph if self.paragraph else ''}" if self.article else ""
        return f"provision {self.position} ({self.subject}{where})"
