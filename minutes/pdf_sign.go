package minutes

// Heights in millimetres of the parts of the signature block.
const (
	pdfClosingH  = 11.0 // the closing line and the space under it
	pdfPlaceH    = 9.0  // the place-and-date line
	pdfSignH     = 42.0 // role, room to sign, name, NIP
	pdfAckExtraH = 6.0  // the "Mengetahui" block's second line (the office)
	pdfAckGap    = 4.0  // between the "Mengetahui" block and the signers
)

// signatures ends the minutes: the closing line, the place-and-date line
// ("Jakarta, 10 Desember 2026"), the "Mengetahui" block when the session
// names an official, and the signers side by side — all on one page, so
// the signatures never stand apart from the text they sign (the closing
// line is the only paragraph that may not fit with them: a page break
// comes before it instead).
func (d *pdfDoc) signatures() {
	m := d.m
	h := 3 + pdfClosingH + pdfPlaceH + pdfSignH
	if m.Acknowledged != nil {
		h += pdfSignH + pdfAckExtraH + pdfAckGap
	}
	d.Ln(3)
	d.keep(h)
	d.font(false, 10)
	d.para(pdfLeft, pdfWidth, 5, m.Closing)
	d.Ln(pdfClosingH - 5)
	d.font(false, 10.5)
	d.SetX(pdfLeft)
	d.CellFormat(pdfWidth, 5.5, pdfText(m.PlaceDate), "", 2, "R", false, 0, "")
	d.Ln(pdfPlaceH - 5.5)
	if a := m.Acknowledged; a != nil {
		w := pdfWidth * 0.6
		d.signer(pdfLeft+(pdfWidth-w)/2, d.GetY(), w, []string{m.L.AcknowledgedBy + ",", oneLine(a.Title) + ","}, a.Name, a.NIP)
		d.Ln(pdfAckGap)
	}
	sigs := m.Signatures
	w := pdfWidth / float64(len(sigs))
	y := d.GetY()
	for i, s := range sigs {
		d.signer(pdfLeft+float64(i)*w, y, w, []string{s.Role + ","}, s.Name, m.L.NIP)
	}
}

// signer draws one signature block at x, y, w wide: its heading lines,
// room to sign, the name (or a dotted line) and the NIP line; it leaves
// the cursor under the block.
func (d *pdfDoc) signer(x, y, w float64, head []string, name, nip string) {
	d.font(false, 10.5)
	for i, ln := range head {
		d.SetXY(x, y+float64(i)*pdfAckExtraH)
		d.CellFormat(w, 5.5, pdfText(ln), "", 0, "C", false, 0, "")
	}
	y += float64(len(head)-1) * pdfAckExtraH
	if name == "" {
		name = "(....................................)"
	}
	d.SetFont("DejaVu", "BU", 10.5)
	d.SetXY(x, y+28)
	d.CellFormat(w, 5.5, pdfText(oneLine(name)), "", 0, "C", false, 0, "")
	d.font(false, 10)
	d.SetXY(x, y+34)
	d.CellFormat(w, 5.5, pdfText(nip), "", 0, "C", false, 0, "")
	d.SetXY(pdfLeft, y+pdfSignH)
}
