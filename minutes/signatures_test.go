package minutes

import (
	"bytes"
	"strings"
	"testing"
)

// TestAttendanceSignatures: every format carries the signed attendance:
// HTML an inline SVG path, DOCX a VML shape, PDF drawn lines in the
// signature cell, Markdown a tick, JSON the flag; NIP and jabatan in each.
func TestAttendanceSignatures(t *testing.T) {
	m := fixtureModel(t, "id")
	html := string(render(t, m, "html"))
	if !strings.Contains(html, `<path d="`+fixtureSignature+`"`) || !strings.Contains(html, `<svg class="signature" viewBox="0 0 300 100"`) {
		t.Error("HTML lacks the signature's SVG path")
	}
	for _, f := range []string{"html", "md", "docx", "pdf"} {
		text := wholeText(t, m, f)
		if f == "pdf" {
			text = strings.Join(strings.Fields(text), " ")
		}
		for _, want := range []string{"Analis", "19850312"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", f, want)
			}
		}
	}
	if md := string(render(t, m, "md")); !strings.Contains(md, "| Peserta | 09.02 WIB | ✓ |") {
		t.Error("Markdown lacks the tick of the signed attendee")
	}
	if js := render(t, m, "json"); !bytes.Contains(js, []byte(`"nip":"19850312 201001 2 004","jabatan":"Analis Pelayanan","signed":true`)) {
		t.Errorf("JSON attendance lacks the signature flag: %s", js)
	}
	parts := unzipDOCX(t, render(t, m, "docx"))
	if !strings.Contains(string(parts["word/document.xml"]), `path="m20,70l40,30,60,70,80,30,100,70m120,50l180,50,240,40m260,80l260,80e"`) {
		t.Error("DOCX lacks the signature's VML path")
	}
	// The PDF draws lines: the fixture's strokes are 6 segments and a dot,
	// each a line operator beyond the unsigned document's.
	plain := fixtureModel(t, "id")
	for i := range plain.Attendance {
		plain.Attendance[i].Strokes = nil
	}
	signed, unsigned := string(render(t, m, "pdf")), string(render(t, plain, "pdf")) // uncompressed
	if got := strings.Count(signed, " l S") - strings.Count(unsigned, " l S"); got != 7 {
		t.Errorf("PDF draws %d more lines with the signature, want 7", got)
	}
}
