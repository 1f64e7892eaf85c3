"""manage.py publish_layer: upload, validate, publish and roll back plan layers from the command line."""
import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from plans.models import Agency, PlanDocument

from geoportal.core.errors import ApiError
from layers.publishing import access, jobs, parcels, publishing, uploads
from geoportal.staff import roles
from layers.records import ApiToken, LayerUpload, Target


class Command(BaseCommand):
    help = ("Publish plan layers: `upload FILE --agency AUT --target zones --plan 12 --mapping '{\"code\": \"CODE\"}' "
            "--user NAME [--publish --acknowledge-warnings] [--background]`, `versions`, `rollback`, "
            "`restore-parcels`, "
            "`report`, `grant`, `token`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        up = sub.add_parser("upload", help="read, validate (and publish) a layer file")
        up.add_argument("file")
        up.add_argument("--agency", required=True)
        up.add_argument("--target", required=True, choices=Target.values)
        up.add_argument("--plan", type=int, help="plan document id (zones, servitudes, sheet)")
        up.add_argument("--layer", default="", help="layer to read in a multi-layer file")
        up.add_argument("--srid", type=int, help="EPSG code of the file's CRS when it declares none")
        up.add_argument("--encoding", default="", help="text encoding when the file does not say (e.g. UTF-8)")
        up.add_argument("--mapping", default="", help="JSON {our field: source field}, or @file.json")
        up.add_argument("--tolerance-m2", default=None, help="overlap/gap tolerance of this upload, m² in the agency's "
                        "Lambert CRS (LAYERS_TOLERANCE_MIN_M2..LAYERS_TOLERANCE_MAX_M2; default LAYERS_TOLERANCE_M2)")
        up.add_argument("--publish", action="store_true", help="publish when the report allows it")
        up.add_argument("--acknowledge-warnings", action="store_true")
        up.add_argument("--background", action="store_true", help="run on the RQ worker and follow its progress")
        for name in ("versions", "rollback"):
            p = sub.add_parser(name)
            p.add_argument("--plan", type=int, required=True)
            if name == "rollback":
                p.add_argument("--revision", type=int, required=True)
        rp = sub.add_parser("restore-parcels")
        rp.add_argument("--agency", required=True)
        rp.add_argument("--release", type=int, required=True)
        rep = sub.add_parser("report")
        rep.add_argument("upload", type=int)
        gr = sub.add_parser("grant", help="give a user a role in an agency")
        gr.add_argument("username")
        gr.add_argument("agency")
        gr.add_argument("role", choices=[*roles.ROLES, *roles.SERVICES_ROLES, roles.NATIONAL_ADMIN])
        tk = sub.add_parser("token", help="create an API token for a user (printed once)")
        tk.add_argument("username")
        tk.add_argument("--name", default="cli")
        for p in (up, sub.choices["rollback"], rp):
            p.add_argument("--user", required=True, help="the staff member acting (recorded in the audit log)")
        for p in (sub.choices["versions"], rep):
            p.add_argument("--user", default=None)

    def handle(self, *args, action, **options):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**options)
        except ApiError as exc:
            raise CommandError(exc.description) from None

    def _user(self, username):
        if username is None:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}; create it first (manage.py createsuperuser)")
        return user

    def do_upload(self, file, agency, target, plan, layer, srid, encoding, mapping, publish, acknowledge_warnings,
                  background, user, tolerance_m2=None, **_):
        user = self._user(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        agency = access.agency(agency, user, roles.EDITOR)
        plan = access.plan(plan, user, roles.EDITOR) if plan else None
        field_mapping = None
        if mapping:
            text = Path(mapping[1:]).read_text() if mapping.startswith("@") else mapping
            try:
                field_mapping = json.loads(text)
            except ValueError as exc:
                raise CommandError(f"--mapping is not valid JSON ({exc})") from None
        with open(path, "rb") as handle:
            handle.size = path.stat().st_size
            upload = uploads.receive(user, agency, target, handle, path.name, plan=plan, layer=layer, srid=srid,
                                     encoding=encoding, field_mapping=field_mapping, tolerance_m2=tolerance_m2,
                                     expand_zip=True)  # a zip is read here at once: there is no request to protect
        self.stdout.write(f"upload {upload.pk}: layer {upload.layer_name!r}, {upload.feature_count} features, "
                          f"EPSG:{upload.source_srid}, encoding {upload.encoding or 'from the format'}")
        steps = [jobs.SHEET] if target == Target.SHEET else [jobs.IMPORT]
        for kind in steps:
            self._run(upload, kind, user, {}, background)
        upload.refresh_from_db()
        if target == Target.SHEET:
            self.stdout.write(f"sheet attached: attachment {upload.revision}, tiles at "
                              f"/api/layers/sheets/{upload.revision}/tiles/{{z}}/{{x}}/{{y}}.png")
            return
        if not upload.report:
            names = ", ".join(f["name"] for f in upload.fields)
            raise CommandError(f"upload {upload.pk} is read but has no field mapping; its fields: {names}. "
                               "Give --mapping '{\"code\": \"FIELD\", …}'")
        self._print_report(upload.report)
        if publish:
            publishing.check_publishable(upload, acknowledge_warnings)
            self._run(upload, jobs.PUBLISH, user, {"acknowledge_warnings": acknowledge_warnings}, background)
            upload.refresh_from_db()
            what = "parcel release" if target == Target.PARCELS else f"plan {upload.plan_id} revision"
            self.stdout.write(self.style.SUCCESS(f"published: {what} {upload.revision}"))

    def _run(self, upload, kind, user, options, background):
        bars = {}

        def progress(done, total, step):
            bar = bars.get(step)
            if bar is None:
                bar = bars[step] = tqdm(total=total, desc=f"{step} {upload.original_name}", unit="feature")
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            if not background:
                jobs.execute(upload, kind, user, options, progress)
                return
            job = jobs.enqueue(upload, kind, user, **options)
            while True:
                upload.refresh_from_db()
                state = jobs.refresh(upload)
                if state.get("total"):
                    progress(state["done"], state["total"], state["step"])
                if state["status"] == "finished":
                    return
                if state["status"] == "failed":
                    raise CommandError(f"job {job.id} failed: {state['error']}")
                time.sleep(0.5)
        finally:
            for bar in bars.values():
                bar.close()

    def _print_report(self, report):
        self.stdout.write(f"validation: {report['errors']} error(s), {report['warnings']} warning(s)")
        for check in report["checks"]:
            first = check["items"][0]["message"] if check["items"] else ""
            self.stdout.write(f"  {check['severity']:7} {check['check']:20} {check['count']:6}  e.g. {first}")
        for code in report.get("codes_without_rule", []):
            self.stdout.write(f"  zone code without a rule: {code['code']} ({code['features']} features)")

    def do_versions(self, plan, user, **_):
        plan = self._plan(plan, user)
        for v in publishing.versions(plan):
            self.stdout.write(f"{'*' if v['live'] else ' '} revision {v['revision']}: {v['zones']} zones, "
                              f"{v['servitudes']} servitudes, {v['published_at'] or 'initial load'} "
                              f"{v['published_by'] or ''} {v['file'] or ''}")

    def _plan(self, plan_id, username):
        plan = PlanDocument.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"no plan document {plan_id}")
        if username:
            roles.require(self._user(username), plan.agency, roles.VIEWER)
        return plan

    def do_rollback(self, plan, revision, user, **_):
        plan = self._plan(plan, user)
        previous = publishing.rollback(plan, revision, self._user(user))
        self.stdout.write(self.style.SUCCESS(f"plan {plan.pk}: revision {revision} is live again (was {previous})"))

    def do_restore_parcels(self, agency, release, user, **_):
        user = self._user(user)
        agency = access.agency(agency, user, roles.PUBLISHER)
        parcels.restore(agency, release, user)
        self.stdout.write(self.style.SUCCESS(f"{agency.code}: parcel release {release} is served again"))

    def do_report(self, upload, user, **_):
        found = LayerUpload.objects.filter(pk=upload).first()
        if found is None or not found.report:
            raise CommandError(f"upload {upload} has no validation report")
        self.stdout.write(json.dumps(found.report, ensure_ascii=False, indent=1))

    def do_grant(self, username, agency, role, **_):
        found = Agency.objects.filter(code__iexact=agency).first()
        if found is None:
            raise CommandError(f"no agency {agency!r}")
        roles.grant(self._user(username), found, role)
        self.stdout.write(f"{username} is now {role} of {found.code}")

    def do_token(self, username, name, **_):
        _token, key = ApiToken.issue(self._user(username), name)
        self.stdout.write(key)
