"""French and Arabic labels of the document pages."""
from .models import DocumentKind

LABELS = {
    "fr": {"title": "Documents de l'agence et textes de loi", "q": "Rechercher", "kind": "Type", "any": "Tous",
           "agency": "Agence", "national": "Texte national", "search": "Chercher", "download": "Télécharger (PDF)",
           "published": "Publié le", "results": "résultat(s)", "none": "Aucun document ne correspond.",
           "reference": "Référence", "qr": "QR code vers cette page", "kinds": dict(DocumentKind.choices)},
    "ar": {"title": "وثائق الوكالة والنصوص القانونية", "q": "بحث", "kind": "النوع", "any": "الكل",
           "agency": "الوكالة", "national": "نص وطني", "search": "ابحث", "download": "تحميل (PDF)",
           "published": "تاريخ النشر", "results": "نتيجة", "none": "لا توجد وثيقة مطابقة.", "reference": "المرجع",
           "qr": "رمز الاستجابة السريعة لهذه الصفحة",
           "kinds": {"loi": "قانون", "decret": "مرسوم", "reglement": "نظام", "circulaire": "دورية",
                     "procedure": "مسطرة", "marche": "طلب عروض", "rapport": "تقرير", "autre": "أخرى"}},
}
