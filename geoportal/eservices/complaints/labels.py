"""French and Arabic labels of the complaint pages."""
from .models import ComplaintCategory, ComplaintKind, ComplaintStatus

LABELS = {
    "fr": {
        "title": "Déposer une réclamation ou une demande", "agency": "Agence urbaine", "kind": "Nature",
        "category": "Catégorie", "subject": "Objet", "text": "Votre message",
        "place": "Lieu concerné (cliquez sur la carte)",
        "lon": "Longitude", "lat": "Latitude", "attachments": "Pièces jointes (PDF, PNG, JPEG)",
        "name": "Nom (facultatif, jamais publié)", "email": "E-mail pour être notifié (facultatif, jamais publié)",
        "phone": "Téléphone (facultatif)", "send": "Envoyer", "track": "Suivre une réclamation",
        "number": "Numéro de suivi", "secret": "Code secret", "show": "Afficher",
        "received": "Votre réclamation est enregistrée.",
        "keep": "Conservez ce lien ou ce code QR (ou le numéro et le code secret) : ils sont le seul moyen de "
                "suivre votre réclamation.",
        "files": "Pièces jointes",
        "secret_in_url": "Le code secret ne se met plus dans l'adresse : saisissez-le dans ce formulaire, ou "
                         "ouvrez le lien de votre reçu.",
        "status": "État", "filed": "Déposée le", "due": "Réponse attendue avant le", "service": "Service",
        "answer": "Réponse motivée de l'agence", "history": "Historique", "delays": "Délais par service",
        "open": "En cours", "overdue": "En retard", "answered": "Répondues", "avg": "Délai moyen de réponse (jours)",
        "oldest": "Plus ancienne en cours (jours)",
        "kinds": dict(ComplaintKind.choices), "categories": dict(ComplaintCategory.choices),
        "statuses": dict(ComplaintStatus.choices),
    },
    "ar": {
        "title": "تقديم شكاية أو طلب", "agency": "الوكالة الحضرية", "kind": "النوع", "category": "الصنف",
        "subject": "الموضوع", "text": "نص الرسالة", "place": "المكان المعني (انقر على الخريطة)",
        "lon": "خط الطول", "lat": "خط العرض", "attachments": "المرفقات (PDF, PNG, JPEG)",
        "name": "الاسم (اختياري، لا يُنشر)", "email": "البريد الإلكتروني للإشعار (اختياري، لا يُنشر)",
        "phone": "الهاتف (اختياري)", "send": "إرسال", "track": "تتبع شكاية", "number": "رقم التتبع",
        "secret": "الرمز السري", "show": "عرض", "received": "تم تسجيل شكايتكم.",
        "keep": "احتفظوا بهذا الرابط أو رمز QR (أو الرقم والرمز السري): فهي الوسيلة الوحيدة لتتبع شكايتكم.",
        "files": "المرفقات",
        "secret_in_url": "لم يعد الرمز السري يوضع في العنوان: أدخلوه في هذه الاستمارة، أو افتحوا رابط الوصل.",
        "status": "الحالة",
        "filed": "تاريخ الإيداع", "due": "أجل الرد", "service": "المصلحة", "answer": "الرد المعلل للوكالة",
        "history": "المراحل", "delays": "الآجال حسب المصلحة", "open": "في طور المعالجة", "overdue": "متأخرة",
        "answered": "تم الرد عليها", "avg": "متوسط أجل الرد (أيام)", "oldest": "أقدم شكاية مفتوحة (أيام)",
        "kinds": {"reclamation": "شكاية", "demande": "طلب"},
        "categories": {"infraction": "مخالفة أو بناء غير قانوني", "document_urbanisme": "وثيقة التعمير",
                       "autorisation": "ملف رخصة", "note": "مذكرة المعلومات التعميرية",
                       "accueil": "الاستقبال والآجال", "autre": "أخرى"},
        "statuses": {"received": "تم التوصل بها", "routed": "أحيلت على المصلحة", "answered": "تم الرد",
                     "closed": "مغلقة"},
    },
}
