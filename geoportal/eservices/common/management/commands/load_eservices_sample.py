"""Demo content for the e-services: services (departments), fee schedules, the laws as searchable PDFs,
and a published building-commission session. Safe to run again: existing items are kept.

    manage.py load_eservices_sample
"""
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from plans.models import Agency
from ...models import AuditEvent
from ....complaints.models import Department
from ....documents.models import AgencyDocument
from ....documents.services import save_document
from ....fees.models import FeeSchedule
from ....permits.models import CommissionDecision, CommissionSession, PermitFile

DEPARTMENTS = [
    ("controle", "Service du contrôle et des infractions", "مصلحة المراقبة والمخالفات", 30),
    ("etudes", "Service des études et de la planification", "مصلحة الدراسات والتخطيط", 60),
    ("instruction", "Service de l'instruction des dossiers", "مصلحة دراسة الملفات", 30),
]
FEES = [
    ("note", "Note de renseignements urbanistiques", "مذكرة المعلومات التعميرية", "150.00"),
    ("copie_plan", "Copie d'un plan d'aménagement (par planche)", "نسخة من تصميم التهيئة (لكل لوحة)", "100.00"),
    ("etude_dossier", "Étude d'un dossier de petit projet", "دراسة ملف مشروع صغير", "300.00"),
]
LAWS = [
    ("loi", "Loi n° 12-90", "Loi n° 12-90 relative à l'urbanisme", "القانون رقم 12-90 المتعلق بالتعمير", "1992-06-17",
     "Documents d'urbanisme (SDAU, plan de zonage, plan d'aménagement), permis de construire, contrôle et "
     "infractions.", "وثائق التعمير، رخصة البناء، المراقبة والمخالفات."),
    ("loi", "Loi n° 25-90", "Loi n° 25-90 relative aux lotissements, groupes d'habitations et morcellements",
     "القانون رقم 25-90 المتعلق بالتجزئات العقارية والمجموعات السكنية وتقسيم العقارات", "1992-06-17",
     "L'autorisation de lotir, la réception des travaux d'équipement, le morcellement des terrains.",
     "الإذن بإحداث التجزئات العقارية، التسلم المؤقت للأشغال، تقسيم العقارات."),
    ("decret", "Décret n° 2-92-832", "Décret n° 2-92-832 pris pour l'application de la loi 12-90",
     "المرسوم رقم 2-92-832 لتطبيق القانون 12-90", "1993-10-14",
     "Enquête publique des plans d'aménagement, instruction des demandes de permis.",
     "البحث العلني لتصاميم التهيئة، دراسة طلبات الرخص."),
    ("reglement", "Décret n° 2-13-424", "Règlement général de construction (2013)",
     "ضابط البناء العام (2013)", "2013-05-24",
     "Formes et conditions de délivrance des autorisations et pièces exigibles.",
     "شكل وشروط تسليم الرخص والوثائق المطلوبة."),
]


def _pdf(title, reference, summary_fr, summary_ar):
    from weasyprint import HTML

    html = (f"<html><body><h1>{title}</h1><p>{reference}</p><p>{summary_fr}</p>"
            f"<p dir='rtl' lang='ar'>{summary_ar}</p></body></html>")
    return HTML(string=html).write_pdf()


class Command(BaseCommand):
    help = "Load demo content of the e-services (departments, fees, laws, a commission session)."

    def handle(self, *args, **options):
        agencies = list(Agency.objects.all())
        if not agencies:
            raise CommandError("no agency in the database: run `manage.py load_sample_data` first.")
        with transaction.atomic():
            for agency in agencies:
                for code, fr, ar, days in DEPARTMENTS:
                    Department.objects.get_or_create(agency=agency, code=code, defaults={
                        "name_fr": fr, "name_ar": ar, "response_days": days})
                for code, fr, ar, amount in FEES:
                    FeeSchedule.objects.get_or_create(agency=agency, service_code=code, valid_from="2020-01-01",
                                                      defaults={"label_fr": fr, "label_ar": ar,
                                                                "amount": Decimal(amount)})
        for kind, reference, title_fr, title_ar, date, summary_fr, summary_ar in tqdm(LAWS, desc="laws"):
            if AgencyDocument.objects.filter(agency=None, reference=reference).exists():
                continue
            document = AgencyDocument(kind=kind, reference=reference, title_fr=title_fr, title_ar=title_ar,
                                      summary_fr=summary_fr, summary_ar=summary_ar, published_on=date)
            document.file.save(reference.replace(" ", "-").replace("°", "") + ".pdf",
                               ContentFile(_pdf(title_fr, reference, summary_fr, summary_ar)), save=False)
            save_document(document)
        self._commission(Agency.objects.get(code="AUT") if Agency.objects.filter(code="AUT").exists()
                         else agencies[0])
        self.stdout.write(self.style.SUCCESS(
            f"e-services sample: {Department.objects.count()} services, {FeeSchedule.objects.count()} fees, "
            f"{AgencyDocument.objects.count()} documents, {CommissionSession.objects.count()} sessions"))

    @transaction.atomic
    def _commission(self, agency):
        if CommissionSession.objects.filter(agency=agency, reference="CPP-DEMO-01").exists():
            return
        session = CommissionSession.objects.create(agency=agency, reference="CPP-DEMO-01", held_on="2026-11-10")
        rows = [("PC-DEMO-0001", "favourable", "", "Retrait de 5 m sur la voie projetée."),
                ("PC-DEMO-0002", "unfavourable", "Hauteur R+5 supérieure au R+3 autorisé en zone D.", ""),
                ("PL-DEMO-0003", "deferred", "Plan de bornage à fournir.", "")]
        for number, decision, reasons, conditions in rows:
            file = PermitFile.objects.create(agency=agency, number=number, kind="construire" if number[1] == "C"
                                             else "lotir", status=decision)
            CommissionDecision.objects.create(session=session, file=file, decision=decision, reasons_fr=reasons,
                                              conditions_fr=conditions)
            AuditEvent.objects.create(agency=agency, item_type="permit_file", item_ref=number, action="sample",
                                      to_state=decision, actor_label="load_eservices_sample")
        session.published_at = timezone.now()
        session.save(update_fields=["published_at"])
