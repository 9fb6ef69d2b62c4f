package minutes

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rembuk/board"
)

// letterState is a session scheduled for Thursday 10 December 2026 at
// 09.00 WIB, made on 1 December, with its invitation filled in.
func letterState(t *testing.T, inv *board.Invitation) *board.State {
	t.Helper()
	s := board.Session{ID: "s-1", Title: "Rapat Pembangunan Zona Integritas", Template: "zona-integritas",
		Agenda: "Penyusunan rencana aksi", Place: "Ruang Rapat Lantai 2", Unit: "BP3KP Jawa II", Lang: "id",
		ScheduledAt: "2026-12-10T09:00:00+07:00", Phase: board.PhaseBrainstorm, Settings: board.DefaultSettings(),
		CreatedAt: time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), City: "Jakarta", Invitation: inv}
	st := board.NewState(s)
	if _, err := st.Join(board.Participant{ID: "p-fac", Name: nameChair, Role: board.RoleFacilitator, JoinedAt: s.CreatedAt}); err != nil {
		t.Fatal(err)
	}
	return st
}

var fullInvitation = &board.Invitation{Number: "005/UND/BP3KP.J2/XII/2026", Nature: "Segera", Attachment: "1 (satu) berkas",
	Subject: "Undangan Rapat Tim Kerja ZI", To: "Kepala Seksi Pelayanan\nKepala Subbagian Tata Usaha", Place: "Aula Utama",
	Agenda: "1. Pembukaan\n2. Penyusunan rencana aksi", SignerTitle: "Kepala Balai", SignerName: "Dr. Ahmad Fauzi", SignerNIP: "19780101 200501 1 001"}

func TestLetterPDF(t *testing.T) {
	lt := BuildLetter(letterState(t, fullInvitation), Options{Now: fixtureNow}, nil)
	body, err := RenderLetter(lt, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	text := oneLine(pdfToText(t, body))
	for _, want := range []string{"BP3KP JAWA II", "Jakarta, 1 Desember 2026", "Nomor : 005/UND/BP3KP.J2/XII/2026",
		"Sifat : Segera", "Lampiran : 1 (satu) berkas", "Perihal : Undangan Rapat Tim Kerja ZI", "Yth.",
		"Kepala Seksi Pelayanan", "Kepala Subbagian Tata Usaha", "di tempat", "Dengan hormat,",
		"Dalam rangka Rapat Pembangunan Zona Integritas", "Hari/Tanggal : Kamis, 10 Desember 2026",
		"Waktu : 09.00 WIB – selesai", "Tempat : Aula Utama", "Acara : 1. Pembukaan", "2. Penyusunan rencana aksi",
		"terima kasih", "Kepala Balai,", "Dr. Ahmad Fauzi", "NIP. 19780101 200501 1 001"} {
		if !strings.Contains(text, want) {
			t.Errorf("letter PDF lacks %q:\n%s", want, text)
		}
	}
}

// TestLetterDefaults: a session without invitation fields still makes a
// letter, with the session's place and agenda and lines to fill in by hand.
func TestLetterDefaults(t *testing.T) {
	st := letterState(t, nil)
	lt := BuildLetter(st, Options{Now: fixtureNow}, []string{"Kementerian PUPR", "Jl. Pattimura No. 20, Jakarta"})
	if lt.Place != "Ruang Rapat Lantai 2" || lt.Agenda[0] != "Penyusunan rencana aksi" || lt.Number != dotted ||
		lt.Nature != "Biasa" || lt.Subject != "Undangan Rapat" || lt.SignerNIP != "NIP. ...................." {
		t.Fatalf("defaults: %+v", lt)
	}
	text := oneLine(pdfToText(t, mustLetter(t, lt, "pdf")))
	for _, want := range []string{"KEMENTERIAN PUPR", "Jl. Pattimura No. 20, Jakarta", "(....................................)"} {
		if !strings.Contains(text, want) {
			t.Errorf("letter PDF lacks %q:\n%s", want, text)
		}
	}
	en := BuildLetter(st, Options{Now: fixtureNow, Lang: "en"}, nil)
	if en.Date != "Thursday, 10 December 2026" || en.Time != "09:00 WIB – until finished" {
		t.Fatalf("en: %q %q", en.Date, en.Time)
	}
}

func mustLetter(t *testing.T, lt Letter, format string) []byte {
	t.Helper()
	b, err := RenderLetter(lt, format)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLetterDOCX(t *testing.T) {
	lt := BuildLetter(letterState(t, fullInvitation), Options{Now: fixtureNow}, nil)
	body := mustLetter(t, lt, "docx")
	parts := unzipDOCX(t, body)
	doc := readDocument(t, parts["word/document.xml"]).Text()
	for _, want := range []string{"BP3KP Jawa II", "Jakarta, 1 Desember 2026", "Nomor : 005/UND/BP3KP.J2/XII/2026",
		"Perihal : Undangan Rapat Tim Kerja ZI", "Kepala Subbagian Tata Usaha", "Hari/Tanggal : Kamis, 10 Desember 2026",
		"Waktu : 09.00 WIB – selesai", "Kepala Balai,", "Dr. Ahmad Fauzi", "NIP. 19780101 200501 1 001"} {
		if !strings.Contains(doc, want) {
			t.Errorf("letter DOCX lacks %q:\n%s", want, doc)
		}
	}
	if !strings.Contains(string(parts["docProps/core.xml"]), "Undangan — Rapat Pembangunan Zona Integritas") {
		t.Errorf("core.xml: %s", parts["docProps/core.xml"])
	}
	// LibreOffice opens it and finds the same letter.
	bin := requireTool(t, "soffice", "libreoffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "undangan.docx")
	if err := os.WriteFile(in, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "undangan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if text := oneLine(pdfToText(t, pdf)); !strings.Contains(text, "Kamis, 10 Desember 2026") || !strings.Contains(text, "Dr. Ahmad Fauzi") {
		t.Errorf("the DOCX converted by LibreOffice reads:\n%s", text)
	}
}

func TestAttendancePDF(t *testing.T) {
	m := fixtureModel(t, "id")
	body, err := AttendancePDF(m)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfToText(t, body)
	for _, want := range []string{"DAFTAR HADIR", fixtureTtl, nameChair, nameDede, "19850312", "Analis", "Halaman 1 dari 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("attendance PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Pembahasan") {
		t.Errorf("attendance PDF holds the minutes' body")
	}
}

// TestLetterProgramme: a session made in a programme takes its kop, and
// its TPI chair signs unless the letter names a signer.
func TestLetterProgramme(t *testing.T) {
	st := letterState(t, nil)
	st.Session.Programme = &board.ProgrammeRef{Unit: "BP3KP Jawa II", Year: 2026, Target: "WBK",
		Kop:   board.Kop{Instansi: "Kementerian Perumahan dan Kawasan Permukiman", Unit: "BP3KP Jawa II", Alamat: "Jl. Pattimura No. 20"},
		Chair: board.Official{Name: "Ir. Sri Wahyuni", NIP: "19700101 199503 2 001"}}
	lt := BuildLetter(st, Options{Now: fixtureNow}, nil)
	text := oneLine(pdfToText(t, mustLetter(t, lt, "pdf")))
	for _, want := range []string{"KEMENTERIAN PERUMAHAN DAN KAWASAN PERMUKIMAN", "BP3KP Jawa II", "Jl. Pattimura No. 20",
		"Ketua Tim Pembangunan Zona Integritas,", "Ir. Sri Wahyuni", "NIP. 19700101 199503 2 001"} {
		if !strings.Contains(text, want) {
			t.Errorf("letter PDF lacks %q:\n%s", want, text)
		}
	}
	st.Session.Invitation = &board.Invitation{SignerTitle: "Kepala Balai"}
	if lt := BuildLetter(st, Options{Now: fixtureNow}, nil); lt.SignerTitle != "Kepala Balai" || lt.SignerName != "" {
		t.Errorf("a named signer title keeps the programme's chair out: %q %q", lt.SignerTitle, lt.SignerName)
	}
}
