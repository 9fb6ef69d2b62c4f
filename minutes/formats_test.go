package minutes

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"rembuk/board"
)

func fixtureModel(t *testing.T, lang string) Model {
	return Build(newFixture(t, false), Options{Now: fixtureNow, Role: board.RoleFacilitator, Lang: lang})
}

func TestDOCX(t *testing.T) {
	parts := unzipDOCX(t, render(t, fixtureModel(t, "id"), "docx"))
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"} {
		if parts[name] == nil {
			t.Errorf("part %s missing", name)
		}
	}
	doc := readDocument(t, parts["word/document.xml"])
	text := doc.Text()
	for _, want := range []string{fixtureTtl, "Notulen", "Hari/Tanggal", "Jumat, 27 November 2026", "09.00–11.30 WIB",
		"Pembahasan", "Prioritas Masalah", "Usulan Inovasi", "Kesimpulan", "Tindak Lanjut", "Daftar Hadir",
		"NIP. ....................", nameSiti, "Ruang tunggu sempit (belum dibuka)"} {
		if !strings.Contains(text, want) {
			t.Errorf("document text lacks %q", want)
		}
	}
	// The three tables, found by their header rows.
	var prio, actions, attend [][]string
	for _, tbl := range doc.Tables {
		switch strings.Join(tbl[0], "|") {
		case "No|Masalah|U|S|G|Total|Penilai|Suara":
			prio = tbl
		case "No|Kegiatan|PIC|Tenggat|Status":
			actions = tbl
		case "No|Nama|NIP|Jabatan|Unit|Peran|Waktu Hadir|Tanda Tangan":
			attend = tbl
		}
	}
	if len(prio) != 5 || prio[1][1] != "SOP pelayanan belum diperbarui" || prio[1][5] != "13,00" {
		t.Errorf("priority table %q", prio)
	}
	if len(actions) != 4 || actions[2][3] != "Selasa, 15 Desember 2026" || actions[1][4] != "Selesai" {
		t.Errorf("action table %q", actions)
	}
	if len(attend) != 6 || attend[3][1] != nameDede {
		t.Errorf("attendance table %q", attend)
	}
	docXML := string(parts["word/document.xml"])
	if !strings.Contains(docXML, `<w:pgSz w:w="11906" w:h="16838"/>`) {
		t.Error("sectPr lacks the A4 page size")
	}
	if !regexp.MustCompile(`<w:pageBreakBefore/></w:pPr><w:r><w:t xml:space="preserve">Daftar Hadir<`).MatchString(docXML) {
		t.Error("no page break before the attendance list")
	}
	styles := string(parts["word/styles.xml"])
	for _, id := range []string{`w:styleId="Heading1"`, `w:styleId="Heading2"`, `w:type="table" w:customStyle="1" w:styleId="RembukTable"`} {
		if !strings.Contains(styles, id) {
			t.Errorf("styles.xml lacks %s", id)
		}
	}
	if !strings.Contains(string(parts["docProps/core.xml"]), "<dc:title>Notulen — "+fixtureTtl+"</dc:title>") {
		t.Error("core.xml lacks the title")
	}
}

// TestDOCXLibreOffice converts the docx to PDF with LibreOffice when it is
// installed: the check closest to "Word opens it without repair".
func TestDOCXLibreOffice(t *testing.T) {
	bin := requireTool(t, "soffice", "libreoffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "notulen.docx")
	if err := os.WriteFile(in, render(t, fixtureModel(t, "id"), "docx"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "notulen.pdf"))
	if err != nil {
		t.Fatalf("no PDF from soffice: %v\n%s", err, out)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text := pdfToText(t, pdf)
		if !strings.Contains(text, fixtureTtl) || !strings.Contains(text, nameDede) {
			t.Errorf("converted PDF lacks the title or a name:\n%s", text)
		}
		// Word's fields, as LibreOffice lays them out: every page says which it is.
		pages := strings.Split(strings.TrimRight(text, "\f\n "), "\f")
		for i, pg := range pages {
			if want := fmt.Sprintf("Halaman %d dari %d", i+1, len(pages)); !strings.Contains(pg, want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
		// The closing line and the signature block share a page.
		for i, pg := range pages {
			if strings.Contains(pg, "Rapat ditutup pukul") && !strings.Contains(pg, "NIP.") {
				t.Errorf("page %d ends with the closing line but the signatures are on the next", i+1)
			}
		}
	}
}

func TestPDF(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			body := render(t, fixtureModel(t, lang), "pdf")
			if !bytes.HasPrefix(body, []byte("%PDF-")) {
				t.Fatalf("starts with %q", body[:min(8, len(body))])
			}
			text := pdfToText(t, body)
			l := labels[lang]
			for _, want := range []string{fixtureTtl, nameDede, nameSiti, strings.ToUpper(l.Minutes), l.Date, l.Time,
				l.Place, l.Chair, l.MinuteTaker, l.Participants, l.Agenda, l.Discussion, l.Priorities, l.Innovations,
				l.Conclusions, l.Actions, strings.ToUpper(l.Attendance), "BP3KP JAWA II", "NIP. ...................."} {
				if !strings.Contains(text, want) {
					t.Errorf("pdf text lacks %q", want)
				}
			}
			pages := strings.Split(strings.TrimRight(text, "\f\n "), "\f")
			last := pages[len(pages)-1]
			if !strings.Contains(last, strings.ToUpper(l.Attendance)) || strings.Contains(last, l.Actions) {
				t.Errorf("the attendance list is not on a page of its own:\n%s", last)
			}
		})
	}
}

// TestCSV: the csv follows lang (issue 10) — lang=en keeps the contract's
// header names, "," and a decimal point; lang=id has Indonesian headers,
// ";" and a decimal comma, as Excel with Indonesian settings expects. A
// group is a row of its own, with its votes and USG, before its notes.
func TestCSV(t *testing.T) {
	cases := []struct {
		lang, head, sep string
		group, note     []string
	}{
		{"en", "column,group,text,author,votes,u,s,g,total,kind,unit", ",",
			[]string{"Masalah", "Pelayanan loket", "", "", "2", "4.5", "4", "3.5", "12", "group", ""},
			[]string{"Akar Masalah", "", "SOP pelayanan belum diperbarui", nameChair, "1", "4", "4.5", "4.5", "13", "note", "Bagian Umum"}},
		{"id", "kolom;grup;teks;penulis;suara;u;s;g;total;jenis;unit", ";",
			[]string{"Masalah", "Pelayanan loket", "", "", "2", "4,5", "4", "3,5", "12", "grup", ""},
			[]string{"Akar Masalah", "", "SOP pelayanan belum diperbarui", nameChair, "1", "4", "4,5", "4,5", "13", "catatan", "Bagian Umum"}},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			body := render(t, fixtureModel(t, c.lang), "csv")
			if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
				t.Error("no UTF-8 BOM")
			}
			if first, _, _ := strings.Cut(string(body[3:]), "\n"); first != c.head {
				t.Errorf("header line %q, want %q", first, c.head)
			}
			recs := readCSV(t, body, c.sep)
			if len(recs) != 1+1+8 {
				t.Fatalf("%d rows, want one per note (8) and one per group (1)", len(recs)-1)
			}
			if !equal(recs[1], c.group) {
				t.Errorf("group row %q, want %q", recs[1], c.group)
			}
			want := []string{"Masalah", "Pelayanan loket", "Informasi persyaratan belum jelas\nBanyak pemohon datang dua kali",
				nameSiti, "0", "", "", "", "", c.note[9], ""}
			if !equal(recs[3], want) {
				t.Errorf("row 3 %q, want %q", recs[3], want)
			}
			if !equal(recs[6], c.note) {
				t.Errorf("row 6 %q, want %q", recs[6], c.note)
			}
		})
	}
}

// readCSV parses a csv body (after its BOM) with the separator sep.
func readCSV(tb testing.TB, body []byte, sep string) [][]string {
	tb.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))))
	r.Comma = []rune(sep)[0]
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

func equal(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

func TestJSON(t *testing.T) {
	body := render(t, fixtureModel(t, "id"), "json")
	var got struct {
		Board struct {
			Session struct{ Title string }
			Notes   []map[string]any
			Actions []map[string]any
			You     struct{ ID, Role string }
		}
		Attendance []struct {
			ID, Name, Unit, Role string
			JoinedAt             time.Time
		}
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Board.Session.Title != fixtureTtl || len(got.Board.Notes) != 8 || len(got.Board.Actions) != 3 {
		t.Errorf("board %+v", got.Board)
	}
	if len(got.Attendance) != 5 || got.Attendance[4].Name != nameBudi || got.Attendance[1].Role != "notulis" ||
		!got.Attendance[0].JoinedAt.Equal(t0) || got.Attendance[3].Unit != "" {
		t.Errorf("attendance %+v", got.Attendance)
	}
	if got.Board.You.ID != "p-fac" || got.Board.You.Role != "facilitator" {
		t.Errorf("you %+v", got.Board.You)
	}
	// The facilitator reads the unrevealed note: it is not in hidden form.
	for _, n := range got.Board.Notes {
		if n["hidden"] == true {
			t.Errorf("hidden note in the minutes: %v", n)
		}
	}
}

// TestEscaping: a note that is markup stays text in every format.
func TestEscaping(t *testing.T) {
	m := fixtureModel(t, "id")
	for _, format := range []string{"html", "md"} {
		body := string(render(t, m, format))
		if strings.Contains(body, scriptNote) || strings.Contains(body, "<script") {
			t.Errorf("%s carries the script tag raw", format)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s lacks the escaped note", format)
		}
	}
	docXML := string(unzipDOCX(t, render(t, m, "docx"))["word/document.xml"])
	if strings.Contains(docXML, scriptNote) || !strings.Contains(docXML, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("docx does not escape the note")
	}
	if !strings.Contains(docXML, "persyaratan &amp; video") {
		t.Error("docx does not escape &")
	}
}

func TestHTMLSelfContained(t *testing.T) {
	body := string(render(t, fixtureModel(t, "en"), "html"))
	for _, bad := range []string{"<script", "src=", "href=", "@import", "url(", "<link"} {
		if strings.Contains(body, bad) {
			t.Errorf("html contains %q", bad)
		}
	}
	for _, want := range []string{"<!DOCTYPE html>", "@page { size: A4", "page-break-before: always", `<html lang="en">`} {
		if !strings.Contains(body, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}

func TestFilenameAndFormats(t *testing.T) {
	m := fixtureModel(t, "id")
	if got := Filename(m, "pdf"); got != "notulen-rapat-evaluasi-zona-integritas-2026-2026-11-27-id.pdf" {
		t.Errorf("Filename = %q", got)
	}
	if got := Filename(fixtureModel(t, "en"), "pdf"); got != "minutes-rapat-evaluasi-zona-integritas-2026-2026-11-27-en.pdf" {
		t.Errorf("Filename(en) = %q", got)
	}
	m.Title = "Rapat Ñuñez: «Évaluasi» / ZI"
	if got := Filename(m, ".docx"); got != "notulen-rapat-nunez-evaluasi-zi-2026-11-27-id.docx" {
		t.Errorf("Filename = %q", got)
	}
	m.Title = "???"
	if got := Filename(m, "md"); got != "notulen-2026-11-27-id.md" {
		t.Errorf("Filename = %q", got)
	}
	if _, _, _, err := Render(m, "rtf"); !errors.Is(err, ErrFormat) {
		t.Errorf("Render(rtf) err = %v", err)
	}
	for _, f := range Formats {
		if _, ctype, ext, err := Render(m, f); err != nil || ext != f || ctype == "" {
			t.Errorf("Render(%s): %q %q %v", f, ctype, ext, err)
		}
	}
}

// TestPlainCSV: a request that names no language gets the contract's csv —
// commas, decimal points, its English header names first and one row per
// note — even though the minutes' language is Indonesian.
func TestPlainCSV(t *testing.T) {
	m := fixtureModel(t, "id")
	m.PlainCSV = true
	recs := readCSV(t, render(t, m, "csv"), ",")
	if got := strings.Join(recs[0], ","); got != "column,group,text,author,votes,u,s,g,total,kind,unit" {
		t.Errorf("header %q", got)
	}
	if len(recs) != 1+8 {
		t.Fatalf("%d rows, want one per note (8)", len(recs)-1)
	}
	want := []string{"Akar Masalah", "", "SOP pelayanan belum diperbarui", nameChair, "1", "4", "4.5", "4.5", "13", "note", "Bagian Umum"}
	if !equal(recs[5], want) {
		t.Errorf("row 5 %q, want %q", recs[5], want)
	}
}
