package e2e

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPackDownload: the facilitator fills in the invitation ("Data
// undangan"), uploads a photo, and downloads the evidence pack from the
// menu while the dialog counts the files as they arrive. The zip holds the
// evaluator's files in order; every PDF reads as it should (pdftotext), and
// the DOCX files open in LibreOffice.
func TestPackDownload(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 900, false)
	const title = "Rapat Tim Kerja ZI"
	createSession(t, fac, base, title, "Budi Santoso")
	addNote(t, fac, 1, "Antrean loket terlalu panjang")
	fac.waitJS("the note is acked", noteShown("Antrean loket terlalu panjang"))

	photo := writeJPEG(t, color.RGBA{30, 90, 200, 255}) // for 04-Dokumentasi
	fac.do("upload a photo", click(css(`[data-testid=tab-notes]`)), waitVisible(css(`[data-testid=photos]`)),
		chromedp.SetUploadFiles(css(`[data-testid=photo-input]`), []string{photo}, chromedp.NodeReady))
	fac.waitJS("the thumbnail shows", `document.querySelectorAll('.photo-grid li').length === 1`)

	fac.do("fill in the invitation",
		click(css(`[data-testid=more-menu]`)),
		click(css(`[data-testid=menu-invitation]`)),
		waitVisible(css(`[data-testid=invitation-dialog]`)),
		typeInto(css(`[data-testid=invitation-number]`), "005/UND/XII/2026"),
		typeInto(css(`[data-testid=invitation-to]`), "Kepala Seksi Pelayanan"),
		typeInto(css(`[data-testid=invitation-signerTitle]`), "Kepala Balai"),
		typeInto(css(`[data-testid=invitation-signerName]`), "Dr. Ahmad Fauzi"),
		click(css(`[data-testid=invitation-save]`)),
		waitGone(css(`[data-testid=invitation-dialog]`)),
	)

	dl := allowDownloads(t, fac)
	fac.do("open the pack dialog",
		click(css(`[data-testid=more-menu]`)),
		click(css(`[data-testid=menu-pack]`)),
		waitVisible(css(`[data-testid=pack-dialog]`)),
	)
	// Record every progress the dialog shows while the pack streams in.
	eval[bool](fac, `(() => { window.packSeen = []; const d = document.querySelector('[data-testid=pack-dialog]');
		new MutationObserver(() => { const p = d.querySelector('[data-testid=pack-progress]');
			if (p) window.packSeen.push(p.dataset.files + '/' + p.dataset.total); }).observe(d, {subtree: true, childList: true, attributes: true});
		return true; })()`)
	fac.do("download the pack", click(css(`[data-testid=pack-lang-id]`)), click(css(`[data-testid=pack-download]`)))
	name, buf := dl.next(t, "pack")
	fac.waitJS("the dialog shows every file", `(() => { const p = document.querySelector('[data-testid=pack-progress]'); return !!p && p.dataset.files === '9' && p.dataset.total === '9'; })()`)
	fac.shot("01-pack-downloaded")
	t.Run("axe", func(t *testing.T) { axeCheck(t, fac, axeSource(t), "the pack dialog after a download") })
	seen := eval[[]string](fac, `window.packSeen`)
	partial := false
	for _, s := range seen {
		partial = partial || (s != "0/9" && s != "9/9" && strings.HasSuffix(s, "/9"))
	}
	if !partial {
		t.Errorf("the dialog never showed a file count on the way: %v", seen)
	}
	if !strings.HasPrefix(name, "paket-data-dukung-rapat-tim-kerja-zi-") || !strings.HasSuffix(name, ".zip") {
		t.Errorf("the pack is named %q", name)
	}

	names, files := readZip(t, buf)
	want := "01-Undangan.pdf 01-Undangan.docx 02-Daftar-Hadir.pdf 03-Notulen.pdf 03-Notulen.docx 04-Dokumentasi/Foto-01.jpg " +
		"05-Rencana-Aksi.csv 05-Rencana-Aksi.pdf README.txt"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("files:\n%s\nwant:\n%s", got, want)
	}
	readme := string(files["README.txt"])
	if !strings.Contains(readme, "03-Notulen.pdf") || !strings.Contains(readme, "Area: 1. Manajemen Perubahan") {
		t.Errorf("README.txt:\n%s", readme)
	}

	for name, wants := range map[string][]string{
		"01-Undangan.pdf":     {"Nomor : 005/UND/XII/2026", "Yth.", "Kepala Seksi Pelayanan", "Hari/Tanggal :", "WIB – selesai", "Kepala Balai,", "Dr. Ahmad Fauzi"},
		"02-Daftar-Hadir.pdf": {"DAFTAR HADIR", title, "Budi Santoso"},
		"03-Notulen.pdf":      {"NOTULEN", title, "Antrean loket terlalu panjang", "Dokumentasi", "Foto 1"},
		"05-Rencana-Aksi.pdf": {"LAPORAN MONITORING RENCANA AKSI", "Rekapitulasi per Area Perubahan", "Jumlah 0 0 0 0"},
	} {
		got := pdfText(t, name, files[name])
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", name, w, got)
			}
		}
	}
	docx := openDocx(t, map[string][]byte{"01-Undangan": files["01-Undangan.docx"], "03-Notulen": files["03-Notulen.docx"]})
	for name, want := range map[string]string{"01-Undangan": "Dr. Ahmad Fauzi", "03-Notulen": "Antrean loket terlalu panjang"} {
		if !strings.Contains(docx[name], want) {
			t.Errorf("%s.docx as LibreOffice reads it lacks %q:\n%s", name, want, docx[name])
		}
	}
}

// TestProgrammePackDownload: from the programme page, whoever holds the
// key downloads the programme's pack — the register report and each
// session's pack in its folder — while the card counts the files.
func TestProgrammePackDownload(t *testing.T) {
	base := startServer(t)
	b := newBrowser(t, "manager", 1280, 900, false)
	b.do("create a programme",
		chromedp.Navigate(base+"/p"),
		waitVisible(css(`[data-testid=prog-form]`)),
		typeInto(css(`[data-testid=prog-unit]`), "BP3KP Jawa II"),
		typeInto(css(`[data-testid=prog-instansi]`), "Kementerian Perumahan dan Kawasan Permukiman"),
		typeInto(css(`[data-testid=prog-chairName]`), "Dr. Ahmad Fauzi"),
		click(css(`[data-testid=prog-submit]`)),
		waitVisible(css(`[data-testid=prog-title]`)),
	)
	link := eval[string](b, `document.querySelector('[data-testid=prog-link]').value`)
	b.do("create a session in it",
		typeInto(css(`[data-testid=prog-session-title]`), "Rapat TPI Triwulan I"),
		setValue(css(`[data-testid=prog-session-template]`), "zona-integritas"),
		typeInto(css(`[data-testid=prog-session-name]`), "Sari Fasilitator"),
		click(css(`[data-testid=prog-session-submit]`)),
		waitVisible(css(selBoard)),
	)
	b.waitJS("connected", connected)
	b.do("add an action",
		click(css(`[data-testid=tab-actions]`)),
		waitVisible(css(`[data-testid=action-form]`)),
		typeInto(css(`[data-testid=action-form] [data-testid=action-text-input]`), "Sosialisasi pengendalian gratifikasi"),
		typeInto(css(`[data-testid=action-form] [data-testid=action-owner-input]`), "Budi Santoso"),
		setValue(css(`[data-testid=action-form] [data-testid=action-due-input]`), "2026-01-15"),
		click(css(`[data-testid=action-form] [data-testid=action-submit]`)),
	)
	b.waitJS("the action is stored", `!!document.querySelector('[data-testid=action] [data-testid=action-status-badge]')`)
	b.do("back to the programme", chromedp.Navigate(link), waitVisible(css(`[data-testid=prog-pack-download]`)))
	dl := allowDownloads(t, b)
	b.do("download the programme's pack", click(css(`[data-testid=prog-pack-download]`)))
	name, buf := dl.next(t, "programme pack")
	b.waitJS("the card shows every file", `(() => { const p = document.querySelector('[data-testid=prog-pack] [data-testid=pack-progress]'); return !!p && p.dataset.total !== '0' && p.dataset.files === p.dataset.total; })()`)
	b.shot("01-programme-pack")
	if name != "paket-data-dukung-program-zi-bp3kp-jawa-ii-2026.zip" {
		t.Errorf("the pack is named %q", name)
	}
	names, files := readZip(t, buf)
	if total := eval[string](b, `document.querySelector('[data-testid=prog-pack] [data-testid=pack-progress]').dataset.total`); total != fmt.Sprint(len(names)) {
		t.Errorf("the card expected %s files, the zip holds %d", total, len(names))
	}
	dir := ""
	for _, n := range names {
		if strings.HasPrefix(n, "Sesi-01-") && strings.HasSuffix(n, "/01-Undangan.pdf") {
			dir = strings.TrimSuffix(n, "01-Undangan.pdf")
		}
	}
	if names[0] != "Laporan-Monitoring-Rencana-Aksi.pdf" || dir == "" || names[len(names)-1] != "README.txt" {
		t.Fatalf("files %v", names)
	}
	for n, wants := range map[string][]string{
		"Laporan-Monitoring-Rencana-Aksi.pdf": {"KEMENTERIAN PERUMAHAN DAN KAWASAN PERMUKIMAN", "LAPORAN MONITORING RENCANA AKSI", "Sosialisasi pengendalian gratifikasi", "(terlambat)"},
		dir + "01-Undangan.pdf":               {"Ketua Tim Pembangunan Zona Integritas,", "Dr. Ahmad Fauzi"},
	} {
		text := pdfText(t, n, files[n])
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", n, w, text)
			}
		}
	}
	if _, ok := files["Laporan-Monitoring-Rencana-Aksi.docx"]; !ok {
		t.Error("no DOCX report")
	}
	// The report alone, as a spreadsheet.
	b.do("download the report as CSV", click(css(`[data-testid=prog-report-csv]`)))
	name, csvBody := dl.next(t, "report csv")
	if name != "laporan-monitoring-rencana-aksi-program-zi-bp3kp-jawa-ii-2026.csv" || !strings.Contains(string(csvBody), "Sosialisasi pengendalian gratifikasi;Budi Santoso;2026-01-15;belum;1") {
		t.Errorf("report csv %q:\n%s", name, csvBody)
	}
}

// TestPackPhone: on a 360-px phone the facilitator fills the invitation
// form and downloads the pack; both dialogs fit the screen.
func TestPackPhone(t *testing.T) {
	base := startServer(t)
	ph := newBrowser(t, "phone", 360, 740, true)
	createSession(t, ph, base, "Rapat dari Ponsel", "Rina")
	fits := `(() => { const d = document.querySelector('dialog[open]'); const r = d && d.getBoundingClientRect(); return !!r && r.left >= 0 && r.right <= innerWidth; })()`
	ph.do("open the invitation form",
		click(css(`[data-testid=more-menu]`)),
		click(css(`[data-testid=menu-invitation]`)),
		waitVisible(css(`[data-testid=invitation-dialog]`)),
	)
	if !eval[bool](ph, fits) {
		t.Error("the invitation form is wider than the phone")
	}
	ph.checkNoOverflow("the invitation form")
	ph.shot("01-invitation-form")
	ph.do("fill and save it",
		typeInto(css(`[data-testid=invitation-number]`), "012/UND/XII/2026"),
		click(css(`[data-testid=invitation-save]`)),
		waitGone(css(`[data-testid=invitation-dialog]`)),
	)
	// The form closes only once the server acked invitation.set (pack.js).
	dl := allowDownloads(t, ph)
	ph.do("download the pack",
		click(css(`[data-testid=more-menu]`)),
		click(css(`[data-testid=menu-pack]`)),
		waitVisible(css(`[data-testid=pack-dialog]`)),
		click(css(`[data-testid=pack-download]`)),
	)
	_, buf := dl.next(t, "pack")
	ph.waitJS("every file counted", `(() => { const p = document.querySelector('[data-testid=pack-progress]'); return !!p && p.dataset.total === '8' && p.dataset.files === '8'; })()`)
	if !eval[bool](ph, fits) {
		t.Error("the pack dialog is wider than the phone")
	}
	ph.checkNoOverflow("the pack dialog")
	ph.shot("02-pack-dialog")
	_, files := readZip(t, buf)
	if doc := string(files["01-Undangan.docx"]); doc == "" {
		t.Fatal("no letter in the pack")
	}
	_, parts := readZip(t, files["01-Undangan.docx"])
	if !strings.Contains(string(parts["word/document.xml"]), "012/UND/XII/2026") {
		t.Error("the letter lacks the nomor typed on the phone")
	}
}
