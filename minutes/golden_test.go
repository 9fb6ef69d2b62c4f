package minutes

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rembuk/board"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestGolden pins the md and html minutes of the fixture in both
// languages; run `go test ./minutes -run Golden -update` after an
// intended change and read the diff.
func TestGolden(t *testing.T) {
	st := newFixture(t, false)
	for _, lang := range []string{"id", "en"} {
		m := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator, Lang: lang})
		for _, format := range []string{"md", "html"} {
			t.Run(lang+"."+format, func(t *testing.T) {
				body, _, _, err := Render(m, format)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", "minutes_"+lang+"."+format+".golden")
				if *update {
					if err := os.WriteFile(path, body, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(body, want) {
					t.Errorf("%s differs from %s (run with -update if intended): %s", format, path, firstDiff(body, want))
				}
			})
		}
	}
}

// firstDiff shows the first line where got and want part.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %q\nwant: %q", i+1, gl, wl)
		}
	}
	return "same lines, different bytes"
}

// TestMarkdownHeadings: the contract's headings, as #/## lines, in order,
// with the root-cause figures (added by issue 13; the fixture has cause
// links) between the priorities and the innovations.
func TestMarkdownHeadings(t *testing.T) {
	st := newFixture(t, false)
	want := map[string]string{
		"id": "Notulen|Hari/Tanggal|Waktu|Tempat|Pimpinan Rapat|Notulis|Peserta|Agenda|Pembahasan|" +
			"Prioritas Masalah|Diagram Akar Masalah|Usulan Inovasi|Pemetaan per Unit|Kesimpulan|Tindak Lanjut|Daftar Hadir",
		"en": "Minutes|Date|Time|Place|Chair|Minute-taker|Participants|Agenda|Discussion|" +
			"Problem Priorities|Root-Cause Diagrams|Proposed Innovations|Mapping by Unit|Conclusions|Follow-up Actions|Attendance List",
	}
	for lang, w := range want {
		body := render(t, Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator, Lang: lang}), "md")
		var got []string
		for _, ln := range strings.Split(string(body), "\n") {
			if h, ok := strings.CutPrefix(ln, "# "); ok {
				got = append(got, h)
			} else if h, ok := strings.CutPrefix(ln, "## "); ok {
				got = append(got, h)
			}
		}
		if strings.Join(got, "|") != w {
			t.Errorf("%s headings:\n got %s\nwant %s", lang, strings.Join(got, "|"), w)
		}
	}
}
