package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestProgrammePack: the programme's pack answers only to its key (the
// register's rule), and holds the register report at its root and every
// session's pack in a folder, oldest first.
func TestProgrammePack(t *testing.T) {
	ts := startServer(t, "", fixedClock)
	a, b := ts.createProgramme("BP3KP Jawa II"), ts.createProgramme("BP3KP Jawa I")
	s1 := ts.createIn(a, "zona-integritas", "Rapat Pembentukan Tim")
	fac, w := ts.connect(s1.ID, s1.FacilitatorToken, nil)
	col := columnIDs(w)[4] // Penguatan Pengawasan
	ack := fac.ack("note.add", "n1", map[string]any{"columnId": col, "text": "Gratifikasi belum dilaporkan"})
	fac.ack("action.add", "a1", map[string]any{"text": "Sosialisasi pengendalian gratifikasi", "owner": "Inspektorat", "due": "2026-12-01", "targetId": ack["id"]})
	uploadPhoto(t, ts, s1.ID, s1.FacilitatorToken, "Rapat", testJPEG(t, 160, 120))
	ts.createIn(a, "kosong", "Rapat Monitoring")

	for _, c := range []struct {
		name, id, key string
		want          int
	}{
		{"no key", a.ID, "", 401},
		{"another programme's key", a.ID, b.Key, 403},
		{"a session's facilitator token", a.ID, s1.FacilitatorToken, 403},
		{"unknown programme", "00000000-0000-4000-8000-000000000000", a.Key, 404},
	} {
		req, _ := http.NewRequest("GET", ts.URL+"/api/programmes/"+c.id+"/pack", nil)
		if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want || !bytes.Contains(body, []byte(`"error"`)) {
			t.Errorf("%s: %d %s, want %d", c.name, resp.StatusCode, body, c.want)
		}
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/programmes/"+a.ID+"/pack", nil)
	req.Header.Set("Authorization", "Bearer "+a.Key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body := mustRead(t, resp)
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="paket-data-dukung-program-zi-bp3kp-jawa-ii-2026.zip"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	names, files := packFiles(t, body)
	if resp.Header.Get("X-Pack-Files") != fmt.Sprint(len(names)) {
		t.Errorf("X-Pack-Files %q for %d files", resp.Header.Get("X-Pack-Files"), len(names))
	}
	d1, d2 := "Sesi-01-2026-12-10-rapat-pembentukan-tim/", "Sesi-02-2026-12-10-rapat-monitoring/"
	want := []string{"Laporan-Monitoring-Rencana-Aksi.pdf", "Laporan-Monitoring-Rencana-Aksi.docx", "Laporan-Monitoring-Rencana-Aksi.csv",
		d1 + "01-Undangan.pdf", d1 + "01-Undangan.docx", d1 + "02-Daftar-Hadir.pdf", d1 + "03-Notulen.pdf", d1 + "03-Notulen.docx",
		d1 + "04-Dokumentasi/Foto-01-rapat.jpg", d1 + "05-Rencana-Aksi.csv", d1 + "05-Rencana-Aksi.pdf",
		d2 + "01-Undangan.pdf", d2 + "01-Undangan.docx", d2 + "02-Daftar-Hadir.pdf", d2 + "03-Notulen.pdf", d2 + "03-Notulen.docx",
		d2 + "05-Rencana-Aksi.csv", d2 + "05-Rencana-Aksi.pdf", "README.txt"}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files:\n%s", strings.Join(names, "\n"))
	}
	csvText := string(files["Laporan-Monitoring-Rencana-Aksi.csv"])
	if !strings.Contains(csvText, "5;Penguatan Pengawasan;Sosialisasi pengendalian gratifikasi;Inspektorat;2026-12-01;belum;1;Rapat Pembentukan Tim") {
		t.Errorf("the register csv:\n%s", csvText)
	}
	// The programme's kop and its TPI chair sign the letters.
	letter := docxDocument(t, files[d1+"01-Undangan.docx"])
	for _, w := range []string{"Kementerian PKP", "Jl. Merdeka 1, Jakarta", "Ketua Tim Pembangunan Zona Integritas", "Dr. Ahmad"} {
		if !strings.Contains(letter, w) {
			t.Errorf("the letter lacks %q", w)
		}
	}
	readme := string(files["README.txt"])
	if !strings.Contains(readme, d1+"05-Rencana-Aksi.pdf\r\n    Rencana aksi (tindak lanjut) rapat dan statusnya\r\n    Area: 1. Manajemen Perubahan; 5. Penguatan Pengawasan") {
		t.Errorf("README:\n%s", readme)
	}
}

// TestProgrammeReport: the register report alone, in each format, to the
// programme key only.
func TestProgrammeReport(t *testing.T) {
	ts := startServer(t, "", fixedClock)
	a, b := ts.createProgramme("BP3KP Jawa II"), ts.createProgramme("BP3KP Jawa I")
	s1 := ts.createIn(a, "kosong", "Rapat Pembentukan Tim")
	fac, _ := ts.connect(s1.ID, s1.FacilitatorToken, nil)
	fac.ack("action.add", "a1", map[string]any{"text": "Menyusun SOP", "owner": "TU", "due": "2027-01-10", "area": "Penataan Tatalaksana"})
	get := func(key, query string) (int, http.Header, []byte) {
		req, _ := http.NewRequest("GET", ts.URL+"/api/programmes/"+a.ID+"/report?"+query, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, body
	}
	for _, c := range []struct {
		key, query string
		want       int
	}{{"", "", 401}, {b.Key, "", 403}, {s1.FacilitatorToken, "", 403}, {a.Key, "format=xls", 400}, {a.Key, "lang=fr", 400}} {
		if st, _, body := get(c.key, c.query); st != c.want {
			t.Errorf("key %.8q %s: %d %s, want %d", c.key, c.query, st, body, c.want)
		}
	}
	st, h, body := get(a.Key, "format=csv")
	if st != 200 || h.Get("Content-Disposition") != `attachment; filename="laporan-monitoring-rencana-aksi-program-zi-bp3kp-jawa-ii-2026.csv"` ||
		!strings.Contains(string(body), "2;Penataan Tatalaksana;Menyusun SOP;TU;2027-01-10;belum;0;Rapat Pembentukan Tim") {
		t.Errorf("csv: %d %q\n%s", st, h.Get("Content-Disposition"), body)
	}
	if st, _, body := get(a.Key, "format=pdf&lang=en"); st != 200 || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Errorf("pdf: %d", st)
	}
	if st, _, body := get(a.Key, "format=docx"); st != 200 || !strings.Contains(docxDocument(t, body), "Menyusun SOP") {
		t.Errorf("docx: %d", st)
	}
}
