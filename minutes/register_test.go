package minutes

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rembuk/board"
)

func testRegister() Register {
	return Register{Lang: "id", Title: "Program ZI BP3KP Jawa II 2026", Kop: []string{"BP3KP Jawa II"}, Made: fixtureNow, Today: "2026-12-20",
		Items: []RegisterItem{
			{Text: "Memperbarui SOP pelayanan", Owner: "Kasubbag TU", Due: "2026-12-15", AreaNo: 2, Source: "Rapat ZI 1", SourceDate: "2026-11-27",
				Status: "proses", Overdue: true, Progress: []RegisterNote{{Date: "2026-12-10", Text: "Draf SOP selesai"}}},
			{Text: "Pakta integritas seluruh pegawai", Owner: "Kepegawaian", Due: "2027-01-10", AreaNo: 1, Source: "Rapat ZI 1", SourceDate: "2026-11-27",
				Status: "selesai", Evidence: []string{"https://drive.example/pakta"}},
			{Text: "Survei kepuasan layanan", Owner: "Seksi Pelayanan", Due: "2027-02-01", AreaNo: 6, Source: "Monitoring 1", SourceDate: "2026-12-18", Status: "belum"},
			{Text: "=HYPERLINK(\"x\")", Owner: "Umum", Due: "2026-12-01", AreaNo: 0, Source: "Rapat ZI 1", SourceDate: "2026-11-27", Status: "belum", Overdue: true},
		}}
}

func TestRegisterPDF(t *testing.T) {
	body, err := RenderRegister(testRegister(), "pdf")
	if err != nil {
		t.Fatal(err)
	}
	text := pdfToText(t, body)
	flat := oneLine(pdfRawText(t, body)) // table cells wrap: read them in drawing order
	for _, want := range []string{"BP3KP JAWA II", "LAPORAN MONITORING RENCANA AKSI", "Program ZI BP3KP Jawa II 2026",
		"Keadaan per 20 Desember 2026", "Rekapitulasi per Area Perubahan", "1. Manajemen Perubahan", "2. Penataan Tatalaksana",
		"6. Peningkatan Kualitas Pelayanan Publik", "Tanpa area perubahan", "Memperbarui SOP pelayanan", "Proses",
		"(terlambat)", "(Sumber: Rapat ZI 1,", "15 Desember 2026", "Jumlah: 1 · Selesai: 0 · Belum selesai: 1 · Terlambat: 1", "Survei kepuasan layanan"} {
		if !strings.Contains(flat, want) {
			t.Errorf("register PDF lacks %q", want)
		}
	}
	// The summary's totals row: 4 actions, 1 done, 3 open, 2 overdue.
	if !regexpLine(text, `Jumlah\s+4\s+1\s+3\s+2`) {
		t.Errorf("no totals row 4 1 3 2 in:\n%s", text)
	}
	// Areas without actions still stand in the summary with zeros.
	if !regexpLine(text, `3\. Penataan Sistem Manajemen SDM Aparatur\s+0\s+0\s+0\s+0`) {
		t.Errorf("no zero row for area 3 in:\n%s", text)
	}
}

func TestRegisterDOCXAndCSV(t *testing.T) {
	r := testRegister()
	body, err := RenderRegister(r, "docx")
	if err != nil {
		t.Fatal(err)
	}
	doc := readDocument(t, unzipDOCX(t, body)["word/document.xml"])
	if len(doc.Tables) != 5 { // the summary and four areas (1, 2, 6, none)
		t.Fatalf("%d tables, want 5", len(doc.Tables))
	}
	if got := strings.Join(doc.Tables[0][len(doc.Tables[0])-1], " "); got != "Jumlah 4 1 3 2" {
		t.Errorf("totals row %q", got)
	}
	if !strings.Contains(doc.Text(), "Jumlah: 1 · Selesai: 1 · Belum selesai: 0 · Terlambat: 0") {
		t.Errorf("area 1 counts missing:\n%s", doc.Text())
	}

	out, err := RenderRegister(r, "csv")
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\uFEFF"))))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "no_area" || rows[1][1] != "Penataan Tatalaksana" || rows[1][6] != "1" {
		t.Fatalf("csv rows %q", rows)
	}
	if rows[4][2] != "'=HYPERLINK(\"x\")" {
		t.Errorf("a formula is not neutralised: %q", rows[4][2])
	}
	if _, err := RenderRegister(r, "md"); err != ErrFormat {
		t.Errorf("md: %v", err)
	}
}

func regexpLine(text, re string) bool {
	return regexp.MustCompile(re).MatchString(text)
}

// pdfRawText is the PDF's text in the order it is drawn (pdftotext -raw):
// a table cell's wrapped lines stay together.
func pdfRawText(tb testing.TB, body []byte) string {
	tb.Helper()
	bin := requireTool(tb, "pdftotext")
	in := filepath.Join(tb.TempDir(), "r.pdf")
	if err := os.WriteFile(in, body, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", "-raw", in, "-").CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// TestRegisterFromBoard: the programme's register (board.BuildRegister)
// becomes the report's input: status, area, progress and the source.
func TestRegisterFromBoard(t *testing.T) {
	st := newFixtureWith(t, false, func(f *fixture, stage string) {
		if stage != "open" {
			return
		}
		f.do("p-not", board.Command{Type: "action.add", Text: sp("Sosialisasi gratifikasi"), Owner: sp("Inspektorat"),
			Due: sp("2026-11-01"), Area: sp("Penguatan Pengawasan"), Status: sp("proses")}, "grat")
	})
	prog := board.Programme{ID: "prog-1", Unit: "BP3KP Jawa II", Year: 2026, Target: "WBK"}
	r := RegisterFrom(board.BuildRegister(prog, []*board.State{st}, fixtureNow), "id", []string{"BP3KP Jawa II"})
	if r.Title != "Program ZI WBK — BP3KP Jawa II 2026" || r.Today != "2026-11-27" {
		t.Fatalf("title %q today %q", r.Title, r.Today)
	}
	var found bool
	for _, it := range r.Items {
		if it.Text == "Sosialisasi gratifikasi" {
			found = it.AreaNo == 5 && it.Status == "proses" && it.Overdue && it.Source == fixtureTtl
		}
	}
	if !found {
		t.Fatalf("items %+v", r.Items)
	}
	text := oneLine(pdfRawText(t, mustRegister(t, r, "pdf")))
	for _, want := range []string{"5. Penguatan Pengawasan", "Sosialisasi gratifikasi", "Proses", "(terlambat)"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The session's own register says the same of its actions.
	sr := SessionRegister(st, Options{Now: fixtureNow})
	if len(sr.Items) != len(r.Items) {
		t.Errorf("session register %d items, programme register %d", len(sr.Items), len(r.Items))
	}
}

func mustRegister(t *testing.T, r Register, format string) []byte {
	t.Helper()
	b, err := RenderRegister(r, format)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
