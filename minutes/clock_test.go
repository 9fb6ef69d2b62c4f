package minutes

import (
	"regexp"
	"strings"
	"testing"
)

// TestClockByLanguage (issue 10): English minutes write times with a colon
// (09:00), Indonesian ones with a dot (09.00), everywhere a time appears —
// the head's Waktu, the closing line and the attendance list — in every
// format people read.
func TestClockByLanguage(t *testing.T) {
	cases := []struct {
		lang       string
		want       []string
		wrong      *regexp.Regexp
		attendance string
	}{
		{"en", []string{"09:00–11:30 WIB", "closed at 11:30 WIB"}, regexp.MustCompile(`\b\d\d\.\d\d WI[BT]A?\b`), "09:02 WIB"},
		{"id", []string{"09.00–11.30 WIB", "ditutup pukul 11.30 WIB"}, regexp.MustCompile(`\b\d\d:\d\d WI[BT]A?\b`), "09.02 WIB"},
	}
	for _, c := range cases {
		m := fixtureModel(t, c.lang)
		if got := m.Attendance[2].Time; got != c.attendance {
			t.Errorf("%s: attendance time %q, want %q", c.lang, got, c.attendance)
		}
		for _, format := range []string{"md", "html", "docx", "pdf"} {
			text := wholeText(t, m, format)
			if format == "pdf" {
				text = strings.Join(strings.Fields(text), " ")
			}
			for _, want := range append(c.want, c.attendance) {
				if !strings.Contains(text, want) {
					t.Errorf("%s %s lacks %q", c.lang, format, want)
				}
			}
			if bad := c.wrong.FindString(text); bad != "" {
				t.Errorf("%s %s writes a time as %q", c.lang, format, bad)
			}
		}
	}
}
