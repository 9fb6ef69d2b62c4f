package board

import (
	"strings"
	"unicode/utf8"
)

// Limits of the contract and the per-session caps. One table, so the
// README, the rules and the tests name the same numbers.
const (
	MaxNoteText     = 1000
	MaxTitle        = 200
	MaxName         = 80
	MaxUnit         = 120
	MaxAgenda       = 2000
	MaxCity         = 80 // the session's city, for the minutes' place-and-date line
	MaxNIP          = 40 // an official's staff number (NIP: 18 digits, often spaced)
	MaxRecordText   = 5000
	MaxActionText   = 1000
	MaxRefLen       = 100
	MaxVotesBudget  = 50
	MaxTimerSeconds = 7200
	MaxParticipants = 500
	MaxNotes        = 5000
	MaxGroups       = 500
	MaxColumns      = 30
	MaxLinks        = 2000
	MaxActions      = 500
	MaxGroupNoteIDs = 200
	MaxPasscode     = 64
	MaxClientFrame  = 16 << 10
	MaxRequestBody  = 64 << 10

	// The signed attendance list (signatures.go): a participant's NIP and
	// jabatan, and a signature drawn in a SignatureWidth×SignatureHeight box.
	MaxParticipantNIP  = 30
	MaxJabatan         = 120
	MaxSignatureBytes  = 8 << 10
	MaxSignaturePoints = 2000
	SignatureWidth     = 300
	SignatureHeight    = 100
)

// Colors a note may have.
var noteColors = map[string]bool{"yellow": true, "pink": true, "blue": true, "green": true, "orange": true, "purple": true}

// DefaultColor is the color of a note added without one.
const DefaultColor = "yellow"

// CleanText sanitises a single-line value (a name, title, unit), trims it
// and checks its length in code points against [min,max]. field names the
// value in the error a client sees.
func CleanText(field, s string, min, max int) (string, error) {
	return clean(field, s, min, max, false)
}

// CleanLines is CleanText for multi-line text (note text, agenda, records,
// actions): newlines and tabs stay.
func CleanLines(field, s string, min, max int) (string, error) {
	return clean(field, s, min, max, true)
}

func clean(field, s string, min, max int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", Errorf(CodeInvalid, "%s is not valid UTF-8", field)
	}
	s = strings.TrimSpace(Sanitize(s, multiline))
	n := utf8.RuneCountInString(s)
	if n < min {
		if min == 1 {
			return "", Errorf(CodeInvalid, "%s is required", field)
		}
		return "", Errorf(CodeInvalid, "%s must be at least %d characters", field, min)
	}
	if n > max {
		return "", Errorf(CodeInvalid, "%s is longer than %d characters", field, max)
	}
	return s, nil
}

// validColor reports whether c is one of the note colors.
func validColor(c string) bool { return noteColors[c] }

// ValidDate reports whether s is a YYYY-MM-DD date.
func ValidDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, r := range s {
		if i == 4 || i == 7 {
			continue
		}
		if r < '0' || r > '9' {
			return false
		}
	}
	m := (s[5]-'0')*10 + s[6] - '0'
	d := (s[8]-'0')*10 + s[9] - '0'
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}
