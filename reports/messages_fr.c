/*
 * messages_fr.c - the French texts, the reference catalog.  Every
 * MSG_* id has a text here; other catalogs fall back to these.
 *
 * Typography: a no-break space (\u00a0) before ":" ";" "?" "!" and
 * inside guillemets, as French requires.  {1}..{9} are placeholders
 * (msg_fmt()).
 */
#include "report_internal.h"

#define NBSP	"\u00a0"

static const char *const text[MSG__COUNT] = {
	[MSG_DOC_TITLE] = "Rapport d'exposition Internet — {1} (FINESS {2})",
	[MSG_INDEX_TITLE] =
	    "Rapport d'exposition Internet — synthèse du scan n° {1}",
	[MSG_BRAND] = "Vigie · CERT Santé",
	[MSG_CONFIDENTIAL] = "Document confidentiel, destiné à "
	    "l'établissement et au CERT Santé" NBSP ": il décrit des "
	    "faiblesses exploitables. Ne pas diffuser.",
	[MSG_SCAN_OF] = "Scan n° {1} du {2}",
	[MSG_WARN_NOT_COMPLETE] = "Attention" NBSP ": ce scan ne s'est pas "
	    "terminé normalement (statut «" NBSP "{1}" NBSP "»)" NBSP "; "
	    "ses résultats peuvent être incomplets.",
	[MSG_WARN_NO_COMPLETE] = "Aucun scan terminé n'est disponible" NBSP
	    ": ce rapport porte sur le dernier scan lancé.",
	[MSG_DATE] = "{1} {2} {3} à {4} UTC",
	[MSG_MONTH_1] = "janvier",
	[MSG_MONTH_2] = "février",
	[MSG_MONTH_3] = "mars",
	[MSG_MONTH_4] = "avril",
	[MSG_MONTH_5] = "mai",
	[MSG_MONTH_6] = "juin",
	[MSG_MONTH_7] = "juillet",
	[MSG_MONTH_8] = "août",
	[MSG_MONTH_9] = "septembre",
	[MSG_MONTH_10] = "octobre",
	[MSG_MONTH_11] = "novembre",
	[MSG_MONTH_12] = "décembre",
	[MSG_UNKNOWN] = "non renseigné",
	[MSG_NONE] = "aucun",
	[MSG_COLON] = NBSP ": ",

	[MSG_CHANGES_H] = "Ce qui a changé depuis le dernier scan",
	[MSG_CHANGES_INTRO] = "Comparaison avec le scan n° {1} du {2}.",
	[MSG_CHANGES_NEW] = "Nouveaux constats",
	[MSG_CHANGES_FIXED] = "Constats corrigés",
	[MSG_CHANGES_PERSISTING] = "Constats persistants",
	[MSG_CHANGES_COUNTS] = "{1} nouveau(x), {2} corrigé(s), "
	    "{3} persistant(s).",
	[MSG_CHANGES_NONE] = "Aucun changement depuis le scan précédent.",

	[MSG_SUMMARY_H] = "Synthèse pour la direction",
	[MSG_EXPOSURE_LEVEL] = "Niveau d'exposition",
	[MSG_LEVEL_NONE] = "Aucun",
	[MSG_LEVEL_INFO] = "Faible",
	[MSG_LEVEL_LOW] = "Faible",
	[MSG_LEVEL_MEDIUM] = "Modéré",
	[MSG_LEVEL_HIGH] = "Élevé",
	[MSG_LEVEL_CRITICAL] = "Critique",
	[MSG_LEVEL_EXPLAIN_NONE] = "Aucun constat n'a été relevé sur les "
	    "services visibles depuis Internet lors de ce scan.",
	[MSG_LEVEL_EXPLAIN_INFO] = "Seuls des éléments d'information ont "
	    "été relevés" NBSP ": aucune action urgente n'est attendue.",
	[MSG_LEVEL_EXPLAIN_LOW] = "Seuls des points mineurs ont été "
	    "relevés" NBSP ": ils peuvent être traités lors des opérations "
	    "de maintenance habituelles.",
	[MSG_LEVEL_EXPLAIN_MEDIUM] = "Des faiblesses de configuration sont "
	    "visibles depuis Internet" NBSP ": leur correction est à "
	    "planifier rapidement.",
	[MSG_LEVEL_EXPLAIN_HIGH] = "Des services sensibles sont exposés sur "
	    "Internet et constituent des portes d'entrée connues des "
	    "attaquants" NBSP ": leur correction est prioritaire.",
	[MSG_LEVEL_EXPLAIN_CRITICAL] = "Au moins une exposition critique "
	    "peut permettre une compromission directe depuis Internet" NBSP
	    ": elle appelle une action immédiate.",
	[MSG_SEV_INFO] = "Information",
	[MSG_SEV_LOW] = "Faible",
	[MSG_SEV_MEDIUM] = "Moyenne",
	[MSG_SEV_HIGH] = "Élevée",
	[MSG_SEV_CRITICAL] = "Critique",
	[MSG_SCAN_DATE] = "Date du scan",
	[MSG_PERIMETER] = "Périmètre analysé",
	[MSG_HOSTNAMES] = "Noms d'hôtes",
	[MSG_CATEGORY] = "Catégorie",
	[MSG_REGION] = "Région",
	[MSG_FINDINGS_BY_SEV] = "Constats par sévérité",
	[MSG_SEVERITY] = "Sévérité",
	[MSG_COUNT] = "Nombre",
	[MSG_TOTAL] = "Total",
	[MSG_STATS] = "{1} adresse(s) examinée(s), dont {2} joignable(s)"
	    NBSP "; {3} port(s) ouvert(s), {4} service(s) identifié(s).",

	[MSG_ACTIONS_H] = "Plan d'action prioritaire",
	[MSG_ACTIONS_INTRO] = "Les actions sont regroupées par thème et "
	    "classées de la plus grave à la moins grave.",
	[MSG_ACTIONS_NONE] = "Aucune action n'est requise.",
	[MSG_THEME_EXPOSITION] = "Exposition",
	[MSG_THEME_MFA] = "Authentification forte (MFA)",
	[MSG_THEME_UPDATES] = "Mises à jour",
	[MSG_THEME_ENCRYPTION] = "Chiffrement",
	[MSG_THEME_ACCOUNTS] = "Comptes",
	[MSG_THEME_LOGS] = "Journaux",
	[MSG_THEME_OTHER] = "Autres",
	[MSG_AFFECTED] = "Adresses concernées",
	[MSG_ADVICE] = "Recommandation",
	[MSG_REFERENCES] = "Références",
	[MSG_CONFIDENCE] = "Fiabilité",
	[MSG_CONF_CERTAIN] = "certaine",
	[MSG_CONF_LIKELY] = "probable",
	[MSG_CONF_TO_VERIFY] = "à vérifier",

	[MSG_DETAILS_H] = "Détail technique",
	[MSG_DETAILS_INTRO] = "Pour chaque adresse, l'état relevé, les ports "
	    "ouverts, les services identifiés et les éléments observés "
	    "à l'appui de chaque constat.",
	[MSG_DETAILS_NONE] = "Aucune adresse du périmètre n'a répondu.",
	[MSG_QUIET_H] = "Adresses sans service exposé",
	[MSG_QUIET_SILENT] = "Silencieuses (aucune réponse)",
	[MSG_QUIET_CLOSED] = "Fermées (tous les ports ont refusé la "
	    "connexion)",
	[MSG_QUIET_OTHER] = "Autres",
	[MSG_AND_MORE] = "et {1} autre(s)",
	[MSG_HOST_STATE] = "État",
	[MSG_HOST_UP] = "joignable",
	[MSG_HOST_CLOSED] = "fermée" NBSP ": tous les ports ont refusé la "
	    "connexion",
	[MSG_HOST_SILENT] = "silencieuse" NBSP ": aucune réponse",
	[MSG_HOST_UNRECORDED] = "état non enregistré",
	[MSG_HOST_COUNTS] = "ports ouverts" NBSP ": {1}, fermés" NBSP ": {2}, "
	    "filtrés" NBSP ": {3}",
	[MSG_PORT] = "Port",
	[MSG_PORT_STATE] = "État du port",
	[MSG_PORT_OPEN] = "ouvert",
	[MSG_PORT_CLOSED] = "fermé",
	[MSG_PORT_FILTERED] = "filtré",
	[MSG_SERVICE] = "Service",
	[MSG_PRODUCT] = "Produit",
	[MSG_VERSION] = "Version",
	[MSG_FINDINGS] = "Constats",
	[MSG_EVIDENCE] = "Éléments observés",
	[MSG_RAW_FIELDS] = "Données brutes relevées",
	[MSG_NOT_IDENTIFIED] = "non identifié",
	[MSG_HOST_FINDINGS] = "Constats sur l'adresse",

	[MSG_METHOD_H] = "Comment ce scan a été réalisé",
	[MSG_METHOD_INTRO] = "Vigie se connecte aux services visibles "
	    "depuis Internet et lit ce qu'ils présentent publiquement "
	    "(bannières, certificats, négociation des protocoles). Aucune "
	    "vulnérabilité n'est exploitée et aucune tentative de deviner "
	    "un mot de passe n'est faite.",
	[MSG_METHOD_SOURCE] = "Adresse source du scanner",
	[MSG_METHOD_SOURCE_HINT] = "Les connexions venant de cette adresse "
	    "dans vos journaux correspondent à ce scan.",
	[MSG_METHOD_STARTED] = "Début",
	[MSG_METHOD_FINISHED] = "Fin",
	[MSG_METHOD_STATUS] = "Statut",
	[MSG_METHOD_RULES] = "Version des règles de détection",
	[MSG_METHOD_PORTS] = "Ports sondés",
	[MSG_METHOD_MODE] = "Mode de découverte",
	[MSG_METHOD_VERSION] = "Version de Vigie",
	[MSG_METHOD_SCAN_ID] = "Numéro du scan",
	[MSG_MODE_SYN] = "SYN (demi-connexions)",
	[MSG_MODE_CONNECT] = "connexions TCP complètes",
	[MSG_STATUS_COMPLETE] = "terminé",
	[MSG_STATUS_RUNNING] = "en cours ou interrompu",

	[MSG_CONTACT_H] = "Contacter le CERT Santé ou déclarer un incident",
	[MSG_CONTACT_TEXT] = "Pour toute question sur ce rapport, ou pour "
	    "être accompagné dans la correction des points relevés, "
	    "contactez le CERT Santé.",
	[MSG_INCIDENT_TEXT] = "Si vous constatez ou suspectez un incident de "
	    "sécurité (compromission, rançongiciel, fuite de données), "
	    "déclarez-le sans attendre sur le portail de signalement" NBSP
	    ":",
	[MSG_INCIDENT_URL] = "https://signalement.social-sante.gouv.fr",
	[MSG_INCIDENT_NOTE] = "Les établissements de santé sont tenus de "
	    "signaler les incidents graves de sécurité des systèmes "
	    "d'information. Le CERT Santé vous aide à qualifier l'incident "
	    "et à y répondre.",

	[MSG_FOOTER] = "Rapport produit par Vigie {1} à partir du scan "
	    "n° {2}.",
	[MSG_INDEX_H] = "Établissements",
	[MSG_INDEX_SUMMARY_H] = "Vue d'ensemble",
	[MSG_INDEX_INTRO] = "Un rapport par établissement, du plus exposé "
	    "au moins exposé.",
	[MSG_INDEX_COUNTS] = "{1} établissement(s), {2} constat(s).",
	[MSG_COL_FINESS] = "FINESS",
	[MSG_COL_NAME] = "Établissement",
	[MSG_COL_LEVEL] = "Niveau",
	[MSG_COL_REPORT] = "Rapport",
	[MSG_OPEN_REPORT] = "ouvrir",

	[MSG_DIFF_HEADER] = "Scan {1} ({2}) -> scan {3} ({4})",
	[MSG_DIFF_NEW] = "nouveau",
	[MSG_DIFF_FIXED] = "corrigé",
	[MSG_DIFF_PERSISTING] = "persistant",
	[MSG_DIFF_SUMMARY] = "Bilan" NBSP ": {1} nouveau(x), {2} corrigé(s), "
	    "{3} persistant(s), dans {4} établissement(s).",
	[MSG_DIFF_NO_CHANGE] = "Aucun changement.",
	[MSG_DIFF_ONLY_FROM] = "{1} établissement(s) absent(s) du scan {2}, "
	    "non comparé(s).",
	[MSG_DIFF_ONLY_TO] = "{1} établissement(s) nouveau(x) dans le "
	    "scan {2}, non comparé(s).",

	[MSG_METHOD_ENRICH] = "Bases de géolocalisation",
	[MSG_ENRICH_DB] = "{1}, version du {2}",
	[MSG_ENRICH_NONE] = "aucune (option --mmdb non utilisée)",
	[MSG_GEO_NETWORK] = "Réseau",
	[MSG_GEO_AS] = "AS{1} — {2}",
	[MSG_GEO_COUNTRY] = "Pays",
	[MSG_TREND_H] = "Évolution sur les derniers scans",
	[MSG_TREND_NONE] =
	    "L'évolution apparaîtra après le prochain scan complet.",
	[MSG_SINCE] = "persistant depuis le {1}",
	[MSG_SINCE_SHORT] = "depuis le {1}",
	[MSG_REAPPEARED] = "réapparu après avoir été corrigé",
	[MSG_CHANGES_REAPPEARED] =
	    "Constats réapparus (ils avaient été corrigés)",
	[MSG_CHANGES_FIRST] =
	    "Premier scan complet de l'établissement" NBSP ": les changements "
	    "apparaîtront au prochain.",
	[MSG_PRIORITIES_H] = "À traiter en priorité",
	[MSG_PRIORITIES_ADDRS] = "{1} adresse(s) concernée(s)",
	[MSG_PRIORITIES_PORTS] = "{1} ports concernés sur {2} adresse(s)",
	[MSG_PRIORITIES_MORE] =
	    "Et {1} autre(s) action(s) dans le plan d'action ci-dessous.",
	[MSG_FIRST_SEEN] = "Relevé pour la première fois le {1}",
	[MSG_DATE_SHORT] = "{1}/{2}",
	[MSG_DAY] = "{1} {2} {3}",
	[MSG_SUM_TITLE] =
	    "Vue nationale de l'exposition Internet — scan n° {1}",
	[MSG_SUM_CONFIDENTIAL] =
	    "Document confidentiel, réservé au CERT Santé" NBSP ": il nomme "
	    "des établissements et décrit des faiblesses exploitables. Ne "
	    "pas diffuser.",
	[MSG_SUM_OVERVIEW_H] = "Vue d'ensemble",
	[MSG_SUM_INTRO] =
	    "Scan n° {1} du {2}. L'évolution et les délais de correction "
	    "portent sur les {3} derniers scans complets.",
	[MSG_SUM_KPI_ESTS] = "établissements analysés",
	[MSG_SUM_KPI_EXPOSED] = "avec au moins un constat",
	[MSG_SUM_KPI_CRITICAL] = "avec un constat critique",
	[MSG_SUM_KPI_FINDINGS] = "constats",
	[MSG_SUM_KPI_TTF] = "délai médian de correction",
	[MSG_SUM_DAYS] = "{1}" NBSP "j",
	[MSG_SUM_NA] = "—",
	[MSG_SUM_TREND_H] = "Évolution",
	[MSG_SUM_TREND_INTRO] =
	    "Constats par sévérité à chaque scan complet" NBSP "; nouveaux "
	    "et corrigés par rapport au scan précédent.",
	[MSG_SUM_TREND_ONE] =
	    "Un seul scan complet" NBSP ": l'évolution apparaîtra au "
	    "prochain scan.",
	[MSG_SUM_TREND_CHART] = "Constats par sévérité et par scan",
	[MSG_SUM_COL_SCAN] = "Scan",
	[MSG_SUM_COL_DATE] = "Date",
	[MSG_SUM_COL_ESTS] = "Établissements",
	[MSG_SUM_COL_EXPOSED] = "Avec constat",
	[MSG_SUM_COL_WITH_CRIT] = "Avec constat critique",
	[MSG_SUM_COL_NEW] = "Nouveaux",
	[MSG_SUM_COL_FIXED] = "Corrigés",
	[MSG_SUM_TOP_H] = "Établissements les plus exposés",
	[MSG_SUM_TOP_INTRO] =
	    "Classés par nombre de constats critiques, puis élevés" NBSP ": "
	    "à contacter en priorité.",
	[MSG_SUM_TOP_NONE] = "Aucun établissement ne présente de constat.",
	[MSG_SUM_COL_RANK] = "Rang",
	[MSG_SUM_CAT_H] = "Par catégorie d'établissement",
	[MSG_SUM_REGION_H] = "Par région",
	[MSG_SUM_RULE_H] = "Par type de constat",
	[MSG_SUM_RULE_INTRO] =
	    "Les constats les plus graves d'abord, puis les plus répandus.",
	[MSG_SUM_COL_RULE] = "Règle",
	[MSG_SUM_COL_TITLE] = "Constat",
	[MSG_SUM_COL_FINDINGS] = "Constats",
	[MSG_SUM_COL_ESTS_AFFECTED] = "Établissements concernés",
	[MSG_SUM_CAT_ES] = "Établissements de santé (ES)",
	[MSG_SUM_CAT_ESMS] =
	    "Établissements et services médico-sociaux (ESMS)",
	[MSG_SUM_NOT_GIVEN] = "Non renseignée",
	[MSG_SUM_TTF_H] = "Délai de correction",
	[MSG_SUM_TTF_INTRO] =
	    "Du premier scan où un constat apparaît au premier scan où il a "
	    "disparu, sur les {1} derniers scans complets" NBSP "; la "
	    "précision est l'intervalle entre deux scans. Les constats "
	    "encore ouverts sont comptés avec leur ancienneté.",
	[MSG_SUM_COL_FIXED_N] = "Corrigés",
	[MSG_SUM_COL_MEDIAN] = "Délai médian",
	[MSG_SUM_COL_MEAN] = "Délai moyen",
	[MSG_SUM_COL_OPEN] = "Encore ouverts",
	[MSG_SUM_COL_OPEN_AGE] = "Ouverts depuis (médiane)",
	[MSG_SUM_COL_OLDEST] = "Le plus ancien",
	[MSG_SUM_COL_REAPPEARED] = "Réapparus",
	[MSG_SUM_ALL] = "Toutes sévérités",
	[MSG_SUM_SCAN_H] = "Le scan",
	[MSG_SUM_FILES] =
	    "Les rapports par établissement sont produits par «" NBSP "vigie "
	    "report --format html" NBSP "».",
};

const struct msg_catalog msg_catalog_fr = {
	.lang	= "fr",
	.text	= text,
};
