"""French and Arabic labels of the fee and payment pages."""
LABELS = {
    "fr": {"tariffs": "Tarifs des prestations", "service": "Prestation", "amount": "Montant (MAD)",
           "new": "Obtenir une facture", "agency": "Agence", "subject": "Objet (ex. TF 12345/19)",
           "create": "Créer la facture", "invoice": "Facture", "reference": "Référence", "status": "État",
           "pay": "Payer", "paid_on": "Payée le", "issued": "Émise le", "qr": "QR code vers cette facture",
           "unpaid": "À payer", "paid": "Payée", "cancelled": "Annulée",
           "sandbox_paid": "Paiement SIMULÉ (sandbox de démonstration) : aucune somme réelle n'a été encaissée.",
           "checkout": "Caisse de démonstration", "simulate_ok": "Simuler un paiement réussi",
           "simulate_ko": "Simuler un échec", "none": "Aucun tarif publié."},
    "ar": {"tariffs": "تعريفة الخدمات", "service": "الخدمة", "amount": "المبلغ (درهم)", "new": "الحصول على فاتورة",
           "agency": "الوكالة", "subject": "الموضوع (مثال TF 12345/19)", "create": "إنشاء الفاتورة",
           "invoice": "فاتورة", "reference": "المرجع", "status": "الحالة", "pay": "أداء", "paid_on": "تاريخ الأداء",
           "issued": "تاريخ الإصدار", "qr": "رمز الاستجابة السريعة لهذه الفاتورة", "unpaid": "في انتظار الأداء",
           "paid": "مؤداة", "cancelled": "ملغاة",
           "sandbox_paid": "أداء صوري (بيئة تجريبية): لم يتم استخلاص أي مبلغ حقيقي.",
           "checkout": "صندوق تجريبي", "simulate_ok": "محاكاة أداء ناجح", "simulate_ko": "محاكاة فشل الأداء",
           "none": "لا توجد تعريفة منشورة."},
}
