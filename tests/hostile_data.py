"""What a hostile publisher writes into published data, and a browser page that watches for it running.

Each payload calls alert() with its own name, so that a dialog says which one
escaped; their lengths fit the columns they go into (a zone code has 20
characters). `publish()` writes them where a publisher's upload or the admin
writes them (zone rule, zone, servitude, plan, scanned sheet title) in the
plan in force, committed for the live server; `restore()` puts the sample
data back.
"""
from urllib.parse import urlparse

from conftest import in_db
from frontend.tests.test_map_browser import Page

LABEL = "</script><img src=x onerror=alert('label_fr')>"
LABEL_AR = "\"><svg onload=alert('label_ar')>"
CODE = "<svg onload=alert()>"
LINK = "javascript:alert('parking')//plan.png"
TEMPLATE = "{{7*7}} {% debug %} <script>alert('article')</script>"
SERVITUDE_LABEL = "<img src=x onerror=alert('servitude')>"
SERVITUDE_CODE = "\"><img src=x onerror=alert(7)>"
SERVITUDE_RULE = "</style><script>alert('rule')</script>"
PLAN_TITLE = "{{7*7}}</title><script>alert('plan')</script>"
PLAN_TITLE_AR = "<img src=x onerror=alert('plan_ar')>"
DECREE = "'-alert('decree')-'"
SHEET_TITLE = "<img src=x onerror=alert('sheet')>"
FILE_NAME = "<img src=x onerror=alert('file')>.gpkg"
UPLOAD_CODE = "<i onclick=alert(1)>"  # a code without rule: listed by the upload's page

# Elements a payload would have added to a page had it been parsed as markup (our inline scripts carry a nonce).
INJECTED = "img[src=x], svg[onload], [onerror], [onload], [onclick], script:not([src]):not([type]):not([nonce])"

# Listens before any page script: a CSP violation, whatever blocked it, is recorded with its sample.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber +
                           " " + e.sample);
});
"""


def committed(blocker, create, remove):
    """For a fixture: yield what create() made, committed for the live server; then remove(it).

    Both run in another thread: Playwright's event loop owns the test's thread; remove() as the owner (the app
    role may not delete audit entries)."""
    made = in_db(blocker, create)
    yield made
    in_db(blocker, lambda: remove(made), owner=True)


def target(plan):
    """Where the payloads go in `plan`, and where to point at them (lon/lat):

    {"zone": a large live zone, "parcel": a parcel inside it under a servitude, "servitude": that servitude,
     "in_zone": a point of the zone under no servitude (its tooltip is the zone's),
     "near_parcel": such a point within ~200 m of the parcel (shown by the parcel's embed)}.
    """
    from django.contrib.gis.db.models import Union
    from django.contrib.gis.db.models.functions import Area, Intersection

    from plans.models import Parcel, Servitude, Zone

    live = Servitude.objects.live().filter(plan=plan)
    covered = live.aggregate(u=Union("geom"))["u"].buffer(0.00002)
    crossing = live.filter(kind__in=["flood_zone", "heritage", "non_aedificandi"])
    for zone in Zone.objects.live().filter(plan=plan).annotate(a=Area("geom")).order_by("-a")[:20]:
        free = zone.geom.difference(covered)
        for parcel in Parcel.objects.filter(geom__within=zone.geom)[:300]:
            near = free.intersection(parcel.geom.buffer(0.002))
            servitude = crossing.filter(geom__intersects=parcel.geom).annotate(
                i=Area(Intersection("geom", parcel.geom))).order_by("-i").first()
            if servitude is not None and servitude.i.sq_m > 1e-8 and not near.empty:  # degrees²: ~100s of m²
                return {"zone": zone, "parcel": parcel, "servitude": servitude, "in_zone": free.point_on_surface,
                        "near_parcel": near.point_on_surface}
    raise AssertionError(f"no parcel of plan {plan} lies in a zone, under a servitude, near uncovered zone land")


def publish(plan, zone, servitude):
    """Write the payloads; returns what restore() needs."""
    from plans.models import PlanDocument, Servitude, Zone, ZoneRule

    rule_fields = ["code", "label_fr", "label_ar", "parking_fr", "article_fr"]
    saved = {
        "rule": ZoneRule.objects.filter(pk=zone.rule_id).values(*rule_fields).get(),
        "zone": {"code": zone.code},
        "servitude": Servitude.objects.filter(pk=servitude.pk).values("label_fr", "code", "rule_fr").get(),
        "plan": PlanDocument.objects.filter(pk=plan.pk).values("title_fr", "title_ar", "decree_reference").get(),
    }
    ZoneRule.objects.filter(pk=zone.rule_id).update(code=CODE, label_fr=LABEL, label_ar=LABEL_AR, parking_fr=LINK,
                                                    article_fr=TEMPLATE)
    Zone.objects.filter(pk=zone.pk).update(code=CODE)
    Servitude.objects.filter(pk=servitude.pk).update(label_fr=SERVITUDE_LABEL, code=SERVITUDE_CODE,
                                                     rule_fr=SERVITUDE_RULE)
    PlanDocument.objects.filter(pk=plan.pk).update(title_fr=PLAN_TITLE, title_ar=PLAN_TITLE_AR, decree_reference=DECREE)
    return saved


def restore(plan, zone, servitude, saved):
    from plans.models import PlanDocument, Servitude, Zone, ZoneRule

    ZoneRule.objects.filter(pk=zone.rule_id).update(**saved["rule"])
    Zone.objects.filter(pk=zone.pk).update(**saved["zone"])
    Servitude.objects.filter(pk=servitude.pk).update(**saved["servitude"])
    PlanDocument.objects.filter(pk=plan.pk).update(**saved["plan"])


class GuardedPage(Page):
    """A browser page that also records dialogs, CSP violations and the policy of every HTML document."""

    def __init__(self, browser, base, **kwargs):
        super().__init__(browser, base, **kwargs)
        self.dialogs, self.policies = [], {}  # Page leaves out Chrome's own /favicon.ico misses
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("response", self._policy)

    def _policy(self, response):
        if response.request.resource_type == "document":
            self.policies[urlparse(response.url).path] = response.headers.get("content-security-policy")

    def visit(self, path, ready=None):
        response = self.page.goto(self.base + path)
        assert response.status == 200, (path, response.status)
        if ready:
            self.page.wait_for_selector(ready, timeout=20000)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def check_safe(self):
        """No payload ran or reached the DOM as markup, every document had a strict policy, nothing was blocked."""
        assert self.dialogs == [], f"a payload ran: {self.dialogs}"
        assert self.page.locator(INJECTED).count() == 0, self.page.locator(INJECTED).first.evaluate("e => e.outerHTML")
        for path, policy in self.policies.items():
            assert_strict(policy, path)
        assert self.page.evaluate("window.__violations") == [], "CSP violations"
        self.check_clean()


def assert_strict(policy, where):
    """The policy of an HTML page: our origin only, no inline script without nonce, no eval, no plugin."""
    assert policy, f"{where} has no Content-Security-Policy"
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    script = directives["script-src"].split()
    assert script[0] == "'self'" and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, (where, policy)
    assert not [s for s in script if s.startswith(("http:", "https:", "*"))], (where, policy)
    assert "'unsafe-inline'" not in directives["style-src"], (where, policy)
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'", (where, policy)
    assert directives["default-src"] == "'self'", (where, policy)
