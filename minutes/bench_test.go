package minutes

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"rembuk/board"
)

var (
	bigOnce  sync.Once
	bigState *board.State
)

// bigBoard is a full board: board.MaxNotes (5,000) notes over the
// zona-integritas columns, with groups, votes, USG scores, links, records
// and actions, built once through the domain's commands.
func bigBoard(tb testing.TB) *board.State {
	bigOnce.Do(func() {
		s := board.Session{ID: "s-big", Title: "Diskusi Terfokus Zona Integritas — Seluruh Unit", Template: "zona-integritas",
			Agenda: "Identifikasi masalah enam area perubahan", Place: "Aula Utama", Unit: "Kementerian Contoh",
			Settings: board.Settings{VotesPerParticipant: 20}}
		f := &fixture{tb: tb, st: board.NewState(s), now: t0, ids: map[string]string{}}
		f.join("p-fac", "Fasilitator Utama", "Inspektorat", board.RoleFacilitator)
		people := []string{"p-fac"}
		for i := range 60 {
			id := fmt.Sprintf("p-%02d", i)
			f.join(id, fmt.Sprintf("Peserta Nomor %d Ñ", i), fmt.Sprintf("Unit %d", i%7), board.RoleParticipant)
			people = append(people, id)
		}
		var cols []string
		for i, t := range board.Templates()[0].Columns {
			key := fmt.Sprintf("c%d", i)
			f.column(key, t.Title, t.Kind)
			cols = append(cols, key)
		}
		for i := range board.MaxNotes {
			text := fmt.Sprintf("Catatan %d: %s", i, strings.Repeat("proses layanan perlu diperbaiki ", 1+i%6))
			f.note(fmt.Sprintf("n%d", i), people[i%len(people)], cols[i%len(cols)], text)
		}
		// 300 groups of 5 notes each: group g sits in column g%7 and takes
		// notes of that column no other group takes.
		for g := range 300 {
			var ids []string
			c := g % len(cols)
			for k := range 5 {
				ids = append(ids, f.ids[fmt.Sprintf("n%d", c+len(cols)*(5*(g/len(cols))+k))])
			}
			f.do("p-fac", board.Command{Type: "group.add", ColumnID: f.ids[cols[g%len(cols)]],
				Title: sp(fmt.Sprintf("Kelompok %d", g)), NoteIDs: ids}, fmt.Sprintf("g%d", g))
		}
		f.do("p-fac", board.Command{Type: "phase.set", Phase: "vote"}, "")
		for i, p := range people {
			for k := range 10 {
				n := fmt.Sprintf("n%d", (i*37+k*101)%board.MaxNotes)
				f.vote(p, n, 1)
				f.usg(p, n, 1+k%5, 1+(k+i)%5, 1+(k*i)%5)
			}
			f.usg(p, fmt.Sprintf("g%d", i%300), 1+i%5, 1+(i/5)%5, 3)
		}
		f.do("p-fac", board.Command{Type: "phase.set", Phase: "discuss"}, "")
		for i := range 600 {
			from := fmt.Sprintf("n%d", i*len(cols)+len(cols)-1) // the innovation column is the last
			to := fmt.Sprintf("n%d", i*len(cols)+i%(len(cols)-1))
			f.do("p-fac", board.Command{Type: "link.add", FromID: f.ids[from], ToID: f.ids[to]}, "")
		}
		for i := range 200 {
			f.do("p-fac", board.Command{Type: "record.set", TargetID: board.Str(f.ids[fmt.Sprintf("n%d", i*13)]),
				Text: sp("Disepakati untuk ditindaklanjuti.")}, "")
			f.do("p-fac", board.Command{Type: "action.add", Text: sp(fmt.Sprintf("Tindak lanjut %d", i)),
				Owner: sp("Kepala Seksi"), Due: sp(fmt.Sprintf("2027-%02d-%02d", 1+i%12, 1+i%28))}, "")
		}
		bigState = f.st
	})
	if len(bigState.Notes) != board.MaxNotes {
		tb.Fatalf("big board has %d notes", len(bigState.Notes))
	}
	return bigState
}

var benchNow = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

// benchRender measures what one download costs: Build, then Render.
func benchRender(b *testing.B, format string) {
	st := bigBoard(b)
	b.ReportAllocs()
	b.ResetTimer()
	var size int
	for b.Loop() {
		body, _, _, err := Render(Build(st, Options{Now: benchNow, Role: board.RoleFacilitator}), format)
		if err != nil {
			b.Fatal(err)
		}
		size = len(body)
	}
	b.ReportMetric(float64(size), "bytes/doc")
}

func BenchmarkBuild(b *testing.B) {
	st := bigBoard(b)
	b.ReportAllocs()
	for b.Loop() {
		Build(st, Options{Now: benchNow, Role: board.RoleFacilitator})
	}
}

func BenchmarkRenderMD(b *testing.B)   { benchRender(b, "md") }
func BenchmarkRenderHTML(b *testing.B) { benchRender(b, "html") }
func BenchmarkRenderDOCX(b *testing.B) { benchRender(b, "docx") }
func BenchmarkRenderPDF(b *testing.B)  { benchRender(b, "pdf") }
func BenchmarkRenderCSV(b *testing.B)  { benchRender(b, "csv") }
func BenchmarkRenderJSON(b *testing.B) { benchRender(b, "json") }

// TestBigBoard renders the 5,000-note board in every format and checks the
// results still hold together (the benchmarks only time them).
func TestBigBoard(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 5,000-note board")
	}
	m := Build(bigBoard(t), Options{Now: benchNow, Role: board.RoleFacilitator, Lang: "en"})
	for _, format := range Formats {
		start := time.Now()
		body := render(t, m, format)
		t.Logf("%s: %d bytes in %v", format, len(body), time.Since(start))
		switch format {
		case "docx":
			doc := readDocument(t, unzipDOCX(t, body)["word/document.xml"])
			if len(doc.Tables) != 4 { // priorities, actions, signatures, attendance
				t.Errorf("%d tables", len(doc.Tables))
			}
		case "pdf":
			if !bytes.HasPrefix(body, []byte("%PDF-")) {
				t.Error("not a PDF")
			}
		case "csv":
			recs, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
			notes := 0
			for _, r := range recs[1:] {
				if r[9] == "note" {
					notes++
				}
			}
			if err != nil || notes != board.MaxNotes {
				t.Errorf("csv: %d note rows of %d, %v", notes, len(recs), err)
			}
		}
	}
	if len(m.Priorities) == 0 || len(m.Innovations) == 0 || len(m.Actions) != 200 {
		t.Errorf("priorities %d, innovations %d, actions %d", len(m.Priorities), len(m.Innovations), len(m.Actions))
	}
}
