package minutes

// letterPDF lays the invitation out on one A4 page (more only for a very
// long list of addressees or agenda).
func letterPDF(lt *Letter) ([]byte, error) {
	f := newPDF(lt.L.Invitation+" — "+lt.Title, lt.Date, lt.Made)
	// The footer and tables of pdfDoc read a Model: a letter's is its title.
	d := &pdfDoc{Fpdf: f, m: &Model{Title: lt.Title, L: labels[lt.Lang]}}
	f.AddPage()
	if len(lt.Kop) > 0 {
		d.kop(lt.Kop)
	}
	// Nomor, sifat, lampiran, perihal on the left; the date on the right
	// of the first line.
	d.font(false, 10.5)
	d.SetX(pdfLeft)
	d.CellFormat(pdfWidth, 5.5, pdfText(lt.PlaceDate), "", 0, "R", false, 0, "")
	d.fields(lt.HeadFields(), 24, pdfWidth*0.62)
	d.Ln(5)
	d.para(pdfLeft, pdfWidth, 5.5, lt.L.To)
	for _, to := range lt.To {
		d.para(pdfLeft+6, pdfWidth-6, 5.5, to)
	}
	if lt.L.AtPlace != "" {
		d.para(pdfLeft+6, pdfWidth-6, 5.5, lt.L.AtPlace)
	}
	d.Ln(5)
	d.para(pdfLeft, pdfWidth, 5.5, lt.L.Opening)
	d.Ln(1)
	d.SetX(pdfLeft)
	d.MultiCell(pdfWidth, 5.5, pdfText(lt.Intro()), "", "J", false)
	d.Ln(2)
	d.SetX(pdfLeft + 10)
	d.fieldsAt(pdfLeft+10, lt.LetterFields(), 30, pdfWidth-10)
	d.Ln(2)
	d.SetX(pdfLeft)
	d.MultiCell(pdfWidth, 5.5, pdfText(lt.L.Closing), "", "J", false)
	d.Ln(8)
	d.keep(pdfSignH + 6)
	x, w := pdfLeft+pdfWidth*0.5, pdfWidth*0.5
	d.signer(x, d.GetY(), w, []string{oneLine(lt.SignerTitle) + ","}, lt.SignerName, lt.SignerNIP)
	return pdfBytes(f)
}

// fields writes labelled lines ("Nomor : …") from the left margin, w wide.
func (d *pdfDoc) fields(fs []Field, labelW, w float64) { d.fieldsAt(pdfLeft, fs, labelW, w) }

func (d *pdfDoc) fieldsAt(x float64, fs []Field, labelW, w float64) {
	for _, f := range fs {
		d.font(false, 10.5)
		y := d.GetY()
		d.SetXY(x, y)
		d.CellFormat(labelW, 5.5, pdfText(f.Label), "", 0, "L", false, 0, "")
		d.CellFormat(4, 5.5, ":", "", 0, "L", false, 0, "")
		d.SetXY(x+labelW+4, y)
		d.MultiCell(w-labelW-4, 5.5, pdfText(f.Value), "", "L", false)
	}
}

// AttendancePDF writes the signed attendance list (daftar hadir) alone,
// under the office's kop: the evidence pack files it apart from the
// minutes, as the LKE asks for it by name.
func AttendancePDF(m Model) ([]byte, error) {
	f := newPDF(m.L.Attendance+" — "+m.Title, m.Date, m.Made)
	d := &pdfDoc{Fpdf: f, m: &m}
	f.SetFooterFunc(d.footer)
	f.AddPage()
	if m.Unit != "" {
		d.kop([]string{m.Unit})
	}
	d.attendance()
	return pdfBytes(f)
}
