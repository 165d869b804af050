package scanner

import "testing"

func TestIsNestedBundle(t *testing.T) {
	for p, want := range map[string]bool{
		"/Applications/Slack.app/Contents/Info.plist":                                           false,
		"/Applications/Utilities/Terminal.app/Contents/Info.plist":                              false,
		"/Applications/Slack.app/Contents/Frameworks/Slack Helper.app/Contents/Info.plist":      true,
		"/Applications/Firefox.app/Contents/MacOS/plugin-container.app/Contents/Info.plist":     true,
		"/Users/agent/Applications/Chrome Apps.localized/Docs.app/Contents/Info.plist":          false,
		"/Applications/Microsoft Word.app/Contents/SharedSupport/Extra.app/Contents/Info.plist": true,
	} {
		if got := isNestedBundle(p); got != want {
			t.Errorf("isNestedBundle(%q) = %v, want %v", p, got, want)
		}
	}
}
