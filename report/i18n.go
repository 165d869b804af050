package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// messages holds the words of the human reports (html, markdown) in each
// language of Languages. Both catalogues have the same keys: a test
// checks it, and a key missing at rendering time is an error, never an
// empty string. Values with verbs are fmt formats.
var messages = map[string]map[string]string{
	"fr": {
		"title":                      "Rapport de conformité logicielle",
		"subtitle":                   "Inventaire, licences, SILL et mesures à prendre",
		"toc":                        "Sommaire",
		"summary":                    "Synthèse",
		"findings":                   "Constats",
		"migrations":                 "Migrations possibles vers le SILL",
		"components":                 "Composants",
		"warnings":                   "Avertissements de l'analyse",
		"provenance":                 "Provenance et versions",
		"target":                     "Cible",
		"host":                       "Poste ou serveur",
		"os":                         "Système",
		"machine_id":                 "Identifiant de machine",
		"scanned_at":                 "Analysé le",
		"tool":                       "Outil",
		"schema_version":             "Version du schéma du résultat",
		"policy":                     "Politique",
		"catalogs":                   "Référentiels utilisés",
		"catalog.name":               "Référentiel",
		"catalog.version":            "Version",
		"catalog.source":             "Source",
		"catalog.embedded":           "intégré à sillage",
		"distro":                     "Distribution",
		"image":                      "Image",
		"image.tags":                 "Étiquettes",
		"image.layers":               "Couches",
		"document":                   "Document SBOM",
		"none":                       "aucun",
		"unknown":                    "inconnu",
		"card.components":            "composants inventoriés",
		"card.sill":                  "sur le SILL",
		"card.findings":              "constats à traiter",
		"card.migrations":            "migrations possibles",
		"card.undeclared":            "sans licence connue",
		"card.waived":                "%s dérogés, %s déjà connus",
		"chart.licences":             "Catégories de licence",
		"chart.sill":                 "Couverture par le SILL",
		"chart.severity":             "Constats par gravité",
		"chart.no_data":              "Rien à représenter.",
		"chart.sill_center":          "sur le SILL",
		"chart.active":               "à traiter",
		"chart.not_active":           "dérogés ou déjà connus",
		"top_migrations":             "Principales migrations possibles",
		"top_migrations.none":        "Aucun logiciel propriétaire pour lequel le SILL propose une alternative n'a été trouvé.",
		"migrations.more":            "Les %s migrations possibles sont détaillées plus bas.",
		"product":                    "Produit",
		"category":                   "Catégorie",
		"found_as":                   "Trouvé comme",
		"alternatives":               "Alternatives du SILL",
		"no_alternative":             "pas encore d'alternative au SILL",
		"support_contract":           "marché de support interministériel",
		"comptoir":                   "fiche Comptoir du Libre",
		"sill_entry":                 "fiche SILL %s",
		"filter":                     "Filtrer",
		"filter.placeholder":         "nom, licence, règle…",
		"filter.all":                 "tous",
		"filter.shown":               "lignes affichées :",
		"sort.hint":                  "Cliquer sur un en-tête de colonne pour trier.",
		"col.severity":               "Gravité",
		"col.rule":                   "Règle",
		"col.subject":                "Composant ou fichier",
		"col.message":                "Constat",
		"col.remediation":            "Que faire",
		"col.status":                 "Statut",
		"col.name":                   "Nom",
		"col.version":                "Version",
		"col.type":                   "Type",
		"col.licence":                "Licence",
		"col.category":               "Catégorie",
		"col.sill":                   "SILL",
		"col.findings":               "Constats",
		"status.active":              "actif",
		"status.waived":              "dérogé",
		"status.existing":            "déjà connu",
		"baseline.new":               "nouveau",
		"baseline.existing":          "déjà présent dans la référence",
		"waiver.until":               "jusqu'au %s",
		"waiver.expired":             "dérogation expirée le %s",
		"waiver.by":                  "dérogation %s (%s)",
		"no_findings":                "Aucun constat.",
		"no_components":              "Aucun composant trouvé.",
		"no_warnings":                "Aucun avertissement.",
		"below_minimum":              "inférieur à la version minimale %s",
		"not_on_sill":                "hors SILL",
		"licence.none":               "non déclarée",
		"findings.intro":             "Chaque constat vient d'une règle de la politique. Les constats dérogés ou déjà présents dans la référence (baseline) restent affichés mais ne font pas échouer l'analyse.",
		"migrations.intro":           "Logiciels propriétaires trouvés et logiciels libres du SILL qui peuvent les remplacer.",
		"components.intro":           "Tous les composants inventoriés, avec la licence retenue par sillage et leur statut au SILL.",
		"warnings.intro":             "Problèmes qui n'ont pas arrêté l'analyse mais peuvent la rendre incomplète.",
		"generated":                  "Rapport produit par sillage %s à partir du résultat de l'analyse du %s.",
		"noscript":                   "JavaScript est désactivé : les tableaux sont complets mais ne peuvent être ni triés ni filtrés.",
		"and_more":                   "… et %s de plus",
		"md.summary":                 "%s composants · %s sur le SILL (%s) · %s constats à traiter · %s migrations possibles",
		"md.findings_listed":         "Constats de gravité faible ou plus",
		"md.info_not_listed":         "%s constats d'information ne sont pas listés.",
		"md.full_report":             "Le rapport complet : `sillage report RESULT.json -o html`.",
		"md.footer":                  "sillage %s · %s · analysé le %s",
		"sev.critical":               "critique",
		"sev.high":                   "élevée",
		"sev.medium":                 "moyenne",
		"sev.low":                    "faible",
		"sev.info":                   "information",
		"cat.public-domain":          "domaine public",
		"cat.permissive":             "permissive",
		"cat.weak-copyleft":          "copyleft faible",
		"cat.strong-copyleft":        "copyleft fort",
		"cat.network-copyleft":       "copyleft réseau",
		"cat.proprietary":            "propriétaire",
		"cat.unknown":                "inconnue",
		"cat.":                       "non classée",
		"sill.recommended":           "recommandé",
		"sill.in-observation":        "en observation",
		"sill.no-longer-recommended": "plus recommandé",
		"sill.none":                  "hors SILL",
		"formats":                    "Formats de documents (RGI)",
		"formats.intro":              "%s fichiers lus (%s) : %s à migrer vers un format ouvert, %s à examiner. Le statut est celui du Référentiel général d'interopérabilité v2.0 ; un statut « non vérifié » n'est pas une décision du RGI.",
		"formats.directories":        "Répertoires qui contiennent le plus de fichiers à migrer",
		"formats.unreadable":         "%s fichiers ou répertoires n'ont pas pu être lus (voir la sortie json).",
		"card.formats":               "documents à migrer (RGI)",
		"col.format":                 "Format",
		"col.files":                  "Fichiers",
		"col.size":                   "Taille",
		"col.rgi_status":             "Statut RGI",
		"col.action":                 "Action",
		"col.replacement":            "Remplacer par",
		"col.directory":              "Répertoire",
		"col.migrate":                "À migrer",
		"col.review":                 "À examiner",
		"rgi.unverified_hint":        "la recherche suggère : %s",
		"rgi.recommended":            "recommandé",
		"rgi.observation":            "en observation",
		"rgi.not-recommended":        "déconseillé",
		"rgi.end-of-life":            "en fin de vie",
		"rgi.absent":                 "absent du RGI",
		"rgi.unknown":                "inconnu",
		"rgi.unverified":             "non vérifié",
		"action.none":                "aucune",
		"action.review":              "examiner",
		"action.migrate":             "migrer",
	},
	"en": {
		"title":                      "Software compliance report",
		"subtitle":                   "Inventory, licences, SILL and what to do",
		"toc":                        "Contents",
		"summary":                    "Summary",
		"findings":                   "Findings",
		"migrations":                 "Possible migrations to the SILL",
		"components":                 "Components",
		"warnings":                   "Scan warnings",
		"provenance":                 "Provenance and versions",
		"target":                     "Target",
		"host":                       "Host",
		"os":                         "Operating system",
		"machine_id":                 "Machine ID",
		"scanned_at":                 "Scanned on",
		"tool":                       "Tool",
		"schema_version":             "Result schema version",
		"policy":                     "Policy",
		"catalogs":                   "Reference data used",
		"catalog.name":               "Data",
		"catalog.version":            "Version",
		"catalog.source":             "Source",
		"catalog.embedded":           "embedded in sillage",
		"distro":                     "Distribution",
		"image":                      "Image",
		"image.tags":                 "Tags",
		"image.layers":               "Layers",
		"document":                   "SBOM document",
		"none":                       "none",
		"unknown":                    "unknown",
		"card.components":            "components inventoried",
		"card.sill":                  "on the SILL",
		"card.findings":              "findings to act on",
		"card.migrations":            "possible migrations",
		"card.undeclared":            "with no known licence",
		"card.waived":                "%s waived, %s already known",
		"chart.licences":             "Licence categories",
		"chart.sill":                 "SILL coverage",
		"chart.severity":             "Findings by severity",
		"chart.no_data":              "Nothing to chart.",
		"chart.sill_center":          "on the SILL",
		"chart.active":               "to act on",
		"chart.not_active":           "waived or already known",
		"top_migrations":             "Top migration opportunities",
		"top_migrations.none":        "No proprietary software for which the SILL offers an alternative was found.",
		"migrations.more":            "All %s possible migrations are listed below.",
		"product":                    "Product",
		"category":                   "Category",
		"found_as":                   "Found as",
		"alternatives":               "SILL alternatives",
		"no_alternative":             "no SILL alternative yet",
		"support_contract":           "interministerial support contract",
		"comptoir":                   "Comptoir du Libre page",
		"sill_entry":                 "SILL entry %s",
		"filter":                     "Filter",
		"filter.placeholder":         "name, licence, rule…",
		"filter.all":                 "all",
		"filter.shown":               "rows shown:",
		"sort.hint":                  "Click a column header to sort.",
		"col.severity":               "Severity",
		"col.rule":                   "Rule",
		"col.subject":                "Component or file",
		"col.message":                "Finding",
		"col.remediation":            "What to do",
		"col.status":                 "Status",
		"col.name":                   "Name",
		"col.version":                "Version",
		"col.type":                   "Type",
		"col.licence":                "Licence",
		"col.category":               "Category",
		"col.sill":                   "SILL",
		"col.findings":               "Findings",
		"status.active":              "active",
		"status.waived":              "waived",
		"status.existing":            "already known",
		"baseline.new":               "new",
		"baseline.existing":          "already in the baseline",
		"waiver.until":               "until %s",
		"waiver.expired":             "waiver expired on %s",
		"waiver.by":                  "waiver %s (%s)",
		"no_findings":                "No findings.",
		"no_components":              "No components found.",
		"no_warnings":                "No warnings.",
		"below_minimum":              "below the minimal version %s",
		"not_on_sill":                "not on the SILL",
		"licence.none":               "none declared",
		"findings.intro":             "Each finding comes from a rule of the policy. Waived findings and findings already in the baseline are shown but do not fail the scan.",
		"migrations.intro":           "Proprietary software found, and the free software of the SILL that can replace it.",
		"components.intro":           "Every component inventoried, with the licence sillage concludes and its SILL status.",
		"warnings.intro":             "Problems that did not stop the scan but may leave it incomplete.",
		"generated":                  "Report made by sillage %s from the result of the scan of %s.",
		"noscript":                   "JavaScript is off: the tables are complete but cannot be sorted or filtered.",
		"and_more":                   "… and %s more",
		"md.summary":                 "%s components · %s on the SILL (%s) · %s findings to act on · %s possible migrations",
		"md.findings_listed":         "Findings of low severity or above",
		"md.info_not_listed":         "%s informational findings are not listed.",
		"md.full_report":             "The full report: `sillage report RESULT.json -o html`.",
		"md.footer":                  "sillage %s · %s · scanned %s",
		"sev.critical":               "critical",
		"sev.high":                   "high",
		"sev.medium":                 "medium",
		"sev.low":                    "low",
		"sev.info":                   "info",
		"cat.public-domain":          "public domain",
		"cat.permissive":             "permissive",
		"cat.weak-copyleft":          "weak copyleft",
		"cat.strong-copyleft":        "strong copyleft",
		"cat.network-copyleft":       "network copyleft",
		"cat.proprietary":            "proprietary",
		"cat.unknown":                "unknown",
		"cat.":                       "not classified",
		"sill.recommended":           "recommended",
		"sill.in-observation":        "in observation",
		"sill.no-longer-recommended": "no longer recommended",
		"sill.none":                  "not on the SILL",
		"formats":                    "Document formats (RGI)",
		"formats.intro":              "%s files read (%s): %s to migrate to an open format, %s to review. The status is that of the Référentiel général d'interopérabilité v2.0; an \"unverified\" status is not an RGI ruling.",
		"formats.directories":        "Directories holding the most files to migrate",
		"formats.unreadable":         "%s files or directories could not be read (see the json output).",
		"card.formats":               "documents to migrate (RGI)",
		"col.format":                 "Format",
		"col.files":                  "Files",
		"col.size":                   "Size",
		"col.rgi_status":             "RGI status",
		"col.action":                 "Action",
		"col.replacement":            "Replace with",
		"col.directory":              "Directory",
		"col.migrate":                "To migrate",
		"col.review":                 "To review",
		"rgi.unverified_hint":        "research suggests: %s",
		"rgi.recommended":            "recommended",
		"rgi.observation":            "in observation",
		"rgi.not-recommended":        "not recommended",
		"rgi.end-of-life":            "end of life",
		"rgi.absent":                 "not in the RGI",
		"rgi.unknown":                "unknown",
		"rgi.unverified":             "unverified",
		"action.none":                "none",
		"action.review":              "review",
		"action.migrate":             "migrate",
	},
}

// locale formats words, numbers and dates in one language.
type locale struct {
	lang string
	msgs map[string]string
}

func newLocale(lang string) locale {
	if lang == "" {
		lang = Languages()[0]
	}
	return locale{lang: lang, msgs: messages[lang]}
}

// T returns the message key, formatted with args when it has verbs.
func (l locale) T(key string, args ...any) (string, error) {
	m, ok := l.msgs[key]
	if !ok {
		return "", fmt.Errorf("report: no %q message for language %s", key, l.lang)
	}
	if len(args) == 0 {
		return m, nil
	}
	return fmt.Sprintf(m, args...), nil
}

// must is T for callers that use only keys a test checks.
func (l locale) must(key string, args ...any) string {
	s, err := l.T(key, args...)
	if err != nil {
		panic(err)
	}
	return s
}

// Num writes n with the language's digit grouping: "12 345" (narrow
// no-break space) in French, "12,345" in English.
func (l locale) Num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if l.lang == "fr" {
		sep = "\u202f"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Pct writes part/total as a whole percentage: "42 %" in French, "42%"
// in English; "–" when total is 0.
// Bytes writes a size with a binary unit: "1,5 Mio" in French, "1.5 MiB"
// in English.
func (l locale) Bytes(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	if l.lang == "fr" {
		units = []string{"o", "Kio", "Mio", "Gio", "Tio"}
	}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if u == 0 {
		s = strconv.FormatInt(n, 10)
	}
	if l.lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
		return s + "\u202f" + units[u]
	}
	return s + " " + units[u]
}

func (l locale) Pct(part, total int) string {
	if total == 0 {
		return "–"
	}
	p := (part*100 + total/2) / total
	if p == 0 && part > 0 {
		return l.lessThanOne()
	}
	if l.lang == "fr" {
		return strconv.Itoa(p) + "\u202f%"
	}
	return strconv.Itoa(p) + "%"
}

func (l locale) lessThanOne() string {
	if l.lang == "fr" {
		return "<\u202f1\u202f%"
	}
	return "<1%"
}

var frenchMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// Date writes t (in UTC) as a reader of the language expects:
// "23 novembre 2026 à 09:30 UTC", "23 November 2026, 09:30 UTC".
func (l locale) Date(t time.Time) string {
	t = t.UTC()
	if l.lang == "fr" {
		return fmt.Sprintf("%d %s %d à %s UTC", t.Day(), frenchMonths[t.Month()-1], t.Year(), t.Format("15:04"))
	}
	return t.Format("2 January 2006, 15:04") + " UTC"
}
