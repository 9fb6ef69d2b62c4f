package minutes

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"strconv"

	"github.com/go-pdf/fpdf"
)

var fpdfJPEG = fpdf.ImageOptions{ImageType: "JPG"}

// photoRow is the CSV row of a photo: the appendix as its column, the
// label as the text, "foto"/"photo" as its kind.
func (m *Model) photoRow(p Photo, n int) []string {
	row := make([]string, n)
	row[0], row[2] = cell(m.Documentation()), cell(oneLine(m.PhotoLabel(p)))
	row[n-1] = "foto"
	if m.Lang == "en" {
		row[n-1] = "photo"
	}
	return row
}

// photoItem is a photo in the JSON minutes (no image bytes).
type photoItem struct {
	No      int    `json:"no"`
	Caption string `json:"caption"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

// Photo is one photo of the Dokumentasi appendix: the server's re-encoded
// JPEG (no EXIF) and its caption. The minutes print the photos in upload
// order, two to a row.
type Photo struct {
	No            int
	Caption       string // "" when none was given
	Width, Height int
	JPEG          []byte
}

// Documentation is the appendix's heading in the model's language.
func (m *Model) Documentation() string {
	if m.Lang == "en" {
		return "Documentation"
	}
	return "Dokumentasi"
}

// PhotoLabel names photo p: "Foto 1 — caption".
func (m *Model) PhotoLabel(p Photo) string {
	word := "Foto"
	if m.Lang == "en" {
		word = "Photo"
	}
	s := word + " " + strconv.Itoa(p.No)
	if p.Caption != "" {
		s += " — " + p.Caption
	}
	return s
}

// photoURI is the data: URI of a photo for the HTML minutes (the page's
// CSP allows data: images; the minutes file stands alone). The bytes are
// the server's own JPEG, so the URL is trusted as one.
func photoURI(b []byte) template.URL {
	return template.URL("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(b))
}

// photos writes the appendix as a list (Markdown carries no images).
func (d *mdDoc) photos() {
	m := d.m
	if len(m.Photos) == 0 {
		return
	}
	d.printf("---\n\n")
	d.section(m.Documentation())
	for _, p := range m.Photos {
		d.printf("- ", md(oneLine(m.PhotoLabel(p))), fmt.Sprintf(" (%d × %d px)", p.Width, p.Height), "\n")
	}
	d.printf("\n")
}

// photos writes the appendix on its own pages: two photos a row, each
// scaled to half the text width and at most a third of the page high.
func (d *pdfDoc) photos() {
	m := d.m
	if len(m.Photos) == 0 {
		return
	}
	d.AddPage()
	d.font(true, 13)
	d.CellFormat(pdfWidth, 7, pdfText(m.Documentation()), "", 1, "C", false, 0, "")
	d.Ln(4)
	const gap, maxH, capH = 6.0, 90.0, 10.0
	colW := (pdfWidth - gap) / 2
	for i := 0; i < len(m.Photos); i += 2 {
		row := m.Photos[i:min(i+2, len(m.Photos))]
		h := 0.0
		for _, p := range row {
			_, ph := photoFit(p, colW, maxH)
			h = max(h, ph)
		}
		d.keep(h + capH)
		y := d.GetY()
		for k, p := range row {
			name := "photo-" + strconv.Itoa(p.No)
			d.RegisterImageOptionsReader(name, fpdfJPEG, bytes.NewReader(p.JPEG))
			w, ph := photoFit(p, colW, maxH)
			x := pdfLeft + float64(k)*(colW+gap)
			d.ImageOptions(name, x+(colW-w)/2, y, w, ph, false, fpdfJPEG, 0, "")
			d.font(false, 9)
			d.SetXY(x, y+h+1)
			d.MultiCell(colW, 4, pdfText(oneLine(m.PhotoLabel(p))), "", "C", false)
		}
		d.SetY(y + h + capH)
	}
}

// photoFit is the size of p within w×h mm, keeping its proportions.
func photoFit(p Photo, w, h float64) (float64, float64) {
	if p.Width <= 0 || p.Height <= 0 {
		return w, h
	}
	ph := w * float64(p.Height) / float64(p.Width)
	if ph <= h {
		return w, ph
	}
	return h * float64(p.Width) / float64(p.Height), h
}

// photoRows groups the photos two to a row for the HTML and DOCX layouts.
func (m *Model) PhotoRows() [][]Photo {
	var rows [][]Photo
	for i := 0; i < len(m.Photos); i += 2 {
		rows = append(rows, m.Photos[i:min(i+2, len(m.Photos))])
	}
	return rows
}

// emu is a drawing size in English Metric Units (914,400 an inch).
type emu struct{ CX, CY int }

// photoEMU sizes a photo in the DOCX: the text width at most, and at most
// half an A4 page high (110 mm), keeping its proportions.
func photoEMU(p Photo) emu {
	const perMM = 36000
	w, h := photoFit(p, float64(textWidth)*635/perMM, 110)
	return emu{int(w * perMM), int(h * perMM)}
}

// writeDOCXMedia stores each photo's JPEG as word/media/photoN.jpeg, the
// target of its relationship (document_rels.xml). JPEGs do not deflate.
func writeDOCXMedia(zw *zip.Writer, m *Model) error {
	for _, p := range m.Photos {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/media/photo" + strconv.Itoa(p.No) + ".jpeg", Method: zip.Store, Modified: m.Made})
		if err != nil {
			return err
		}
		if _, err := w.Write(p.JPEG); err != nil {
			return err
		}
	}
	return nil
}
