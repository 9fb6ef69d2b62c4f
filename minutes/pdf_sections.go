package minutes

import (
	"strconv"
	"strings"
)

// The sections of the minutes' PDF, in the order renderPDF draws them
// (the screening, figures, units, signatures and photos have files of their own).

func (d *pdfDoc) head() {
	m := d.m
	if m.Unit != "" {
		d.kop([]string{m.Unit})
	}
	d.SetFont("DejaVu", "BU", 15)
	d.CellFormat(pdfWidth, 8, strings.ToUpper(m.L.Minutes), "", 1, "C", false, 0, "")
	d.font(true, 12)
	d.SetX(pdfLeft)
	d.MultiCell(pdfWidth, 6, pdfText(oneLine(m.Title)), "", "C", false)
	d.Ln(5)
	const labelW = 38
	for _, f := range m.HeadFields() {
		d.font(false, 10.5)
		y := d.GetY()
		d.SetX(pdfLeft)
		d.CellFormat(labelW, 5.5, f.Label, "", 0, "L", false, 0, "")
		d.CellFormat(4, 5.5, ":", "", 0, "L", false, 0, "")
		d.SetXY(pdfLeft+labelW+4, y)
		d.MultiCell(pdfWidth-labelW-4, 5.5, pdfText(f.Value), "", "L", false)
	}
}

func (d *pdfDoc) discussion() {
	m := d.m
	d.heading(m.L.Discussion)
	if m.AnonymousNote != "" {
		d.grey(true)
		d.para(pdfLeft, pdfWidth, 5, m.AnonymousNote)
		d.grey(false)
	}
	for _, c := range m.Discussion {
		d.Ln(1.5)
		d.keep(12)
		d.font(true, 10.5)
		d.para(pdfLeft, pdfWidth, 6, oneLine(c.Title))
		if c.Empty() {
			d.font(false, 10)
			d.grey(true)
			d.para(pdfLeft+4, pdfWidth-4, 5, m.L.NoNotes)
			d.grey(false)
		}
		for _, g := range c.Groups {
			d.item(pdfLeft+2, false, g.Item, true)
			for _, n := range g.Notes {
				d.item(pdfLeft+8, true, n, false)
			}
		}
		for _, n := range c.Notes {
			d.item(pdfLeft+2, false, n, false)
		}
	}
}

var pdfNumbers = map[int]bool{0: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true}

func (d *pdfDoc) priorities() {
	m := d.m
	d.heading(m.L.Priorities)
	if n := m.priorityNote(); n != "" {
		d.font(false, 9)
		d.para(pdfLeft, pdfWidth, 4.5, n)
		d.font(false, 10)
	}
	rows := make([][]string, 0, len(m.Priorities))
	for _, p := range m.Priorities {
		rows = append(rows, []string{strconv.Itoa(p.No), oneLine(withMark(p.Text, p.Mark)), p.U, p.S, p.G, p.Total,
			strconv.Itoa(p.Raters), strconv.Itoa(p.Votes)})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"", m.L.None, "", "", "", "", "", ""})
	}
	d.table([]float64{9, 76, 12, 12, 12, 14, 15, 15}, m.PriorityHead(), rows, pdfNumbers, 0)
}

func (d *pdfDoc) innovations() {
	m := d.m
	d.heading(m.L.Innovations)
	for _, in := range m.Innovations {
		it := in.Item
		if len(in.Answers) > 0 {
			it.Stats = strings.TrimPrefix(it.Stats+" · "+m.L.Answers+": "+strings.Join(in.Answers, "; "), " · ")
		}
		d.item(pdfLeft+2, false, it, false)
	}
	if len(m.Innovations) == 0 {
		d.para(pdfLeft, pdfWidth, 5, m.L.None)
	}
}

func (d *pdfDoc) conclusions() {
	m := d.m
	d.heading(m.L.Conclusions)
	for _, c := range m.Conclusions {
		d.keep(10)
		d.font(true, 10)
		d.bullet(pdfLeft+2, false)
		d.para(pdfLeft+6, pdfWidth-6, 5, oneLine(c.Target)+":")
		d.font(false, 10)
		d.para(pdfLeft+6, pdfWidth-6, 5, c.Text)
		d.Ln(1)
	}
	if len(m.Conclusions) == 0 {
		d.para(pdfLeft, pdfWidth, 5, m.L.None)
	}
}

func (d *pdfDoc) actions() {
	m := d.m
	d.heading(m.L.Actions)
	rows := make([][]string, 0, len(m.Actions))
	for _, a := range m.Actions {
		act := oneLine(a.Text)
		if a.Target != "" {
			act += " (" + oneLine(a.Target) + ")"
		}
		rows = append(rows, []string{strconv.Itoa(a.No), act, oneLine(a.Owner), a.Due, a.Status})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"", m.L.None, "", "", ""})
	}
	d.table([]float64{9, 66, 31, 42, 17}, m.ActionHead(), rows, map[int]bool{0: true}, 0)
}

func (d *pdfDoc) attendance() {
	m := d.m
	d.font(true, 13)
	d.CellFormat(pdfWidth, 7, strings.ToUpper(m.L.Attendance), "", 1, "C", false, 0, "")
	d.font(false, 10)
	d.SetX(pdfLeft)
	d.MultiCell(pdfWidth, 5, pdfText(oneLine(m.Title)+"\n"+m.Date+", "+m.Time), "", "C", false)
	d.Ln(4)
	rows := make([][]string, 0, len(m.Attendance))
	for _, a := range m.Attendance {
		rows = append(rows, []string{strconv.Itoa(a.No), oneLine(a.Name), a.NIP, oneLine(a.Jabatan), oneLine(a.Unit), a.RoleLabel, a.Time, ""})
	}
	d.sigs = m.Attendance // table draws each row's signature in its last cell (signatures.go)
	d.table(pdfAttendCols, m.AttendanceHead(), rows, map[int]bool{0: true}, 10)
	d.sigs = nil
}
