package diagram

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextWidth(t *testing.T) {
	tests := []struct {
		s    string
		bold bool
		want float64 // at 2048 px, so font units
	}{
		{"M", false, 1767},
		{"i i", false, 569 + 651 + 569},
		{"M", true, 2038}, // DejaVu Sans Bold
		{"\u0301", false, 0},
		{"🙂", false, 2048},
		{"漢", false, 2048},
		{"ب", false, 0.65 * 2048}, // Arabic: not in the table
	}
	for _, tt := range tests {
		if got := TextWidth(tt.s, 2048, tt.bold); got < tt.want-0.01 || got > tt.want+0.01 {
			t.Errorf("TextWidth(%q, bold %v) = %.2f, want %.2f", tt.s, tt.bold, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := map[string]string{
		"  a \n\t b  ":                 "a b",
		"x\u202Egnp.exe\u202Cy":        "xgnp.exey",
		"a\x00b\x07c":                  "a b c",
		"bad \xff utf8":                "bad \uFFFD utf8",
		"\u2066iso\u2069 \uFFFF\uFDD0": "iso",
		"":                             "",
	}
	for in, want := range tests {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	const size, width = 14, 120
	tests := []struct {
		name, text string
		maxLines   int
		want       []string
	}{
		{"empty", "", 3, nil},
		{"spaces only", " \n ", 3, nil},
		{"one line", "Petugas kurang", 3, []string{"Petugas kurang"}},
		{"on spaces", "Petugas loket kurang dan sering berganti", 4,
			[]string{"Petugas loket", "kurang dan", "sering berganti"}},
		{"ellipsis", "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas", 2,
			[]string{"satu dua tiga", "empat lima…"}},
		{"long word", "Sangatpanjangsekalitanpaspasi ok", 4, []string{"Sangatpanjangs", "ekalitanpaspasi", "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Wrap(tt.text, width, size, false, tt.maxLines)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			for _, ln := range got {
				if w := TextWidth(ln, size, false); w > width {
					t.Errorf("line %q is %.1f wide, more than %d", ln, w, width)
				}
			}
		})
	}
}

// TestWrapBounded: a huge text stops after maxLines, and a box too narrow
// for one rune still makes progress, one rune a line.
func TestWrapBounded(t *testing.T) {
	got := Wrap(strings.Repeat("kata ", 100000), 100, 14, false, 3)
	if len(got) != 3 || !strings.HasSuffix(got[2], ellipsis) {
		t.Errorf("got %q", got)
	}
	got = Wrap("MMM", 1, 14, true, 5)
	if len(got) != 3 || utf8.RuneCountInString(got[0]) != 1 {
		t.Errorf("narrow: got %q", got)
	}
}
