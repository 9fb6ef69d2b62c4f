package minutes

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"rembuk/board"
)

// discussionText returns, per format, the text from the Pembahasan
// heading to the Kesimpulan heading: the part that lists notes (and
// innovations and priorities) and so would carry authors.
func discussionText(t *testing.T, m Model, format string) string {
	t.Helper()
	body := render(t, m, format)
	var text string
	switch format {
	case "md", "html":
		text = string(body)
	case "docx":
		text = readDocument(t, unzipDOCX(t, body)["word/document.xml"]).Text()
	case "pdf":
		text = pdfToText(t, body)
	}
	return between(t, text, m.L.Discussion, m.L.Conclusions)
}

// TestAnonymous: in an anonymous session no format names a note's author
// — not even the facilitator on the facilitator's own note — and no
// participant id appears outside the json attendance.
func TestAnonymous(t *testing.T) {
	authors := []string{nameChair, nameTaker, nameDede, nameSiti, nameBudi}
	named := Build(newFixture(t, false), Options{Now: fixtureNow, Role: board.RoleFacilitator})
	anon := Build(newFixture(t, true), Options{Now: fixtureNow, Role: board.RoleFacilitator})
	if !anon.Anonymous {
		t.Fatal("fixture is not anonymous")
	}
	for _, format := range []string{"md", "html", "docx", "pdf"} {
		t.Run(format, func(t *testing.T) {
			// The control: the same check finds the authors when the session is not anonymous.
			if s := discussionText(t, named, format); !strings.Contains(s, nameDede) || !strings.Contains(s, nameChair) {
				t.Fatalf("control: authors missing from a named session's discussion")
			}
			s := discussionText(t, anon, format)
			for _, a := range authors {
				if strings.Contains(s, a) {
					t.Errorf("anonymous %s names %q in the discussion", format, a)
				}
			}
			if !strings.Contains(s, anon.L.Anonymous) {
				t.Errorf("anonymous %s does not say that authors are withheld", format)
			}
			body := render(t, anon, format)
			if format == "docx" {
				body = unzipDOCX(t, body)["word/document.xml"]
			}
			for _, id := range authorIDs {
				if bytes.Contains(body, []byte(id)) {
					t.Errorf("anonymous %s carries participant id %q", format, id)
				}
			}
		})
	}

	t.Run("csv", func(t *testing.T) {
		body := render(t, anon, "csv")
		recs := readCSV(t, body, string(anon.L.CSVComma))
		for _, r := range recs[1:] {
			if r[3] != "" {
				t.Errorf("author %q in row %q", r[3], r)
			}
		}
		for _, a := range append(authors, authorIDs...) {
			if bytes.Contains(body, []byte(a)) {
				t.Errorf("csv carries %q", a)
			}
		}
	})

	t.Run("json", func(t *testing.T) {
		var got struct {
			Board struct{ Notes []map[string]any }
		}
		body := render(t, anon, "json")
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Board.Notes) != 8 {
			t.Fatalf("%d notes", len(got.Board.Notes))
		}
		for _, n := range got.Board.Notes {
			if n["authorId"] != nil || n["authorName"] != nil || n["mine"] != nil {
				t.Errorf("note carries its author: %v", n)
			}
		}
	})
}
