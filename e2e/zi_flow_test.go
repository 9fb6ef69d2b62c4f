package e2e

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestZIProgrammeFlow (issue 14, "Done when"): one Zona Integritas
// programme as a team runs it. The facilitator makes the programme on /p
// and a first session from its page; an action agreed there is tied to a
// note of the area "Peningkatan Kualitas Pelayanan Publik". A participant
// on a 360-px touch phone signs the attendance with a drawn signature, the
// facilitator uploads a photo and downloads the session's pack. A second
// session, "Monitoring Rencana Aksi", starts with that action; the
// facilitator reports it selesai with a progress note; the programme page's
// register shows it (at 1280 and 360), and the programme's pack — each
// session's folder and the register report — is read back: file lists,
// pdftotext of every PDF, every DOCX opened by LibreOffice.
func TestZIProgrammeFlow(t *testing.T) {
	const (
		unit     = "BP3KP Jawa III"
		first    = "Rapat TPI Triwulan I"
		monitor  = "Monitoring Rencana Aksi Triwulan II"
		noteText = "Antrean loket terlalu panjang"
		action   = "Sosialisasi pengendalian gratifikasi"
		report   = "Sosialisasi dilaksanakan di aula, 40 pegawai hadir"
		signer   = "Dewi Lestari"
		area     = "Peningkatan Kualitas Pelayanan Publik"
	)
	started := time.Now() // the sessions' day (a run across midnight WIB could fail; it lasts seconds)
	base := startServer(t)
	fac := newBrowser(t, "facilitator", 1280, 900, false)
	fac.do("create a programme on /p",
		chromedp.Navigate(base+"/p"),
		waitVisible(css(`[data-testid=prog-form]`)),
		typeInto(css(`[data-testid=prog-unit]`), unit),
		setValue(css(`[data-testid=prog-target]`), "WBK"),
		typeInto(css(`[data-testid=prog-instansi]`), "Kementerian Perumahan dan Kawasan Permukiman"),
		typeInto(css(`[data-testid=prog-chairName]`), "Dr. Ahmad Fauzi"),
		click(css(`[data-testid=prog-submit]`)),
		waitVisible(css(`[data-testid=prog-title]`)),
	)
	link := eval[string](fac, `document.querySelector('[data-testid=prog-link]').value`)
	if !strings.Contains(link, "/p/") || !strings.Contains(link, "#") {
		t.Fatalf("programme link %q holds no key fragment", link)
	}

	// Session 1: a note in an area column, an action on it (overdue).
	fac.do("create the first session from the programme page",
		typeInto(css(`[data-testid=prog-session-title]`), first),
		setValue(css(`[data-testid=prog-session-template]`), "zona-integritas"),
		typeInto(css(`[data-testid=prog-session-name]`), "Sari Fasilitator"),
		click(css(`[data-testid=prog-session-submit]`)),
		waitVisible(css(selBoard)),
	)
	fac.waitJS("connected", connected)
	code := eval[string](fac, `document.querySelector('[data-testid=topbar-code] span').textContent`)
	if got := eval[string](fac, `document.querySelector(`+js(col(6)+` [data-testid=column-title]`)+`).textContent`); got != area {
		t.Fatalf("column 6 is %q, want %q", got, area)
	}
	addNote(t, fac, 6, noteText)
	fac.waitJS("the note is acked", noteShown(noteText))
	noteID := eval[string](fac, `(`+noteSel(noteText)+`).dataset.noteId`)
	fac.do("add an action on the note",
		click(css(`[data-testid=tab-actions]`)),
		waitVisible(css(`[data-testid=action-form]`)),
		typeInto(css(`[data-testid=action-form] [data-testid=action-text-input]`), action),
		typeInto(css(`[data-testid=action-form] [data-testid=action-owner-input]`), "Budi Santoso"),
		setValue(css(`[data-testid=action-form] [data-testid=action-due-input]`), "2026-01-15"),
		setValue(css(`[data-testid=action-form] [data-testid=action-target-input]`), noteID),
		click(css(`[data-testid=action-form] [data-testid=action-submit]`)),
	)
	fac.waitJS("the action is stored", `document.querySelector('[data-testid=action] [data-testid=action-status-badge]')?.dataset.status === 'belum'`)

	// A participant signs on a touch phone, drawing the signature.
	phone := newBrowser(t, "phone", 360, 740, true)
	phone.do("a touch screen", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
	joinSession(t, phone, base, code, signer)
	fac.do("ask everyone to sign", click(css(`[data-testid=tab-people]`)), click(css(`[data-testid=attendance-request]`)))
	phone.do("the pad opens", waitVisible(css(`[data-testid=sign-dialog] [data-testid=sign-pad]`)))
	drawSignature(t, phone)
	phone.shot("01-signature-360")
	phone.do("save the signature", click(css(`[data-testid=sign-save]`)), waitGone(css(`[data-testid=sign-dialog]`)))
	fac.waitJS("the facilitator sees the tick", `document.querySelectorAll('[data-testid=signed-tick]').length === 1`)

	// A photo, then the session's pack with its progress.
	photo := writeJPEG(t, color.RGBA{40, 160, 90, 255})
	fac.do("upload a photo", click(css(`[data-testid=tab-notes]`)), waitVisible(css(`[data-testid=photos]`)),
		chromedp.SetUploadFiles(css(`[data-testid=photo-input]`), []string{photo}, chromedp.NodeReady))
	fac.waitJS("the thumbnail shows", `document.querySelectorAll('.photo-grid li').length === 1`)
	dl := allowDownloads(t, fac)
	fac.do("download the session's pack",
		click(css(`[data-testid=more-menu]`)),
		click(css(`[data-testid=menu-pack]`)),
		waitVisible(css(`[data-testid=pack-dialog]`)),
		click(css(`[data-testid=pack-download]`)),
	)
	_, sessionZip := dl.next(t, "session pack")
	fac.waitJS("the dialog counts every file", `(() => { const p = document.querySelector('[data-testid=pack-progress]'); return !!p && p.dataset.total === '9' && p.dataset.files === '9'; })()`)
	fac.shot("02-session-pack-1280")
	names, sessionFiles := readZip(t, sessionZip)
	wantFiles := "01-Undangan.pdf 01-Undangan.docx 02-Daftar-Hadir.pdf 03-Notulen.pdf 03-Notulen.docx 04-Dokumentasi/Foto-01.jpg " +
		"05-Rencana-Aksi.csv 05-Rencana-Aksi.pdf README.txt"
	if got := strings.Join(names, " "); got != wantFiles {
		t.Fatalf("session pack files:\n%s\nwant:\n%s", got, wantFiles)
	}

	// Session 2: monitoring; the action is reported selesai with a note.
	fac.do("back to the programme", chromedp.Navigate(link), waitVisible(css(`[data-testid=register-item]`)))
	fac.do("create the monitoring session",
		typeInto(css(`[data-testid=prog-session-title]`), monitor),
		setValue(css(`[data-testid=prog-session-template]`), "monitoring-rencana-aksi"),
		click(css(`[data-testid=prog-session-submit]`)),
		waitVisible(css(selBoard)),
	)
	fac.waitJS("connected", connected)
	fac.do("open its actions", click(css(`[data-testid=tab-actions]`)))
	fac.waitJS("the open action is on the monitoring board", `document.querySelector('[data-testid=action] [data-testid=action-origin]')?.textContent.includes(`+js(first)+`)`)
	fac.do("report progress",
		click(css(`[data-testid=action] [data-testid=action-report]`)),
		waitVisible(css(`[data-testid=report-dialog]`)),
		setValue(css(`[data-testid=report-status]`), "selesai"),
		typeInto(css(`[data-testid=report-text]`), report),
		click(css(`[data-testid=report-submit]`)),
		waitGone(css(`[data-testid=report-dialog]`)),
	)
	fac.waitJS("selesai with its note on the board", `(() => { const a = document.querySelector('[data-testid=action]');
		return a.querySelector('[data-testid=action-status-badge]')?.dataset.status === 'selesai' && a.querySelector('.progress-notes')?.textContent.includes(`+js(report)+`); })()`)
	fac.shot("03-monitoring-1280")

	// The programme page: the register at 1280 and on the phone.
	fac.do("the programme page", chromedp.Navigate(link), waitVisible(css(`[data-testid=register-item]`)))
	reg := `(() => { const r = document.querySelector('[data-testid=register-item]');
		return r.dataset.status === 'selesai' && !r.querySelector('[data-testid=register-overdue]') && r.textContent.includes(` + js(report) + `) && r.textContent.includes(` + js(monitor) + `)
			&& r.closest('.reg-area')?.getAttribute('aria-label') === ` + js(area) + `; })()`
	fac.waitJS("selesai, its note and area in the register", reg)
	if n := count(fac, `[data-testid=prog-session]`); n != 2 {
		t.Errorf("the programme lists %d sessions, want 2", n)
	}
	scroll := chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=register]').scrollIntoView()`)
	fac.do("scroll to the register", scroll)
	fac.shot("04-register-1280")
	maybeAxe(t, fac, "the programme page at 1280")
	phone.do("the programme link on the phone", chromedp.Navigate(link), waitVisible(css(`[data-testid=register-item]`)))
	phone.waitJS("the register on the phone", reg)
	phone.do("scroll to the register", scroll)
	phone.shot("05-register-360")
	maybeAxe(t, phone, "the programme page at 360")

	// The programme's pack, with its progress.
	fac.do("download the programme's pack", click(css(`[data-testid=prog-pack-download]`)))
	_, progZip := dl.next(t, "programme pack")
	fac.waitJS("the card counts every file", `(() => { const p = document.querySelector('[data-testid=prog-pack] [data-testid=pack-progress]'); return !!p && p.dataset.total !== '0' && p.dataset.files === p.dataset.total; })()`)
	fac.shot("06-programme-pack-1280")
	pnames, progFiles := readZip(t, progZip)
	if total := eval[string](fac, `document.querySelector('[data-testid=prog-pack] [data-testid=pack-progress]').dataset.total`); total != fmt.Sprint(len(pnames)) {
		t.Errorf("the card expected %s files, the zip holds %d", total, len(pnames))
	}
	folders := map[string][]string{} // session folder → its files
	var order []string
	for _, n := range pnames {
		if dir, file, ok := strings.Cut(n, "/"); ok && strings.HasPrefix(dir, "Sesi-") {
			if folders[dir] == nil {
				order = append(order, dir)
			}
			folders[dir] = append(folders[dir], file)
		}
	}
	if len(order) != 2 || !strings.HasPrefix(order[0], "Sesi-01-") || !strings.HasPrefix(order[1], "Sesi-02-") {
		t.Fatalf("session folders %v in %v", order, pnames)
	}
	// Each folder is its session's pack; the one README.txt at the root
	// indexes them all.
	inFolder := strings.TrimSuffix(wantFiles, " README.txt")
	if got := strings.Join(folders[order[0]], " "); got != inFolder {
		t.Errorf("%s holds:\n%s\nwant:\n%s", order[0], got, inFolder)
	}
	if got, want := strings.Join(folders[order[1]], " "), strings.ReplaceAll(inFolder, "04-Dokumentasi/Foto-01.jpg ", ""); got != want {
		t.Errorf("%s holds:\n%s\nwant:\n%s", order[1], got, want)
	}
	if pnames[0] != "Laporan-Monitoring-Rencana-Aksi.pdf" || pnames[len(pnames)-1] != "README.txt" {
		t.Errorf("programme pack files %v", pnames)
	}
	// The monitoring session's own action plan names where and when the
	// action was agreed (the first session's title and day), and its status.
	agreed := ";" + first + ";" + started.In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly) + ";"
	if csv := string(progFiles[order[1]+"/05-Rencana-Aksi.csv"]); !strings.Contains(csv, agreed) || !strings.Contains(csv, ";selesai;0;") || !strings.Contains(csv, report) {
		t.Errorf("%s/05-Rencana-Aksi.csv lacks %q, the status selesai or the note:\n%s", order[1], agreed, csv)
	}
	readme := string(progFiles["README.txt"])
	for _, w := range []string{"Laporan-Monitoring-Rencana-Aksi.pdf", order[0] + "/03-Notulen.pdf", order[0] + "/04-Dokumentasi/Foto-01.jpg", order[1] + "/05-Rencana-Aksi.pdf", "6. " + area} {
		if !strings.Contains(readme, w) {
			t.Errorf("README.txt lacks %q:\n%s", w, readme)
		}
	}
	if _, ok := progFiles["Laporan-Monitoring-Rencana-Aksi.docx"]; !ok {
		t.Errorf("no DOCX report in %v", pnames)
	}
	if photo := progFiles[order[0]+"/04-Dokumentasi/Foto-01.jpg"]; len(photo) == 0 || string(photo) != string(sessionFiles["04-Dokumentasi/Foto-01.jpg"]) {
		t.Errorf("the programme pack's photo (%d bytes) is not the session pack's", len(photo))
	}
	// The drawn strokes are in the daftar hadir: lines in the PDF beyond
	// those of the monitoring session's, where nobody signed.
	signed, unsigned := strings.Count(string(progFiles[order[0]+"/02-Daftar-Hadir.pdf"]), " l S"), strings.Count(string(progFiles[order[1]+"/02-Daftar-Hadir.pdf"]), " l S")
	if signed < unsigned+10 {
		t.Errorf("the signed daftar hadir draws %d lines, the unsigned one %d: the signature's strokes are missing", signed, unsigned)
	}

	// Every PDF, read by pdftotext.
	// The notulen's date is the meeting's day in WIB, written out.
	days := []string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	months := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	day := started.In(time.FixedZone("WIB", 7*3600))
	date := fmt.Sprintf("%s, %d %s %d", days[day.Weekday()], day.Day(), months[day.Month()-1], day.Year())
	pdfs := map[string][]string{
		"Laporan-Monitoring-Rencana-Aksi.pdf": {"LAPORAN MONITORING RENCANA AKSI", action, area, "Selesai", report},
	}
	for i, dir := range order {
		title := []string{first, monitor}[i]
		pdfs[dir+"/01-Undangan.pdf"] = []string{title, "Dr. Ahmad Fauzi"}
		pdfs[dir+"/02-Daftar-Hadir.pdf"] = []string{"DAFTAR HADIR", title}
		pdfs[dir+"/03-Notulen.pdf"] = []string{"NOTULEN", title, date}
		pdfs[dir+"/05-Rencana-Aksi.pdf"] = []string{"LAPORAN MONITORING RENCANA AKSI", action}
	}
	pdfs[order[0]+"/02-Daftar-Hadir.pdf"] = append(pdfs[order[0]+"/02-Daftar-Hadir.pdf"], signer, "Sari Fasilitator")
	pdfs[order[0]+"/03-Notulen.pdf"] = append(pdfs[order[0]+"/03-Notulen.pdf"], noteText, "Dokumentasi", "Foto 1")
	pdfs[order[1]+"/05-Rencana-Aksi.pdf"] = append(pdfs[order[1]+"/05-Rencana-Aksi.pdf"], "Selesai", area)
	for _, n := range pnames {
		if strings.HasSuffix(n, ".pdf") && pdfs[n] == nil {
			t.Errorf("%s is not checked", n)
		}
	}
	for n, wants := range pdfs {
		text := pdfText(t, n, progFiles[n])
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", n, w, text)
			}
		}
	}
	if text := pdfText(t, "session-02-Daftar-Hadir.pdf", sessionFiles["02-Daftar-Hadir.pdf"]); !strings.Contains(text, signer) {
		t.Errorf("the session pack's daftar hadir lacks the signer:\n%s", text)
	}

	// Every DOCX opens in LibreOffice.
	docs := map[string][]byte{}
	for _, n := range pnames {
		if strings.HasSuffix(n, ".docx") {
			docs[sanitize(strings.TrimSuffix(n, ".docx"))] = progFiles[n]
		}
	}
	if len(docs) != 5 {
		t.Errorf("%d DOCX files in the programme pack, want 5", len(docs))
	}
	for name, text := range openDocx(t, docs) {
		if strings.TrimSpace(text) == "" {
			t.Errorf("%s.docx opens empty", name)
		}
	}
}
