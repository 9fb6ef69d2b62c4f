package minutes

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"rembuk/board"
)

// Names and texts of the privacy fixture: Wulan's only note is written in
// the private round and never revealed; Tono's only note is written while
// the session was anonymous, which it no longer is.
const (
	nameWulan   = "Wulan Rahasia"
	privateText = "Usulan rahasia Wulan"
	nameTono    = "Tono Anonim"
	anonText    = "Catatan anonim Tono"
)

func privacyFixture(t *testing.T) *board.State {
	return newFixtureWith(t, false, func(f *fixture, stage string) {
		switch stage {
		case "open":
			f.join("p-tono", nameTono, "Seksi Umum", board.RoleParticipant)
			f.join("p-wulan", nameWulan, "Seksi Umum", board.RoleParticipant)
			f.do("p-fac", board.Command{Type: "settings.update", Anonymous: bp(true)}, "")
			f.note("anon", "p-tono", "akar", anonText)
			f.do("p-fac", board.Command{Type: "settings.update", Anonymous: bp(false)}, "")
		case "private":
			f.note("rahasia", "p-wulan", "masalah", privateText)
		}
	})
}

// wholeText returns the readable text of a rendered format.
func wholeText(t *testing.T, m Model, format string) string {
	t.Helper()
	body := render(t, m, format)
	switch format {
	case "docx":
		return readDocument(t, unzipDOCX(t, body)["word/document.xml"]).Text()
	case "pdf":
		return pdfToText(t, body)
	}
	return string(body)
}

// csvRow returns the csv row whose text cell is text, or nil.
func csvRow(t *testing.T, m Model, text string) []string {
	t.Helper()
	recs := readCSV(t, render(t, m, "csv"), string(m.L.CSVComma))
	for _, r := range recs[1:] {
		if r[2] == text {
			return r
		}
	}
	return nil
}

// jsonNote returns the json board's note whose text is text, or nil.
func jsonNote(t *testing.T, m Model, text string) map[string]any {
	t.Helper()
	var v struct {
		Board struct {
			Notes []map[string]any `json:"notes"`
		} `json:"board"`
	}
	if err := json.Unmarshal(render(t, m, "json"), &v); err != nil {
		t.Fatal(err)
	}
	for _, n := range v.Board.Notes {
		if n["text"] == text {
			return n
		}
		if n["hidden"] == true {
			t.Errorf("json board carries a hidden stub %v", n)
		}
	}
	return nil
}

// TestMinutesRoleRule (issue 9): the minutes never hold a note the
// downloading role could not read on the board at that moment, nor its
// author. The facilitator reads unrevealed private notes on the board, so
// the facilitator's minutes hold them, marked; the notulis does not, so
// the notulis's minutes hold neither the note nor who wrote it — in none
// of the six formats.
func TestMinutesRoleRule(t *testing.T) {
	st := privacyFixture(t)
	fac := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator})
	not := Build(st, Options{Now: fixtureNow, Role: board.RoleNotulis})
	none := Build(st, Options{Now: fixtureNow}) // the zero role is the strictest
	for _, format := range []string{"md", "html", "docx", "pdf"} {
		t.Run(format, func(t *testing.T) {
			if s := wholeText(t, fac, format); !strings.Contains(s, privateText) || !strings.Contains(s, fac.L.NotRevealed) {
				t.Errorf("facilitator's %s lacks the unrevealed note or its mark", format)
			}
			if s := discussionText(t, fac, format); !strings.Contains(s, nameWulan) {
				t.Errorf("control: facilitator's %s does not name the author of the private note", format)
			}
			for role, m := range map[string]Model{"notulis": not, "zero role": none} {
				s := wholeText(t, m, format)
				if strings.Contains(s, privateText) || strings.Contains(s, m.L.NotRevealed) || strings.Contains(s, "Ruang tunggu sempit") {
					t.Errorf("%s's %s holds an unrevealed note", role, format)
				}
				if d := discussionText(t, m, format); strings.Contains(d, nameWulan) {
					t.Errorf("%s's %s names the author of an unrevealed note", role, format)
				}
			}
		})
	}
	t.Run("csv", func(t *testing.T) {
		if r := csvRow(t, fac, privateText); r == nil || r[3] != nameWulan {
			t.Errorf("facilitator's csv row of the private note: %q", r)
		}
		for _, m := range []Model{not, none} {
			body := render(t, m, "csv")
			for _, s := range []string{privateText, "Ruang tunggu sempit", nameWulan} {
				if bytes.Contains(body, []byte(s)) {
					t.Errorf("notulis's csv carries %q", s)
				}
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		if n := jsonNote(t, fac, privateText); n == nil || n["authorName"] != nameWulan {
			t.Errorf("facilitator's json note: %v", n)
		}
		for _, m := range []Model{not, none} {
			if n := jsonNote(t, m, privateText); n != nil {
				t.Errorf("notulis's json holds the private note: %v", n)
			}
			body := render(t, m, "json")
			for _, s := range []string{privateText, "Ruang tunggu sempit", st.Notes[idOf(st, privateText)].ID} {
				if bytes.Contains(body, []byte(s)) {
					t.Errorf("notulis's json carries %q", s)
				}
			}
		}
		var v struct {
			Board board.BoardView `json:"board"`
		}
		if err := json.Unmarshal(render(t, not, "json"), &v); err != nil || v.Board.You.Role != board.RoleNotulis || v.Board.You.Name != nameTaker {
			t.Errorf("notulis's json you = %+v, %v", v.Board.You, err)
		}
	})
}

// idOf returns the id of the note whose text is text.
func idOf(st *board.State, text string) string {
	for id, n := range st.Notes {
		if n.Text == text {
			return id
		}
	}
	return ""
}

// TestMinutesAnonymousNote (issue 9): a note written while the session
// was anonymous names no author in any format, for either role, after
// anonymity was turned off; notes written before and after still do. The
// documents say why once; a session never anonymous says nothing.
func TestMinutesAnonymousNote(t *testing.T) {
	st := privacyFixture(t)
	if m := Build(newFixture(t, false), Options{Now: fixtureNow, Role: board.RoleFacilitator}); m.AnonymousNote != "" {
		t.Errorf("a session never anonymous says %q", m.AnonymousNote)
	}
	if m := Build(newFixture(t, true), Options{Now: fixtureNow, Role: board.RoleFacilitator}); m.AnonymousNote != m.L.Anonymous {
		t.Errorf("an anonymous session says %q", m.AnonymousNote)
	}
	for _, role := range []board.Role{board.RoleFacilitator, board.RoleNotulis} {
		m := Build(st, Options{Now: fixtureNow, Role: role})
		t.Run(string(role), func(t *testing.T) {
			for _, format := range []string{"md", "html", "docx", "pdf"} {
				d := discussionText(t, m, format)
				if !strings.Contains(d, anonText) || !strings.Contains(d, nameDede) {
					t.Errorf("control: %s lacks the anonymous note or a named author", format)
				}
				if strings.Contains(d, nameTono) {
					t.Errorf("%s names the author of a note written anonymously", format)
				}
				if !strings.Contains(d, m.L.AnonymousSome) || strings.Contains(d, m.L.Anonymous) {
					t.Errorf("%s does not say once that notes written while anonymous name no author", format)
				}
			}
			if r := csvRow(t, m, anonText); r == nil || r[3] != "" {
				t.Errorf("csv row of the anonymous note: %q", r)
			}
			if body := render(t, m, "csv"); bytes.Contains(body, []byte(nameTono)) {
				t.Errorf("csv carries %q", nameTono)
			}
			if n := jsonNote(t, m, anonText); n == nil || n["authorId"] != nil || n["authorName"] != nil {
				t.Errorf("json note written anonymously: %v", n)
			}
		})
	}
}

// TestCSVFormulaNeutralised (issue 9): every text cell a spreadsheet would
// run — beginning with =, +, -, @, tab or carriage return — starts with an
// apostrophe: column and group titles, note text and author names alike.
// Issue 10: in both files (";" for id, "," for en), and wherever a program
// splitting on the other separator would start a cell.
func TestCSVFormulaNeutralised(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+62 812": "'+62 812", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"biasa": "biasa", "": "", "a=b": "a=b", "'sudah": "'sudah",
		"a;=1+1": "a;'=1+1", "a, @SUM(A1)": "a, '@SUM(A1)", `a,"=cmd`: `a,"'=cmd`, "x;-cmd|' /C calc'!A0": "x;'-cmd|' /C calc'!A0",
		"=a,+HYPERLINK(1)": "'=a,'+HYPERLINK(1)", "Rp 50.000,-": "Rp 50.000,-", "021, +62 812": "021, +62 812", "a,-2": "a,-2",
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}

	s := board.NewState(board.Session{ID: "s", Title: "=judul", Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(), CreatedAt: t0})
	f := &fixture{tb: t, st: s, now: t0, ids: map[string]string{}}
	f.join("p-fac", "@Fasilitator", "+Unit", board.RoleFacilitator)
	f.join("p-a", "=HYPERLINK(\"http://x\",\"klik\")", "-Unit", board.RoleParticipant)
	f.column("kol", "+Kolom", board.KindProblem)
	f.note("n1", "p-a", "kol", "=cmd|' /C calc'!A0")
	f.note("n2", "p-fac", "kol", "-2+3")
	f.note("n3", "p-a", "kol", "biasa;=1+1,@SUM(A1)")
	f.do("p-fac", board.Command{Type: "phase.set", Phase: "group"}, "")
	f.do("p-fac", board.Command{Type: "group.add", ColumnID: f.ids["kol"], Title: sp("@grup"), NoteIDs: []string{f.ids["n1"]}}, "")
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			m := Build(s, Options{Now: fixtureNow, Role: board.RoleFacilitator, Lang: lang})
			body := render(t, m, "csv")
			// Read with its own separator and with the other language's:
			// no cell may start a formula either way.
			for _, sep := range []string{";", ","} {
				for _, line := range strings.Split(string(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))), "\n") {
					for _, c := range strings.Split(line, sep) {
						if c = strings.TrimLeft(c, ` "`); c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && !numeric(c) {
							t.Errorf("split on %q, cell %q of line %q may run as a formula", sep, c, line)
						}
					}
				}
			}
			recs := readCSV(t, body, string(m.L.CSVComma))
			if len(recs) != 5 {
				t.Fatalf("rows %q", recs)
			}
			for _, r := range recs[1:] {
				for i, c := range r[:4] {
					if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
						t.Errorf("cell %d %q of row %q may run as a formula", i, c, r)
					}
				}
			}
			if got := recs[1][:4]; got[0] != "'+Kolom" || got[1] != "'@grup" || got[2] != "" || got[3] != "" || recs[1][9] != m.L.CSVGroup {
				t.Errorf("group row %q", recs[1])
			}
			if got := recs[2][:4]; got[0] != "'+Kolom" || got[1] != "'@grup" || got[2] != "'=cmd|' /C calc'!A0" || got[3] != "'=HYPERLINK(\"http://x\",\"klik\")" {
				t.Errorf("row %q", got)
			}
			if got := recs[3][:4]; got[1] != "" || got[2] != "'-2+3" || got[3] != "'@Fasilitator" {
				t.Errorf("row %q", got)
			}
			if got := recs[4][2]; got != "biasa;'=1+1,'@SUM(A1)" {
				t.Errorf("a note holding both separators is the cell %q", got)
			}
		})
	}
}

// numeric: a cell such as "-2" is a number, not a formula that runs.
func numeric(c string) bool {
	_, err := strconv.ParseFloat(strings.Replace(c, ",", ".", 1), 64)
	return err == nil
}
