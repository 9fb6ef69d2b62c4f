package minutes

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"rembuk/board"
)

// TestFigures: a problem with cause links gets a figure (both views, the
// causes per bone), for every role that may read it; the PDF draws it on
// pages of their own where pdftotext finds the problem, the bone and the
// causes; the HTML inlines both SVGs.
func TestFigures(t *testing.T) {
	st := newFixture(t, false)
	m := Build(st, Options{Now: t0, Lang: "id", Role: board.RoleNotulis})
	if len(m.Figures) != 1 {
		t.Fatalf("figures = %d, want 1", len(m.Figures))
	}
	f := m.Figures[0]
	if f.Problem != "Antrean layanan panjang pada jam sibuk" || len(f.Fishbone.Nodes) != 3 || len(f.Tree.Nodes) != 3 {
		t.Errorf("figure %q: fishbone %d nodes, tree %d", f.Problem, len(f.Fishbone.Nodes), len(f.Tree.Nodes))
	}
	if len(f.Bones) != 1 || f.Bones[0].Name != "Akar Masalah" || len(f.Bones[0].Causes) != 2 ||
		f.Bones[0].Causes[1] != (Cause{Text: "SOP pelayanan belum diperbarui", Depth: 2}) {
		t.Errorf("bones = %+v", f.Bones)
	}

	html := string(render(t, m, "html"))
	if strings.Count(html, `<figure class="dg"><svg `) != 2 || !strings.Contains(html, "Diagram tulang ikan: Antrean layanan panjang") {
		t.Errorf("html lacks the two figures")
	}

	text := pdfToText(t, render(t, m, "pdf"))
	pages := strings.Split(text, "\f")
	var figPages []string
	for _, p := range pages {
		if strings.Contains(p, "Diagram tulang ikan:") || strings.Contains(p, "Pohon masalah:") {
			figPages = append(figPages, p)
		}
	}
	if len(figPages) != 2 {
		t.Fatalf("%d figure pages, want 2", len(figPages))
	}
	for i, p := range figPages {
		flat := strings.Join(strings.Fields(p), " ")
		for _, want := range []string{"Antrean layanan", "Petugas loket kurang", "SOP pelayanan"} {
			if !strings.Contains(flat, want) {
				t.Errorf("figure page %d lacks %q:\n%s", i, want, p)
			}
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(figPages[0]), " "), "Akar Masalah") {
		t.Errorf("the fishbone page lacks its bone label")
	}
	if !strings.Contains(text, "Diagram Akar Masalah") {
		t.Errorf("pdf lacks the section heading")
	}

	// DOCX: both figures as PNG pictures, related and typed, captioned.
	parts := unzipDOCX(t, render(t, m, "docx"))
	for _, name := range []string{"word/media/figure-1-fishbone.png", "word/media/figure-1-tree.png"} {
		img, err := png.Decode(bytes.NewReader(parts[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 200 {
			t.Errorf("%s is %v", name, b)
		}
	}
	doc := string(parts["word/document.xml"])
	rels := string(parts["word/_rels/document.xml.rels"])
	if strings.Count(doc, "<w:drawing>") != 2 || !strings.Contains(doc, "Diagram tulang ikan: Antrean layanan") ||
		!strings.Contains(rels, `Target="media/figure-1-tree.png"`) || !strings.Contains(string(parts["[Content_Types].xml"]), `Extension="png"`) {
		t.Errorf("docx does not place the figures")
	}
	if err := wellFormed(parts["word/document.xml"]); err != nil {
		t.Errorf("document.xml: %v", err)
	}
}

// TestFiguresPrivacy: a cause the reader's role may not read is in no
// figure; the facilitator's figure has it, marked nowhere else.
func TestFiguresPrivacy(t *testing.T) {
	st := newFixtureWith(t, false, func(f *fixture, stage string) {
		if stage == "private" {
			f.note("rahasia", "p-budi", "akar", "RAHASIA kabel server putus")
			f.do("p-fac", board.Command{Type: "link.add", FromID: f.ids["rahasia"], ToID: f.ids["antrean"], Kind: sp(board.LinkCause)}, "")
		}
	})
	for role, want := range map[board.Role]bool{board.RoleNotulis: false, board.RoleFacilitator: true} {
		m := Build(st, Options{Now: t0, Lang: "id", Role: role})
		for _, format := range []string{"md", "html"} {
			if got := strings.Contains(string(render(t, m, format)), "RAHASIA"); got != want {
				t.Errorf("%s minutes (%s) hold the private cause: %v, want %v", role, format, got, want)
			}
		}
		var in bool
		for _, f := range m.Figures {
			for _, n := range append(f.Fishbone.Nodes, f.Tree.Nodes...) {
				in = in || strings.Contains(n.Text, "RAHASIA")
			}
		}
		if in != want {
			t.Errorf("%s figure holds the private cause: %v, want %v", role, in, want)
		}
	}
}
