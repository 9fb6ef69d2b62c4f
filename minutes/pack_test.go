package minutes

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"strings"
	"testing"

	"rembuk/board"
)

func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(0, 0, color.White)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fixturePack is the fixture session's pack with two photos.
func fixturePack(t *testing.T, st *board.State) *SessionPack {
	opts := Options{Now: fixtureNow, Role: board.RoleFacilitator}
	photo := testJPEG(t, 64, 48)
	sp := NewSessionPack(st, opts)
	for i, c := range []string{"Pembukaan rapat", ""} {
		sp.Photos = append(sp.Photos, PackPhoto{No: i + 1, Caption: c, Load: func() ([]byte, error) { return photo, nil }})
	}
	sp.LoadPhotos = func() ([]Photo, error) {
		return []Photo{{No: 1, Caption: "Pembukaan rapat", Width: 64, Height: 48, JPEG: photo}, {No: 2, Width: 64, Height: 48, JPEG: photo}}, nil
	}
	return &sp
}

func writePack(t *testing.T, entries []PackEntry, title string) []byte {
	t.Helper()
	var buf bytes.Buffer
	pw := NewPackWriter(&buf, fixtureNow)
	for _, e := range entries {
		if err := pw.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	readme := Readme("id", title, fixtureNow, pw.Files())
	if err := pw.Add(PackEntry{Name: "README.txt", Body: func() ([]byte, error) { return readme, nil }}); err != nil {
		t.Fatal(err)
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSessionPack(t *testing.T) {
	st := newFixture(t, false)
	sp := fixturePack(t, st)
	body := writePack(t, sp.Entries(""), fixtureTtl)
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Flags&0x8 != 0 {
			t.Errorf("%s has a data descriptor: the page cannot walk the stream", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc) // checks the CRC
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = b
	}
	want := []string{"01-Undangan.pdf", "01-Undangan.docx", "02-Daftar-Hadir.pdf", "03-Notulen.pdf", "03-Notulen.docx",
		"04-Dokumentasi/Foto-01-pembukaan-rapat.jpg", "04-Dokumentasi/Foto-02.jpg", "05-Rencana-Aksi.csv", "05-Rencana-Aksi.pdf", "README.txt"}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	checks := map[string][]string{
		"01-Undangan.pdf":     {"BP3KP JAWA II", "Yth.", "Hari/Tanggal", "Jumat, 27 November 2026", "Ruang Rapat Lantai 2"},
		"02-Daftar-Hadir.pdf": {"DAFTAR HADIR", nameDede},
		"03-Notulen.pdf":      {"NOTULEN", "Pembahasan", "Dokumentasi", "Foto 1 — Pembukaan rapat"},
		"05-Rencana-Aksi.pdf": {"LAPORAN MONITORING RENCANA AKSI", "Memperbarui SOP pelayanan", "Tanpa area perubahan"},
	}
	for name, wants := range checks {
		text := oneLine(pdfRawText(t, files[name]))
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
	for _, name := range []string{"01-Undangan.docx", "03-Notulen.docx"} {
		parts := unzipDOCX(t, files[name])
		if _, ok := parts["word/document.xml"]; !ok {
			t.Errorf("%s has no document", name)
		}
	}
	if !bytes.Equal(files["04-Dokumentasi/Foto-02.jpg"], testJPEG(t, 64, 48)) {
		t.Errorf("the photo is not the stored bytes")
	}
	readme := string(files["README.txt"])
	for _, w := range []string{"PAKET DATA DUKUNG", "01-Undangan.pdf\r\n    Surat undangan rapat\r\n    Area: 1. Manajemen Perubahan",
		"04-Dokumentasi/Foto-01-pembukaan-rapat.jpg", "6. Peningkatan Kualitas Pelayanan Publik"} {
		if !strings.Contains(readme, w) {
			t.Errorf("README lacks %q:\n%s", w, readme)
		}
	}
	if strings.Contains(readme, "README.txt") {
		t.Errorf("README lists itself")
	}
}

// TestPackAreas: a ZI session's files name the areas it discussed, and the
// action plan the areas of its actions.
func TestPackAreas(t *testing.T) {
	st := newFixtureWith(t, false, func(f *fixture, stage string) {
		if stage != "open" {
			return
		}
		f.column("pelayanan", "Peningkatan Kualitas Pelayanan Publik", board.KindProblem)
		f.note("waktu", "p-dede", "pelayanan", "Waktu layanan tidak pasti")
		f.column("pengawasan", "Penguatan Pengawasan", board.KindProblem)
		f.note("grat", "p-siti", "pengawasan", "Gratifikasi belum dilaporkan")
		f.do("p-not", board.Command{Type: "action.add", Text: sp("Sosialisasi pengendalian gratifikasi"), Owner: sp("Inspektorat"),
			Due: sp("2026-11-01"), TargetID: board.Str(f.ids["grat"])}, "")
	})
	sp := fixturePack(t, st)
	if got := sp.Areas(); len(got) != 2 || got[0] != 5 || got[1] != 6 {
		t.Fatalf("areas %v, want [5 6]", got)
	}
	es := sp.Entries("Sesi-01/")
	if es[0].Name != "Sesi-01/01-Undangan.pdf" || areaList(es[0].Areas, "-") != "1. Manajemen Perubahan; 5. Penguatan Pengawasan; 6. Peningkatan Kualitas Pelayanan Publik" {
		t.Errorf("first entry %s %v", es[0].Name, es[0].Areas)
	}
	last := es[len(es)-1]
	if areaList(last.Areas, "-") != "1. Manajemen Perubahan; 5. Penguatan Pengawasan" {
		t.Errorf("action plan areas %v", last.Areas)
	}
	var overdue bool
	for _, it := range sp.Actions.Items {
		if it.Text == "Sosialisasi pengendalian gratifikasi" {
			overdue = it.Overdue && it.AreaNo == 5 && it.Status == "belum"
		}
	}
	if !overdue {
		t.Errorf("the past-due open action is not overdue in area 5: %+v", sp.Actions.Items)
	}
}

// TestPackSkip: an entry whose file is gone (a photo deleted while the
// pack was written) is left out, and the zip stays whole.
func TestPackSkip(t *testing.T) {
	body := writePack(t, []PackEntry{
		{Name: "a.txt", Body: func() ([]byte, error) { return []byte("a"), nil }},
		{Name: "gone.jpg", Body: func() ([]byte, error) { return nil, ErrSkip }},
		{Name: "b.txt", Body: func() ([]byte, error) { return []byte("b"), nil }},
	}, "x")
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "a.txt b.txt README.txt" {
		t.Fatalf("files %v", names)
	}
}
