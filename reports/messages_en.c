/*
 * messages_en.c - the English texts.  Same ids as messages_fr.c, the
 * reference; {1}..{9} are placeholders (msg_fmt()).
 */
#include "report_internal.h"

static const char *const text[MSG__COUNT] = {
	[MSG_DOC_TITLE] = "Internet exposure report — {1} (FINESS {2})",
	[MSG_INDEX_TITLE] = "Internet exposure report — scan {1} overview",
	[MSG_BRAND] = "Vigie · CERT Santé",
	[MSG_CONFIDENTIAL] = "Confidential, for the establishment and "
	    "CERT Santé: it describes exploitable weaknesses. Do not "
	    "distribute.",
	[MSG_SCAN_OF] = "Scan {1} of {2}",
	[MSG_WARN_NOT_COMPLETE] = "Warning: this scan did not finish "
	    "normally (status \"{1}\"); its results may be incomplete.",
	[MSG_WARN_NO_COMPLETE] = "No complete scan is available: this "
	    "report covers the last scan started.",
	[MSG_DATE] = "{2} {1}, {3} at {4} UTC",
	[MSG_MONTH_1] = "January",
	[MSG_MONTH_2] = "February",
	[MSG_MONTH_3] = "March",
	[MSG_MONTH_4] = "April",
	[MSG_MONTH_5] = "May",
	[MSG_MONTH_6] = "June",
	[MSG_MONTH_7] = "July",
	[MSG_MONTH_8] = "August",
	[MSG_MONTH_9] = "September",
	[MSG_MONTH_10] = "October",
	[MSG_MONTH_11] = "November",
	[MSG_MONTH_12] = "December",
	[MSG_UNKNOWN] = "not recorded",
	[MSG_NONE] = "none",
	[MSG_COLON] = ": ",

	[MSG_CHANGES_H] = "What changed since the last scan",
	[MSG_CHANGES_INTRO] = "Compared with scan {1} of {2}.",
	[MSG_CHANGES_NEW] = "New findings",
	[MSG_CHANGES_FIXED] = "Fixed findings",
	[MSG_CHANGES_PERSISTING] = "Persisting findings",
	[MSG_CHANGES_COUNTS] = "{1} new, {2} fixed, {3} persisting.",
	[MSG_CHANGES_NONE] = "No change since the previous scan.",

	[MSG_SUMMARY_H] = "Summary for management",
	[MSG_EXPOSURE_LEVEL] = "Exposure level",
	[MSG_LEVEL_NONE] = "None",
	[MSG_LEVEL_INFO] = "Low",
	[MSG_LEVEL_LOW] = "Low",
	[MSG_LEVEL_MEDIUM] = "Moderate",
	[MSG_LEVEL_HIGH] = "High",
	[MSG_LEVEL_CRITICAL] = "Critical",
	[MSG_LEVEL_EXPLAIN_NONE] = "No finding was made on the services "
	    "visible from the Internet during this scan.",
	[MSG_LEVEL_EXPLAIN_INFO] = "Only informational items were noted: "
	    "no urgent action is expected.",
	[MSG_LEVEL_EXPLAIN_LOW] = "Only minor points were noted: they can "
	    "be handled during routine maintenance.",
	[MSG_LEVEL_EXPLAIN_MEDIUM] = "Configuration weaknesses are visible "
	    "from the Internet: plan their correction soon.",
	[MSG_LEVEL_EXPLAIN_HIGH] = "Sensitive services are exposed to the "
	    "Internet and are entry points known to attackers: fixing them "
	    "is a priority.",
	[MSG_LEVEL_EXPLAIN_CRITICAL] = "At least one critical exposure may "
	    "allow a direct compromise from the Internet: it calls for "
	    "immediate action.",
	[MSG_SEV_INFO] = "Info",
	[MSG_SEV_LOW] = "Low",
	[MSG_SEV_MEDIUM] = "Medium",
	[MSG_SEV_HIGH] = "High",
	[MSG_SEV_CRITICAL] = "Critical",
	[MSG_SCAN_DATE] = "Scan date",
	[MSG_PERIMETER] = "Scope",
	[MSG_HOSTNAMES] = "Host names",
	[MSG_CATEGORY] = "Category",
	[MSG_REGION] = "Region",
	[MSG_FINDINGS_BY_SEV] = "Findings by severity",
	[MSG_SEVERITY] = "Severity",
	[MSG_COUNT] = "Count",
	[MSG_TOTAL] = "Total",
	[MSG_STATS] = "{1} address(es) examined, {2} of them reachable; "
	    "{3} open port(s), {4} service(s) identified.",

	[MSG_ACTIONS_H] = "Prioritised action plan",
	[MSG_ACTIONS_INTRO] = "Actions are grouped by theme, most severe "
	    "first.",
	[MSG_ACTIONS_NONE] = "No action is required.",
	[MSG_THEME_EXPOSITION] = "Exposure",
	[MSG_THEME_MFA] = "Multi-factor authentication (MFA)",
	[MSG_THEME_UPDATES] = "Updates",
	[MSG_THEME_ENCRYPTION] = "Encryption",
	[MSG_THEME_ACCOUNTS] = "Accounts",
	[MSG_THEME_LOGS] = "Logs",
	[MSG_THEME_OTHER] = "Other",
	[MSG_AFFECTED] = "Affected addresses",
	[MSG_ADVICE] = "Recommendation",
	[MSG_REFERENCES] = "References",
	[MSG_CONFIDENCE] = "Confidence",
	[MSG_CONF_CERTAIN] = "certain",
	[MSG_CONF_LIKELY] = "likely",
	[MSG_CONF_TO_VERIFY] = "to be verified",

	[MSG_DETAILS_H] = "Technical details",
	[MSG_DETAILS_INTRO] = "For each address: its state, open ports, "
	    "identified services and the evidence behind each finding.",
	[MSG_DETAILS_NONE] = "No address in scope answered.",
	[MSG_QUIET_H] = "Addresses with no exposed service",
	[MSG_QUIET_SILENT] = "Silent (no answer)",
	[MSG_QUIET_CLOSED] = "Closed (every port refused the connection)",
	[MSG_QUIET_OTHER] = "Other",
	[MSG_AND_MORE] = "and {1} more",
	[MSG_HOST_STATE] = "State",
	[MSG_HOST_UP] = "reachable",
	[MSG_HOST_CLOSED] = "closed: every port refused the connection",
	[MSG_HOST_SILENT] = "silent: no answer",
	[MSG_HOST_UNRECORDED] = "state not recorded",
	[MSG_HOST_COUNTS] = "open ports: {1}, closed: {2}, filtered: {3}",
	[MSG_PORT] = "Port",
	[MSG_PORT_STATE] = "Port state",
	[MSG_PORT_OPEN] = "open",
	[MSG_PORT_CLOSED] = "closed",
	[MSG_PORT_FILTERED] = "filtered",
	[MSG_SERVICE] = "Service",
	[MSG_PRODUCT] = "Product",
	[MSG_VERSION] = "Version",
	[MSG_FINDINGS] = "Findings",
	[MSG_EVIDENCE] = "Evidence",
	[MSG_RAW_FIELDS] = "Raw data collected",
	[MSG_NOT_IDENTIFIED] = "not identified",
	[MSG_HOST_FINDINGS] = "Findings on the address",

	[MSG_METHOD_H] = "How this scan was performed",
	[MSG_METHOD_INTRO] = "Vigie connects to the services visible from "
	    "the Internet and reads what they show publicly (banners, "
	    "certificates, protocol negotiation). No vulnerability is "
	    "exploited and no password is guessed.",
	[MSG_METHOD_SOURCE] = "Scanner source address",
	[MSG_METHOD_SOURCE_HINT] = "Connections from this address in your "
	    "logs come from this scan.",
	[MSG_METHOD_STARTED] = "Started",
	[MSG_METHOD_FINISHED] = "Finished",
	[MSG_METHOD_STATUS] = "Status",
	[MSG_METHOD_RULES] = "Detection rules version",
	[MSG_METHOD_PORTS] = "Ports probed",
	[MSG_METHOD_MODE] = "Discovery mode",
	[MSG_METHOD_VERSION] = "Vigie version",
	[MSG_METHOD_SCAN_ID] = "Scan number",
	[MSG_MODE_SYN] = "SYN (half-open)",
	[MSG_MODE_CONNECT] = "full TCP connections",
	[MSG_STATUS_COMPLETE] = "complete",
	[MSG_STATUS_RUNNING] = "running or interrupted",

	[MSG_CONTACT_H] = "Contact CERT Santé or report an incident",
	[MSG_CONTACT_TEXT] = "For any question about this report, or for "
	    "help in fixing what it lists, contact CERT Santé.",
	[MSG_INCIDENT_TEXT] = "If you notice or suspect a security incident "
	    "(compromise, ransomware, data leak), report it without delay "
	    "on the reporting portal:",
	[MSG_INCIDENT_URL] = "https://signalement.social-sante.gouv.fr",
	[MSG_INCIDENT_NOTE] = "Health establishments must report serious "
	    "information system security incidents. CERT Santé helps you "
	    "assess the incident and respond to it.",

	[MSG_FOOTER] = "Report produced by Vigie {1} from scan {2}.",
	[MSG_INDEX_H] = "Establishments",
	[MSG_INDEX_SUMMARY_H] = "Overview",
	[MSG_INDEX_INTRO] = "One report per establishment, most exposed "
	    "first.",
	[MSG_INDEX_COUNTS] = "{1} establishment(s), {2} finding(s).",
	[MSG_COL_FINESS] = "FINESS",
	[MSG_COL_NAME] = "Establishment",
	[MSG_COL_LEVEL] = "Level",
	[MSG_COL_REPORT] = "Report",
	[MSG_OPEN_REPORT] = "open",

	[MSG_DIFF_HEADER] = "Scan {1} ({2}) -> scan {3} ({4})",
	[MSG_DIFF_NEW] = "new",
	[MSG_DIFF_FIXED] = "fixed",
	[MSG_DIFF_PERSISTING] = "persisting",
	[MSG_DIFF_SUMMARY] = "Summary: {1} new, {2} fixed, {3} persisting, "
	    "in {4} establishment(s).",
	[MSG_DIFF_NO_CHANGE] = "No change.",
	[MSG_DIFF_ONLY_FROM] = "{1} establishment(s) missing from scan {2}, "
	    "not compared.",
	[MSG_DIFF_ONLY_TO] = "{1} establishment(s) new in scan {2}, not "
	    "compared.",

	[MSG_METHOD_ENRICH] = "Geolocation databases",
	[MSG_ENRICH_DB] = "{1}, build of {2}",
	[MSG_ENRICH_NONE] = "none (no --mmdb option)",
	[MSG_GEO_NETWORK] = "Network",
	[MSG_GEO_AS] = "AS{1} — {2}",
	[MSG_GEO_COUNTRY] = "Country",
	[MSG_TREND_H] = "Trend over the last scans",
	[MSG_TREND_NONE] = "The trend will show after the next complete scan.",
	[MSG_SINCE] = "persisting since {1}",
	[MSG_SINCE_SHORT] = "since {1}",
	[MSG_REAPPEARED] = "back after a fix",
	[MSG_CHANGES_REAPPEARED] = "Reappeared findings (they had been fixed)",
	[MSG_CHANGES_FIRST] =
	    "The establishment's first complete scan: changes will show at "
	    "the next one.",
	[MSG_PRIORITIES_H] = "To deal with first",
	[MSG_PRIORITIES_ADDRS] = "{1} address(es) affected",
	[MSG_PRIORITIES_PORTS] = "{1} ports affected on {2} address(es)",
	[MSG_PRIORITIES_MORE] =
	    "And {1} more action(s) in the action plan below.",
	[MSG_FIRST_SEEN] = "First seen on {1}",
	[MSG_DATE_SHORT] = "{2}/{1}",
	[MSG_DAY] = "{2} {1}, {3}",
	[MSG_SUM_TITLE] = "National view of Internet exposure — scan {1}",
	[MSG_SUM_CONFIDENTIAL] =
	    "Confidential, for CERT Santé only: it names establishments and "
	    "describes exploitable weaknesses. Do not distribute.",
	[MSG_SUM_OVERVIEW_H] = "Overview",
	[MSG_SUM_INTRO] =
	    "Scan {1} of {2}. The trend and the times to fix cover the last "
	    "{3} complete scans.",
	[MSG_SUM_KPI_ESTS] = "establishments scanned",
	[MSG_SUM_KPI_EXPOSED] = "with at least one finding",
	[MSG_SUM_KPI_CRITICAL] = "with a critical finding",
	[MSG_SUM_KPI_FINDINGS] = "findings",
	[MSG_SUM_KPI_TTF] = "median time to fix",
	[MSG_SUM_DAYS] = "{1} d",
	[MSG_SUM_NA] = "—",
	[MSG_SUM_TREND_H] = "Trend",
	[MSG_SUM_TREND_INTRO] =
	    "Findings by severity at each complete scan; new and fixed ones "
	    "compared with the scan before.",
	[MSG_SUM_TREND_ONE] =
	    "A single complete scan: the trend will show at the next one.",
	[MSG_SUM_TREND_CHART] = "Findings by severity and scan",
	[MSG_SUM_COL_SCAN] = "Scan",
	[MSG_SUM_COL_DATE] = "Date",
	[MSG_SUM_COL_ESTS] = "Establishments",
	[MSG_SUM_COL_EXPOSED] = "With findings",
	[MSG_SUM_COL_WITH_CRIT] = "With a critical finding",
	[MSG_SUM_COL_NEW] = "New",
	[MSG_SUM_COL_FIXED] = "Fixed",
	[MSG_SUM_TOP_H] = "Most exposed establishments",
	[MSG_SUM_TOP_INTRO] =
	    "Ranked by critical findings, then high ones: to contact first.",
	[MSG_SUM_TOP_NONE] = "No establishment has a finding.",
	[MSG_SUM_COL_RANK] = "Rank",
	[MSG_SUM_CAT_H] = "By category of establishment",
	[MSG_SUM_REGION_H] = "By region",
	[MSG_SUM_RULE_H] = "By kind of finding",
	[MSG_SUM_RULE_INTRO] =
	    "The most severe findings first, then the most widespread.",
	[MSG_SUM_COL_RULE] = "Rule",
	[MSG_SUM_COL_TITLE] = "Finding",
	[MSG_SUM_COL_FINDINGS] = "Findings",
	[MSG_SUM_COL_ESTS_AFFECTED] = "Establishments affected",
	[MSG_SUM_CAT_ES] = "Health establishments (ES)",
	[MSG_SUM_CAT_ESMS] =
	    "Medico-social establishments and services (ESMS)",
	[MSG_SUM_NOT_GIVEN] = "Not given",
	[MSG_SUM_TTF_H] = "Time to fix",
	[MSG_SUM_TTF_INTRO] =
	    "From the first scan where a finding appears to the first scan "
	    "where it is gone, over the last {1} complete scans; precise to "
	    "the interval between two scans. Findings still open are counted "
	    "with their age.",
	[MSG_SUM_COL_FIXED_N] = "Fixed",
	[MSG_SUM_COL_MEDIAN] = "Median time",
	[MSG_SUM_COL_MEAN] = "Mean time",
	[MSG_SUM_COL_OPEN] = "Still open",
	[MSG_SUM_COL_OPEN_AGE] = "Open for (median)",
	[MSG_SUM_COL_OLDEST] = "Oldest",
	[MSG_SUM_COL_REAPPEARED] = "Reappeared",
	[MSG_SUM_ALL] = "All severities",
	[MSG_SUM_SCAN_H] = "The scan",
	[MSG_SUM_FILES] =
	    "Per-establishment reports are made by \"vigie report --format "
	    "html\".",
};

const struct msg_catalog msg_catalog_en = {
	.lang	= "en",
	.text	= text,
};
