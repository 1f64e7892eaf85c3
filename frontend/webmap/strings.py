"""Words the browser map shows, translated by Django's gettext (frontend/locale).

French is the source language (msgids); frontend/locale/ar holds Arabic.
"""
from django.utils.translation import gettext as _



def js_strings():
    """UI strings of map.js in the active language."""
    return {
        "zone": _("Zone"),
        "zones": _("Zones"),
        "rules": _("Règles"),
        "uses_allowed": _("Usages autorisés"),
        "uses_forbidden": _("Usages interdits"),
        "height": _("Hauteur maximale"),
        "floors": _("Niveaux"),
        "cos": _("COS (coefficient d'occupation du sol)"),
        "ces": _("CES (coefficient d'emprise au sol)"),
        "min_lot": _("Surface minimale du lot"),
        "frontage": _("Façade minimale"),
        "setbacks": _("Reculs (voie / limites / fond)"),
        "parking": _("Stationnement"),
        "buildable": _("Constructibilité"),
        "net_area": _("Surface nette (après voies et réservations)"),
        "roads": _("Voies de desserte"),
        "corner_lot": _("lot d'angle"),
        "footprint_polygon": _("Emprise après reculs"),
        "max_footprint": _("Emprise au sol maximale"),
        "max_floor_area": _("Surface de plancher maximale"),
        "servitudes": _("Servitudes à cet endroit"),
        "no_servitude": _("Aucune servitude à cet endroit."),
        "plan": _("Plan en vigueur"),
        "no_plan": _("Aucun plan approuvé en vigueur à cet endroit à cette date."),
        "decree": _("Décret"),
        "effective": _("en vigueur depuis le"),
        "expiry": _("jusqu'au"),
        "parcel": _("Parcelle"),
        "area_title": _("Surface sur le titre"),
        "area_computed": _("Surface calculée (Lambert)"),
        "commune": _("Commune"),
        "note": _("Note de renseignements urbanistiques"),
        "extract": _("Télécharger l'extrait"),
        "share": _("part de la parcelle"),
        "metres": _("m"),
        "square_metres": _("m²"),
        "searching": _("Recherche…"),
        "no_result": _("Aucun résultat."),
        "close": _("Fermer"),
        "legend": _("Légende"),
        "history_date": _("Plan en vigueur le"),
        "today": _("Aujourd'hui"),
        "loading": _("Chargement…"),
        "error": _("Erreur"),
        "coordinates": _("Coordonnées"),
        "base_map": _("Fond de carte"),
        "plans": _("Périmètres des plans"),
        "copy_link": _("Lien copié"),
        "outside": _("Cet endroit est hors du territoire des agences."),
    }
