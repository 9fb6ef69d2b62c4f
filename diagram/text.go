package diagram

import (
	"strings"
	"unicode"
)

// Text width is estimated, not measured: the package does no I/O and
// parses no font. widths.go carries the advance widths of DejaVu Sans and
// DejaVu Sans Bold for ASCII, Latin-1, Latin Extended-A/B and General
// Punctuation, generated from minutes/fonts/*.ttf and pinned to them by
// TestWidthTable. Everything else is guessed: combining marks, format
// characters and variation selectors take no room; East Asian wide
// characters and emoji a full em (renderers draw them with a fallback
// font); any other rune 0.65 em, bold 10% more — wider than DejaVu's
// average letter, so the estimate errs towards shorter lines. Kerning is
// ignored (DejaVu Sans has little). The SVG names DejaVu Sans first and
// falls back to Verdana and sans-serif, which can be a few percent wider:
// boxes keep PadX on both sides to absorb it.

const (
	boldFactor = 1.1
	unknownEm  = 0.65
	wideEm     = 1.0
	ellipsis   = "…"
)

// advanceEm is the estimated advance of r in em.
func advanceEm(r rune, bold bool) float64 {
	tables := advanceTables
	if bold {
		tables = boldAdvanceTables
	}
	for _, t := range tables {
		if r >= t.first && int(r-t.first) < len(t.units) {
			if u := t.units[r-t.first]; u != 0 {
				return float64(u) / fontUnitsPerEm
			}
			break
		}
	}
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf), r >= 0xFE00 && r <= 0xFE0F:
		return 0
	case isWide(r):
		return wideEm
	case bold:
		return unknownEm * boldFactor
	}
	return unknownEm
}

// isWide reports East Asian wide characters and emoji, roughly.
func isWide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r >= 0x2600 && r <= 0x27BF, r >= 0x1F000 && r <= 0x1FAFF,
		r >= 0x20000 && r <= 0x3FFFD:
		return true
	}
	return false
}

// TextWidth estimates the width of s drawn in DejaVu Sans at size px.
func TextWidth(s string, size float64, bold bool) float64 {
	var em float64
	for _, r := range s {
		em += advanceEm(r, bold)
	}
	return em * size
}

// Clean makes note text safe to lay out: invalid UTF-8 becomes U+FFFD;
// control characters become spaces; explicit bidi controls (embeddings,
// overrides, isolates) are dropped so that a note cannot reorder what a
// renderer draws after it — the PDF and DOCX renderers place lines
// themselves; noncharacters are dropped. Runs of white space become one
// space and the ends are trimmed.
func Clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == 0xFFFE || r == 0xFFFF, r >= 0xFDD0 && r <= 0xFDEF,
			r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			continue
		case unicode.IsSpace(r), unicode.IsControl(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Wrap breaks cleaned text into lines no wider than width px at size px:
// on spaces, and inside a word only when the word alone is too wide. Past
// maxLines the last kept line ends in an ellipsis. Empty text gives no
// lines.
func Wrap(text string, width, size float64, bold bool, maxLines int) []string {
	if maxLines < 1 {
		maxLines = 1
	}
	fits := func(s string) bool { return TextWidth(s, size, bold) <= width }
	var lines []string
	cur := ""
	for _, word := range strings.Fields(Clean(text)) {
		if cur != "" && fits(cur+" "+word) {
			cur += " " + word
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
			cur = ""
		}
		for !fits(word) && len(lines) <= maxLines {
			head, tail := breakWord(word, width, size, bold)
			lines = append(lines, head)
			word = tail
		}
		cur = word
		if len(lines) > maxLines {
			break
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) <= maxLines {
		return lines
	}
	lines = lines[:maxLines]
	last := []rune(lines[maxLines-1])
	for len(last) > 0 && !fits(strings.TrimRight(string(last), " ")+ellipsis) {
		last = last[:len(last)-1]
	}
	lines[maxLines-1] = strings.TrimRight(string(last), " ") + ellipsis
	return lines
}

// breakWord splits word after the most runes that fit in width, and at
// least one rune so that a line too narrow for any rune still progresses.
func breakWord(word string, width, size float64, bold bool) (string, string) {
	w, cut := 0.0, 0
	for i, r := range word {
		a := advanceEm(r, bold) * size
		if w+a > width && cut > 0 {
			break
		}
		w += a
		cut = i + len(string(r))
	}
	return word[:cut], word[cut:]
}

// advanceTable is one range of widths.go: units[i] is the advance of
// rune first+i in font units (0: not in the font).
type advanceTable struct {
	first rune
	units []uint16
}
