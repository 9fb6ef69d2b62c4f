package minutes

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDOCXFooterXML: the footer holds the page number and the page count
// as fields (PAGE, NUMPAGES) in the minutes' language, and the section
// points at it.
func TestDOCXFooterXML(t *testing.T) {
	for lang, want := range map[string][]string{"id": {"Halaman ", " dari "}, "en": {"Page ", " of "}} {
		parts := unzipDOCX(t, render(t, fixtureModel(t, lang), "docx"))
		ftr := string(parts["word/footer1.xml"])
		page, numpages := strings.Index(ftr, "> PAGE <"), strings.Index(ftr, "> NUMPAGES <")
		if page < 0 || numpages < page {
			t.Fatalf("%s: footer lacks PAGE then NUMPAGES fields: %s", lang, ftr)
		}
		if !strings.Contains(ftr[:page], ">"+want[0]+"<") || !strings.Contains(ftr[page:numpages], ">"+want[1]+"<") {
			t.Errorf("%s: footer does not read %q PAGE %q NUMPAGES: %s", lang, want[0], want[1], ftr)
		}
		if !strings.Contains(string(parts["word/_rels/document.xml.rels"]), `Target="footer1.xml"`) ||
			!strings.Contains(string(parts["[Content_Types].xml"]), `PartName="/word/footer1.xml"`) ||
			!strings.Contains(string(parts["word/document.xml"]), `<w:footerReference w:type="default" r:id="rId2"/>`) {
			t.Errorf("%s: footer1.xml is not wired into the package", lang)
		}
	}
}

// TestDOCXPagesLibreOffice converts docx minutes to PDF with LibreOffice:
// every page says "Halaman X dari Y", and the signature block never stands
// (place-and-date line, Mengetahui block, signers) on a page without the
// closing line before it, wherever the follow-up table ends — the documents grow one action at a time over a whole page.
func TestDOCXPagesLibreOffice(t *testing.T) {
	bin := requireTool(t, "soffice", "libreoffice")
	requireTool(t, "pdftotext")
	if testing.Short() {
		t.Skip("converts some thirty documents")
	}
	dir := t.TempDir()
	base := fixtureModel(t, "id")
	const most = 30
	var files []string
	for k := 0; k <= most; k++ {
		m := base
		m.Actions = append([]Action(nil), base.Actions...)
		for i := 0; i < k; i++ {
			m.Actions = append(m.Actions, Action{No: len(m.Actions) + 1, Text: fmt.Sprintf("Tindak lanjut tambahan %d", i+1),
				Owner: "Seksi Pelayanan", Due: "Selasa, 15 Desember 2026", Status: m.L.NotDone})
		}
		name := filepath.Join(dir, fmt.Sprintf("m%02d.docx", k))
		if err := os.WriteFile(name, render(t, m, "docx"), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	args := append([]string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir}, files...)
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	footer := regexp.MustCompile(`Halaman (\d+) dari (\d+)`)
	for k, name := range files {
		pdf, err := os.ReadFile(strings.TrimSuffix(name, ".docx") + ".pdf")
		if err != nil {
			t.Fatalf("no PDF for %d extra actions: %v", k, err)
		}
		pages := strings.Split(strings.TrimSuffix(pdfToText(t, pdf), "\f"), "\f")
		for i, p := range pages {
			got := footer.FindStringSubmatch(p)
			if got == nil || got[1] != fmt.Sprint(i+1) || got[2] != fmt.Sprint(len(pages)) {
				t.Errorf("%d extra actions, page %d of %d: footer %q", k, i+1, len(pages), got)
			}
		}
		for i, p := range pages {
			if strings.Contains(p, "NIP. ....") && !strings.Contains(p, "Rapat ditutup pukul") {
				t.Errorf("%d extra actions: the signatures stand on page %d without the closing line", k, i+1)
			}
			if !strings.Contains(p, "Rapat ditutup pukul") {
				continue
			}
			for _, want := range []string{base.PlaceDate, "Mengetahui,", ackName, "Pimpinan Rapat,", nameTaker} {
				if !strings.Contains(p, want) {
					t.Errorf("%d extra actions: page %d has the closing line but not %q", k, i+1, want)
				}
			}
		}
	}
}
