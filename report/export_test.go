package report

import "maps"

// Messages gives the tests a copy of a language's message catalogue.
func Messages(lang string) map[string]string { return maps.Clone(messages[lang]) }
