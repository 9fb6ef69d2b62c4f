package board

import (
	"strings"
	"unicode/utf8"
)

// Sanitize removes from s what no person types and what can disguise text:
// C0 control characters, DEL, C1 controls and the bidi embeddings,
// overrides and isolates (U+202A–202E, U+2066–2069), which can make a name
// or a note read backwards on a screen, in a spreadsheet or in the minutes.
// In multi-line text (note text, agenda, records, actions) newline and tab
// are kept and a carriage return becomes a newline; in a single-line value
// (names, titles, units) newline, carriage return and tab become a space,
// so words pasted across lines stay apart. CRLF counts as one line break.
//
// It is the one sanitiser of user text: CleanText and CleanLines call it,
// and every command and the session-create and join paths call those, so
// nothing reaches the store, the room or the minutes without it.
func Sanitize(s string, multiline bool) string {
	if !needsSanitize(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // CRLF counts once: the '\n' that follows is written next
			}
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case dropped(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dropped reports a control or bidi-control rune Sanitize removes.
func dropped(r rune) bool {
	return r < 0x20 || r >= 0x7F && r <= 0x9F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// needsSanitize is the fast path: most text has nothing to remove.
func needsSanitize(s string) bool {
	for _, r := range s {
		if dropped(r) {
			return true
		}
	}
	return false
}
