package minutes

import (
	"strings"
	"testing"

	"rembuk/board"
)

// The fixture's "Mengetahui" official.
const (
	ackTitle = "Kepala Balai Pengelola Pelayanan"
	ackName  = "Dr. Hendra Wijaya"
	ackNIP   = "19780101 200501 1 001"
)

// TestSignatureBlock (issue 10): the signatures are headed by the
// place-and-date line — the session's city and the meeting's day — and,
// when the session names an official, the "Mengetahui" block stands above
// the signers; md, html, docx and pdf say so in that order, after the
// closing line.
func TestSignatureBlock(t *testing.T) {
	cases := []struct{ lang, placeDate, ack, closing, chair string }{
		{"id", "Jakarta, 27 November 2026", "Mengetahui,", "Rapat ditutup pukul", "Pimpinan Rapat,"},
		{"en", "Jakarta, 27 November 2026", "Acknowledged by,", "The meeting closed at", "Chair,"},
	}
	for _, c := range cases {
		m := fixtureModel(t, c.lang)
		if m.PlaceDate != c.placeDate {
			t.Errorf("%s: PlaceDate %q, want %q", c.lang, m.PlaceDate, c.placeDate)
		}
		if a := m.Acknowledged; a == nil || a.Title != ackTitle || a.Name != ackName || a.NIP != "NIP. "+ackNIP {
			t.Errorf("%s: Acknowledged %+v", c.lang, a)
		}
		for _, format := range []string{"md", "html", "docx", "pdf"} {
			text := wholeText(t, m, format)
			if format == "pdf" {
				text = strings.Join(strings.Fields(text), " ")
			}
			// In order: closing, place and date, Mengetahui, its office, its
			// official, their NIP, then the chair's signature.
			at := 0
			for _, want := range []string{c.closing, c.placeDate, c.ack, ackTitle + ",", ackName, "NIP. " + ackNIP, c.chair} {
				i := strings.Index(text[at:], want)
				if i < 0 {
					t.Errorf("%s %s: no %q after the closing line's start (or out of order)", c.lang, format, want)
					break
				}
				at += i + len(want)
			}
		}
	}
}

// TestSignatureBlockUnset: without a city the place-and-date line leaves
// the city to fill in by hand; without an official there is no
// "Mengetahui" block in any format.
func TestSignatureBlockUnset(t *testing.T) {
	st := newFixtureWith(t, false, func(f *fixture, stage string) {
		if stage == "open" {
			f.st.Session.City, f.st.Session.AcknowledgedBy = "", nil
		}
	})
	m := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator})
	if want := "...................., 27 November 2026"; m.PlaceDate != want {
		t.Errorf("PlaceDate %q, want %q", m.PlaceDate, want)
	}
	if m.Acknowledged != nil {
		t.Errorf("Acknowledged %+v, want nil", m.Acknowledged)
	}
	for _, format := range []string{"md", "html", "docx", "pdf"} {
		text := wholeText(t, m, format)
		if strings.Contains(text, "Mengetahui") || strings.Contains(text, ackName) {
			t.Errorf("%s has a Mengetahui block without an official", format)
		}
		if format == "pdf" {
			text = strings.Join(strings.Fields(text), " ")
		}
		if !strings.Contains(text, "...................., 27 November 2026") {
			t.Errorf("%s lacks the place-and-date line to fill in", format)
		}
	}
}

// TestPDFSignatureBlockKept: in the pdf the closing line, the place-and-date
// line, the Mengetahui block and the signers stand on one page wherever the
// follow-up table ends — the document grows one action at a time over a
// whole page.
func TestPDFSignatureBlockKept(t *testing.T) {
	requireTool(t, "pdftotext")
	base := fixtureModel(t, "id")
	for k := 0; k <= 30; k++ {
		m := base
		m.Actions = append([]Action(nil), base.Actions...)
		for i := 0; i < k; i++ {
			m.Actions = append(m.Actions, Action{No: len(m.Actions) + 1, Text: "Tindak lanjut tambahan",
				Owner: "Seksi Pelayanan", Due: "Selasa, 15 Desember 2026", Status: m.L.NotDone})
		}
		pages := strings.Split(pdfToText(t, render(t, m, "pdf")), "\f")
		found := false
		for i, p := range pages {
			if !strings.Contains(p, "Rapat ditutup pukul") {
				continue
			}
			found = true
			for _, want := range []string{m.PlaceDate, "Mengetahui,", ackName, "Pimpinan Rapat,", nameTaker} {
				if !strings.Contains(p, want) {
					t.Errorf("%d extra actions: page %d has the closing line but not %q", k, i+1, want)
				}
			}
		}
		if !found {
			t.Errorf("%d extra actions: no closing line", k)
		}
	}
}
