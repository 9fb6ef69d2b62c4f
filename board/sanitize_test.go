package board

import (
	"strings"
	"testing"
)

// TestSanitize: control characters and bidi controls go; newline and tab
// stay only in multi-line text; letters of every script stay.
func TestSanitize(t *testing.T) {
	cases := []struct {
		in          string
		single, mul string
	}{
		{"Budi Santoso", "Budi Santoso", "Budi Santoso"},
		{"ñ é 日本 🙂", "ñ é 日本 🙂", "ñ é 日本 🙂"},
		{"a\x00b\x07c\x1bd\x7fe", "abcde", "abcde"},
		{"a\u0085b\u009fc", "abc", "abc"},
		{"baris 1\nbaris 2", "baris 1 baris 2", "baris 1\nbaris 2"},
		{"a\tb", "a b", "a\tb"},
		{"a\r\nb\rc", "a b c", "a\nb\nc"},
		{"\u202Egnp.exe", "gnp.exe", "gnp.exe"},
		{"x\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069y", "xy", "xy"},
		{"\u200Ekeep marks\u200F", "\u200Ekeep marks\u200F", "\u200Ekeep marks\u200F"},
	}
	for _, c := range cases {
		if got := Sanitize(c.in, false); got != c.single {
			t.Errorf("Sanitize(%q, single line) = %q, want %q", c.in, got, c.single)
		}
		if got := Sanitize(c.in, true); got != c.mul {
			t.Errorf("Sanitize(%q, multi-line) = %q, want %q", c.in, got, c.mul)
		}
	}
}

// TestCleanTextSanitizes: the length is counted after sanitising, and a
// value of nothing but controls is empty.
func TestCleanTextSanitizes(t *testing.T) {
	if _, err := CleanText("name", "\u202E\x00\x1b", 1, 5); ErrorCode(err) != CodeInvalid {
		t.Errorf("a name of only controls: err = %v, want invalid (required)", err)
	}
	if got, err := CleanText("name", strings.Repeat("\x00", 10)+"abc", 1, 5); err != nil || got != "abc" {
		t.Errorf("CleanText = %q, %v; want \"abc\"", got, err)
	}
	if got, err := CleanLines("text", " a\r\n\tb\x00 ", 1, 10); err != nil || got != "a\n\tb" {
		t.Errorf("CleanLines = %q, %v; want %q", got, err, "a\n\tb")
	}
}

// TestCommandsSanitize: every command that stores user text stores it
// sanitised — note text, group and column titles, records, actions.
func TestCommandsSanitize(t *testing.T) {
	b, n1, _, g := votingBoard(t)
	const evil = "\u202Eabc\x1b[31m\x00"
	note := b.created("pa", Command{Type: "note.add", ColumnID: "col1", Text: sp("baris\u2066 1\nbaris\t2\x07" + evil)})
	if got := b.s.Notes[note].Text; got != "baris 1\nbaris\t2abc[31m" {
		t.Errorf("note text = %q", got)
	}
	b.do("pa", Command{Type: "note.update", ID: note, Text: sp(evil)})
	if got := b.s.Notes[note].Text; got != "abc[31m" {
		t.Errorf("updated note text = %q", got)
	}
	b.do("fac", Command{Type: "group.update", ID: g, Title: sp("judul\n" + evil)})
	if got := b.s.Groups[g].Title; got != "judul abc[31m" {
		t.Errorf("group title = %q", got)
	}
	col := b.created("fac", Command{Type: "column.add", Title: sp(evil), Kind: sp(KindOther)})
	if got := b.s.Columns[col].Title; got != "abc[31m" {
		t.Errorf("column title = %q", got)
	}
	b.do("fac", Command{Type: "column.update", ID: col, Title: sp("x" + evil)})
	if got := b.s.Columns[col].Title; got != "xabc[31m" {
		t.Errorf("updated column title = %q", got)
	}
	b.do("not", Command{Type: "record.set", TargetID: Str(n1), Text: sp("kesimpulan\n" + evil)})
	if got := b.s.Records[n1].Text; got != "kesimpulan\nabc[31m" {
		t.Errorf("record text = %q", got)
	}
	act := b.created("not", Command{Type: "action.add", Text: sp("tindak\n" + evil), Owner: sp("Budi\n" + evil), Due: sp("2026-12-01")})
	if a := b.s.Actions[act]; a.Text != "tindak\nabc[31m" || a.Owner != "Budi abc[31m" {
		t.Errorf("action = %q / %q", a.Text, a.Owner)
	}
	// A value that is only controls is missing, and changes nothing.
	b.refuse("pa", Command{Type: "note.add", ColumnID: "col1", Text: sp("\u202E\x00")}, CodeInvalid)
}
