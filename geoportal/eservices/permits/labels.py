"""French and Arabic labels of the permit pages."""
from .models import Decision, FileStatus, PermitKind, SessionKind

LABELS = {
    "fr": {
        "title": "Suivre un dossier d'autorisation", "number": "Numéro du dossier", "agency": "Agence",
        "any": "Toutes", "show": "Afficher", "kind": "Nature", "commune": "Commune", "filed": "Déposé le",
        "status": "État", "decisions": "Avis de la commission", "session": "Séance", "decision": "Avis",
        "reasons": "Motifs", "conditions": "Conditions", "sessions": "Résultats des commissions",
        "none": "Aucun avis publié pour l'instant.", "project": "Projet",
        "kinds": dict(PermitKind.choices), "statuses": dict(FileStatus.choices),
        "decision_labels": dict(Decision.choices), "session_kinds": dict(SessionKind.choices),
    },
    "ar": {
        "title": "تتبع ملف طلب رخصة", "number": "رقم الملف", "agency": "الوكالة", "any": "الكل", "show": "عرض",
        "kind": "النوع", "commune": "الجماعة", "filed": "تاريخ الإيداع", "status": "الحالة",
        "decisions": "رأي اللجنة", "session": "الدورة", "decision": "الرأي", "reasons": "التعليل",
        "conditions": "الشروط", "sessions": "نتائج لجان البناء", "none": "لم يُنشر أي رأي بعد.",
        "project": "المشروع",
        "kinds": {"construire": "رخصة البناء", "lotir": "رخصة التجزيء", "morceler": "رخصة التقسيم",
                  "groupe_habitations": "مجموعة سكنية", "regularisation": "التسوية"},
        "statuses": {"deposited": "مودع", "in_commission": "قيد الدراسة في اللجنة", "favourable": "رأي موافق",
                     "unfavourable": "رأي غير موافق", "deferred": "مؤجل"},
        "decision_labels": {"favourable": "موافق", "unfavourable": "غير موافق", "deferred": "مؤجل"},
        "session_kinds": {"petits_projets": "لجنة المشاريع الصغرى", "grands_projets": "لجنة المشاريع الكبرى"},
    },
}
