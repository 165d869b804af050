package sillage

import (
	"cmp"
	"slices"
	"strings"
)

// FormatInventory is what `sillage formats` (and `sillage scan --formats`)
// found in a file tree: the format of every file, identified by content,
// with its status under the RGI (Référentiel Général d'Interopérabilité)
// and what to do about it.
type FormatInventory struct {
	// Roots are the directories or files walked, absolute, in the order
	// given.
	Roots []string `json:"roots"`
	// Files lists each file read, sorted by Path. With --list action only
	// the files whose action is review or migrate are listed; the summary
	// still counts every file. Empty, never nil.
	Files []FileFormat `json:"files"`
	// FilesListed says which files Files holds: "all" or "action".
	FilesListed string `json:"filesListed"`
	// Summary has one entry per format (and OOXML variant) found, sorted by
	// action (migrate first), then files, then FormatID. Empty, never nil.
	Summary []FormatSummary `json:"summary"`
	// Directories are the directories holding the most files to migrate,
	// most first (at most 20). Empty, never nil.
	Directories []DirectoryOffender `json:"directories"`
	// Unreadable lists files and directories that could not be read, sorted
	// by Path, at most 1,000 (Totals.Unreadable has the count). Empty,
	// never nil.
	Unreadable []UnreadablePath `json:"unreadable"`
	// Totals counts the walk.
	Totals FormatTotals `json:"totals"`
}

// FileFormat is the identified format of one file.
type FileFormat struct {
	// Path is the file: the root as given joined with the path below it,
	// with '/' separators. Bytes of a name that are not UTF-8 are shown as
	// U+FFFD; PathBase64 then holds the exact bytes.
	Path string `json:"path"`
	// PathBase64 is the exact path, base64 (standard encoding), set only
	// when Path is not the exact name because it is not valid UTF-8.
	PathBase64 string `json:"pathBase64,omitempty"`
	// FormatID is the id of the format in rules/rgi/formats.yaml ("docx",
	// "pdfa"), or "unidentified".
	FormatID string `json:"formatId"`
	// Variant distinguishes kinds of one format the RGI rates differently:
	// "transitional" or "strict" for Office Open XML. Empty otherwise.
	Variant string `json:"variant,omitempty"`
	// PUID is the PRONOM identifier of the format (and version when it was
	// determined), e.g. "fmt/412"; empty when PRONOM has none.
	PUID string `json:"puid"`
	// RGIStatus is the format's status under RGI v2.0: recommended,
	// observation, not-recommended, end-of-life, absent, unknown, or
	// "unverified" when the research behind the status is not strong
	// enough to present it as the RGI's ruling (see Confidence).
	RGIStatus string `json:"rgiStatus"`
	// Confidence is how sure the research is of the status: rgi-text,
	// secondary, official-derivative, draft, inferred, unverified.
	Confidence string `json:"confidence"`
	// Action is none, review or migrate.
	Action string `json:"action"`
	// Replacement is the format id to migrate to, e.g. "odt"; empty when
	// none is proposed.
	Replacement string `json:"replacement"`
	// Size is the file's size in bytes.
	Size int64 `json:"size"`
	// Basis says how the format was identified: "content" (a signature),
	// "content+extension" (a weak signature the extension confirms) or
	// "extension" (only a generic container or text, and the extension).
	Basis string `json:"basis"`
	// Detail is what else identification learned: "PDF 1.7", "PDF/A-2b
	// (claimed)", "ODF 1.3", "encoding windows-1252".
	Detail string `json:"detail,omitempty"`
	// ExtensionMismatch is true when the extension names another format
	// than the content (a PDF named .docx).
	ExtensionMismatch bool `json:"extensionMismatch,omitempty"`
	// Problem is what went wrong while reading the content: a truncated
	// ZIP, a corrupt OLE2 directory, a ZIP member over the size caps.
	Problem string `json:"problem,omitempty"`
}

// FormatSummary counts the files of one format.
type FormatSummary struct {
	// FormatID, Variant, PUIDs (sorted) and Name identify the format.
	FormatID string   `json:"formatId"`
	Variant  string   `json:"variant,omitempty"`
	Name     string   `json:"name"`
	PUIDs    []string `json:"puids"`
	// Files and Bytes count the files of this format.
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// RGIStatus and Confidence: as in FileFormat.
	RGIStatus  string `json:"rgiStatus"`
	Confidence string `json:"confidence"`
	// UnverifiedStatus is the status the research suggests when RGIStatus
	// is "unverified" (e.g. "recommended" from a draft of the RGI); it is
	// not the RGI's ruling. Empty otherwise.
	UnverifiedStatus string `json:"unverifiedStatus,omitempty"`
	// Action is none, review or migrate; Severity the severity a finding
	// about these files gets.
	Action   string   `json:"action"`
	Severity Severity `json:"severity"`
	// Replacement is the preferred format id to migrate to.
	Replacement string `json:"replacement"`
	// ConvertWith are the SILL software that open the format and write
	// the replacement.
	ConvertWith []ConvertTool `json:"convertWith"`
}

// ConvertTool is SILL software that converts a format.
type ConvertTool struct {
	SILLID string `json:"sillId"`
	Name   string `json:"name"`
}

// DirectoryOffender is a directory that holds files to migrate.
type DirectoryOffender struct {
	// Path is the directory, as FileFormat.Path.
	Path string `json:"path"`
	// Migrate and Review count the files directly in it (not in its
	// subdirectories) whose action is migrate or review; Bytes is the size
	// of the files to migrate.
	Migrate int   `json:"migrate"`
	Review  int   `json:"review"`
	Bytes   int64 `json:"bytes"`
	// ByFormat counts the files to migrate per format id.
	ByFormat map[string]int `json:"byFormat"`
}

// UnreadablePath is a file or directory the walk could not read.
type UnreadablePath struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// FormatTotals counts what the walk saw.
type FormatTotals struct {
	// Files is the number of regular files identified (readable ones);
	// Bytes their total size.
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// ArchiveMembers is the number of archive members identified (with
	// --archives); they count in the summary, Unidentified, Migrate and
	// Review, not in Files and Bytes.
	ArchiveMembers int `json:"archiveMembers"`
	// Unidentified is the number of files no format matched.
	Unidentified int `json:"unidentified"`
	// Migrate and Review count the files per action.
	Migrate int `json:"migrate"`
	Review  int `json:"review"`
	// Unreadable counts files and directories that could not be opened or
	// read; Vanished the files that disappeared between listing and
	// reading.
	Unreadable int `json:"unreadable"`
	Vanished   int `json:"vanished"`
	// Skipped counts entries that are not regular files: symbolic links
	// (unless followed), devices, sockets, pipes, and directories already
	// visited (link loops).
	Skipped int `json:"skipped"`
}

// Normalize puts the inventory in its canonical order with no nil slices.
func (inv *FormatInventory) Normalize() {
	if inv.Roots == nil {
		inv.Roots = []string{}
	}
	if inv.Files == nil {
		inv.Files = []FileFormat{}
	}
	slices.SortFunc(inv.Files, func(a, b FileFormat) int { return strings.Compare(a.Path, b.Path) })
	if inv.Summary == nil {
		inv.Summary = []FormatSummary{}
	}
	for i := range inv.Summary {
		s := &inv.Summary[i]
		if s.PUIDs == nil {
			s.PUIDs = []string{}
		}
		slices.Sort(s.PUIDs)
		if s.ConvertWith == nil {
			s.ConvertWith = []ConvertTool{}
		}
	}
	slices.SortFunc(inv.Summary, CompareFormatSummaries)
	if inv.Directories == nil {
		inv.Directories = []DirectoryOffender{}
	}
	for i := range inv.Directories {
		if inv.Directories[i].ByFormat == nil {
			inv.Directories[i].ByFormat = map[string]int{}
		}
	}
	if inv.Unreadable == nil {
		inv.Unreadable = []UnreadablePath{}
	}
	slices.SortFunc(inv.Unreadable, func(a, b UnreadablePath) int { return strings.Compare(a.Path, b.Path) })
}

// actionRank orders actions from the most to the least urgent.
func actionRank(a string) int {
	switch a {
	case "migrate":
		return 0
	case "review":
		return 1
	case "none":
		return 2
	}
	return 3
}

// CompareFormatSummaries orders summary entries: migrate before review
// before none, then by descending file count, then by format id and
// variant.
func CompareFormatSummaries(a, b FormatSummary) int {
	return cmp.Or(
		cmp.Compare(actionRank(a.Action), actionRank(b.Action)),
		cmp.Compare(b.Files, a.Files),
		strings.Compare(a.FormatID, b.FormatID),
		strings.Compare(a.Variant, b.Variant),
	)
}
