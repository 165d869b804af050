package report_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/sillage-oss/sillage/report"
)

// TestHTMLIsInertAndSelfContained parses the report as a browser would
// and checks that hostile strings stayed text: one script and one style
// sheet (the report's own, allowed by hash in the CSP), no element or
// attribute an attacker could have injected, nothing loaded from
// anywhere, and the payloads visible as text.
func TestHTMLIsInertAndSelfContained(t *testing.T) {
	for _, lang := range report.Languages() {
		t.Run(lang, func(t *testing.T) {
			data := render(t, "html", report.Options{Lang: lang}, richResult())
			doc, err := html.Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var scripts, styles []string
			var csp string
			var text strings.Builder
			count := map[string]int{}
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					count[n.Data]++
					for _, a := range n.Attr {
						switch {
						case strings.HasPrefix(strings.ToLower(a.Key), "on"):
							t.Errorf("<%s> has an event handler %s=%q", n.Data, a.Key, a.Val)
						case a.Key == "src", a.Key == "srcset", a.Key == "action", a.Key == "formaction", a.Key == "style":
							t.Errorf("<%s> has %s=%q", n.Data, a.Key, a.Val)
						case a.Key == "href":
							if !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "https://") {
								t.Errorf("<%s> links to %q", n.Data, a.Val)
							}
						case a.Key == "http-equiv" && a.Val == "Content-Security-Policy":
							for _, b := range n.Attr {
								if b.Key == "content" {
									csp = b.Val
								}
							}
						}
					}
					if n.Data == "script" || n.Data == "style" {
						var b strings.Builder
						for c := n.FirstChild; c != nil; c = c.NextSibling {
							b.WriteString(c.Data)
						}
						if n.Data == "script" {
							scripts = append(scripts, b.String())
						} else {
							styles = append(styles, b.String())
						}
					}
				}
				if n.Type == html.TextNode && n.Parent != nil && n.Parent.Data != "script" && n.Parent.Data != "style" {
					text.WriteString(n.Data)
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
			if len(scripts) != 1 || len(styles) != 1 {
				t.Fatalf("%d scripts and %d style sheets, want one each", len(scripts), len(styles))
			}
			for _, el := range []string{"img", "iframe", "object", "embed", "link", "base", "form", "video", "audio", "image", "use", "foreignObject"} {
				if count[el] > 0 {
					t.Errorf("%d <%s> elements", count[el], el)
				}
			}
			if count["svg"] != 3 {
				t.Errorf("%d inline SVG charts, want 3", count["svg"])
			}
			for _, want := range []string{"default-src 'none'", "script-src '" + hash(scripts[0]) + "'", "style-src '" + hash(styles[0]) + "'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("the Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			for _, payload := range []string{xssImg, xssScript, xssAttr, csvFormula, "<b>bold</b>"} {
				if !strings.Contains(text.String(), payload) {
					t.Errorf("the payload %q is not shown as text", payload)
				}
			}
			// the javascript: URL of an alternative was neutralised
			if !bytes.Contains(data, []byte(`href="#ZgotmplZ"`)) {
				t.Error("the javascript: link was not replaced")
			}
		})
	}
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(h[:])
}

// findChromium returns the browser for TestHTMLInChromium, or "".
func findChromium() string {
	if p := os.Getenv("SILLAGE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestHTMLInChromium opens the report in headless Chromium: it renders,
// logs no error (a CSP violation, a failed load or a script error would),
// no payload runs, the tables sort and filter, it reads without
// JavaScript, and it prints to A4. The screenshot and the PDF are kept in
// $SILLAGE_SCREENSHOT_DIR when set.
func TestHTMLInChromium(t *testing.T) {
	chromium := findChromium()
	if chromium == "" {
		msg := "Chromium not found: install it (Debian: apt-get install -y chromium) or set SILLAGE_CHROMIUM to test the HTML report in a browser"
		if os.Getenv("SILLAGE_REQUIRE_CHROMIUM") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	outDir := os.Getenv("SILLAGE_SCREENSHOT_DIR")
	if outDir == "" {
		outDir = t.TempDir()
	} else if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	res := richResult()
	dir := t.TempDir()
	pages := map[string]string{}
	for _, lang := range report.Languages() {
		p := filepath.Join(dir, "report-"+lang+".html")
		if err := os.WriteFile(p, render(t, "html", report.Options{Lang: lang}, res), 0o644); err != nil {
			t.Fatal(err)
		}
		pages[lang] = "file://" + p
	}

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	b := startBrowser(t, chromium)
	pg, err := b.newPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.call(ctx, pg.session, "Emulation.setDeviceMetricsOverride", map[string]any{"width": 1280, "height": 1800, "deviceScaleFactor": 1, "mobile": false}, nil))
	must(pg.navigate(ctx, pages["fr"]))

	var state struct {
		JS       bool     `json:"js"`
		Title    string   `json:"title"`
		Text     string   `json:"text"`
		Injected int      `json:"injected"`
		Pwned    bool     `json:"pwned"`
		Controls string   `json:"controls"`
		Rows     int      `json:"rows"`
		Charts   []string `json:"charts"`
	}
	must(pg.eval(ctx, `({
		js: document.documentElement.classList.contains("js"),
		title: document.title,
		text: document.body.innerText,
		injected: document.querySelectorAll("img, iframe, object, embed, script:not(:last-of-type)").length,
		pwned: typeof window.pwned !== "undefined",
		controls: getComputedStyle(document.querySelector(".controls")).display,
		rows: document.querySelectorAll("#t-components tbody tr").length,
		charts: Array.from(document.querySelectorAll("figure.chart svg")).map(s => Math.round(s.getBoundingClientRect().width) + "x" + Math.round(s.getBoundingClientRect().height)),
	})`, &state))
	if !state.JS || state.Controls != "flex" {
		t.Errorf("the script did not run: js=%v, controls display %q", state.JS, state.Controls)
	}
	if !strings.HasPrefix(state.Title, "Rapport de conformité logicielle") {
		t.Errorf("title %q", state.Title)
	}
	for _, want := range []string{"Synthèse", "Constats (14)", "Composants (14)", "Couverture par le SILL", "29\u202f%", xssImg, xssScript, "Tchap rollout ends in June " + xssImg, "dérogation expirée le 2026-01-31", "ministere@3", "spdx-3.28.0+sillage-1"} {
		if !strings.Contains(state.Text, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	if state.Injected != 0 || state.Pwned {
		t.Errorf("injected elements: %d, pwned: %v", state.Injected, state.Pwned)
	}
	if state.Rows != len(res.Components) || len(state.Charts) != 3 {
		t.Errorf("%d component rows, charts %v", state.Rows, state.Charts)
	}
	for _, c := range state.Charts {
		if c == "0x0" {
			t.Errorf("a chart is not drawn: %v", state.Charts)
		}
	}

	// sorting: the name column, ascending then descending
	var sorted struct {
		Names []string `json:"names"`
		Asc   bool     `json:"asc"`
		Desc  bool     `json:"desc"`
	}
	sortNames := `(() => {
		document.querySelector("#t-components thead th.sort").click();
		const names = Array.from(document.querySelectorAll("#t-components tbody tr td:first-child .name")).map(e => e.textContent);
		const coll = new Intl.Collator(document.documentElement.lang, {sensitivity: "base", numeric: true}); const cmp = (a, b) => coll.compare(a, b);
		return {names, asc: names.every((n, i) => i == 0 || cmp(names[i-1], n) <= 0), desc: names.every((n, i) => i == 0 || cmp(names[i-1], n) >= 0)};
	})()`
	must(pg.eval(ctx, sortNames, &sorted))
	if len(sorted.Names) != len(res.Components) || !sorted.Asc || sorted.Desc {
		t.Errorf("names not sorted ascending: %q", sorted.Names)
	}
	must(pg.eval(ctx, sortNames, &sorted))
	if !sorted.Desc || sorted.Asc {
		t.Errorf("second click did not sort descending: %q", sorted.Names)
	}
	// severities sort most serious first
	var sevs []string
	must(pg.eval(ctx, `(() => {
		document.querySelector("#t-findings thead th.sort").click();
		return Array.from(document.querySelectorAll("#t-findings tbody tr")).map(r => r.dataset.severity);
	})()`, &sevs))
	if len(sevs) == 0 || sevs[0] != "critical" || sevs[len(sevs)-1] != "info" {
		t.Errorf("severity sort: %v", sevs)
	}

	// filtering: text, then a select
	var shown struct {
		Rows  int    `json:"rows"`
		Count string `json:"count"`
	}
	must(pg.eval(ctx, `(() => {
		const box = document.querySelector(".controls[data-table=t-components]");
		const q = box.querySelector("input[data-filter=text]");
		q.value = "LIBREOFFICE"; q.dispatchEvent(new Event("input"));
		return {rows: document.querySelectorAll("#t-components tbody tr:not([hidden])").length, count: box.querySelector("output").textContent};
	})()`, &shown))
	if shown.Rows != 1 || shown.Count != "1" {
		t.Errorf("text filter: %+v, want 1 row", shown)
	}
	must(pg.eval(ctx, `(() => {
		const box = document.querySelector(".controls[data-table=t-findings]");
		const s = box.querySelector("select[data-filter=status]");
		s.value = "waived"; s.dispatchEvent(new Event("change"));
		return {rows: document.querySelectorAll("#t-findings tbody tr:not([hidden])").length, count: box.querySelector("output").textContent};
	})()`, &shown))
	if shown.Rows != 2 || shown.Count != "2" {
		t.Errorf("status filter: %+v, want the 2 waived findings", shown)
	}

	// a screenshot of the top of the report
	var shot struct {
		Data []byte `json:"data"`
	}
	must(pg.eval(ctx, `window.scrollTo(0, 0)`, nil))
	must(b.call(ctx, pg.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot))
	shotPath := filepath.Join(outDir, "report-fr.png")
	must(os.WriteFile(shotPath, shot.Data, 0o644))
	img, err := png.Decode(bytes.NewReader(shot.Data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if bd := img.Bounds(); bd.Dx() != 1280 || bd.Dy() != 1800 {
		t.Errorf("screenshot is %v", bd)
	}
	colours := map[uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 7 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	if len(colours) < 40 {
		t.Errorf("the screenshot has %d colours: a blank or broken page?", len(colours))
	}
	t.Logf("screenshot: %s", shotPath)

	// printing on A4: sections start pages
	var pdf struct {
		Data []byte `json:"data"`
	}
	must(b.call(ctx, pg.session, "Page.printToPDF", map[string]any{"preferCSSPageSize": true, "printBackground": true}, &pdf))
	if !bytes.HasPrefix(pdf.Data, []byte("%PDF-")) {
		t.Fatal("printToPDF did not give a PDF")
	}
	// sections start pages (summary, findings, migrations, components,
	// warnings, provenance), filtered rows print too, on A4
	pageCount := 0
	for _, m := range regexp.MustCompile(`/Count (\d+)`).FindAllSubmatch(pdf.Data, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		pageCount = max(pageCount, n)
	}
	if pageCount < 6 {
		t.Errorf("the printed report has %d pages; each section should start one", pageCount)
	}
	if !regexp.MustCompile(`/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]`).Match(pdf.Data) {
		t.Error("the printed page is not A4 (595 × 842 pt)")
	}
	must(os.WriteFile(filepath.Join(outDir, "report-fr.pdf"), pdf.Data, 0o644))

	// the English report
	must(pg.navigate(ctx, pages["en"]))
	var text string
	must(pg.eval(ctx, `document.body.innerText`, &text))
	for _, want := range []string{"Software compliance report", "Findings (14)", "waiver expired on 2026-01-31", "SILL coverage"} {
		if !strings.Contains(text, want) {
			t.Errorf("the English page does not show %q", want)
		}
	}

	// without JavaScript: complete, no controls
	must(b.call(ctx, pg.session, "Emulation.setScriptExecutionDisabled", map[string]any{"value": true}, nil))
	must(pg.navigate(ctx, pages["fr"]))
	var nojs struct {
		JS       bool   `json:"js"`
		Controls string `json:"controls"`
		Rows     int    `json:"rows"`
		Notice   bool   `json:"notice"`
	}
	must(pg.eval(ctx, `({
		js: document.documentElement.classList.contains("js"),
		controls: getComputedStyle(document.querySelector(".controls")).display,
		rows: document.querySelectorAll("#t-findings tbody tr").length,
		notice: document.body.innerText.includes("JavaScript est désactivé"),
	})`, &nojs))
	if nojs.JS || nojs.Controls != "none" || nojs.Rows != len(res.Findings) || !nojs.Notice {
		t.Errorf("without JavaScript: %+v", nojs)
	}

	if p := pg.Problems(); len(p) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}
