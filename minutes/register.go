package minutes

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"rembuk/board"
)

// The "Laporan Monitoring Rencana Aksi": a programme's action register (or
// one session's actions) grouped by area perubahan, with per-area counts
// of done, open and overdue actions. Its input is a plain struct so the
// report knows nothing of where the register comes from; the server fills
// it from the board's register.

// Register is the report's input.
type Register struct {
	Lang  string
	Title string   // what the report covers: the programme, or the session
	Kop   []string // letterhead lines; none: no kop
	Made  time.Time
	Today string // YYYY-MM-DD: what "overdue" is measured against
	Items []RegisterItem
}

// RegisterItem is one action. Status is "belum", "proses" or "selesai";
// AreaNo is 1–6 for the six areas in their order, 0 for none.
type RegisterItem struct {
	Text, Owner, Due   string // Due: YYYY-MM-DD or ""
	AreaNo             int
	Source, SourceDate string // the session it was agreed in, and its day (YYYY-MM-DD)
	Status             string
	Overdue            bool
	Progress           []RegisterNote
	Evidence           []string
}

// RegisterNote is a progress note with its day.
type RegisterNote struct{ Date, Text string }

// ZIAreas are the six areas perubahan, in order (board.Areas); the
// report's groups follow it.
var ZIAreas = board.Areas

// AreaNo is the number (1–6) of the area named name, 0 for none.
func AreaNo(name string) int { return board.AreaNo(name) }

// RegisterFrom turns the programme's action register (board.BuildRegister)
// into the report's input, in lang, under kop.
func RegisterFrom(br board.Register, lang string, kop []string) Register {
	p := br.Programme
	title := strings.TrimSpace(fmt.Sprintf("%s %d", oneLine(p.Unit), p.Year))
	if p.Target != "" {
		title = "Program ZI " + p.Target + " — " + title
	}
	r := Register{Lang: Lang(lang), Title: title, Kop: kop, Made: br.GeneratedAt, Today: br.Today}
	for _, it := range br.Items {
		ri := RegisterItem{Text: it.Text, Owner: it.Owner, Due: it.Due, AreaNo: it.AreaNo, Source: it.Source.Title,
			SourceDate: it.Source.Date, Status: it.Status, Overdue: it.Overdue, Evidence: it.Evidence}
		for _, pn := range it.Progress {
			ri.Progress = append(ri.Progress, progressNote(pn.ProgressNote, pn.SessionTitle))
		}
		r.Items = append(r.Items, ri)
	}
	return r
}

// progressNote is a progress report as the report lists it: its day (in
// WIB, as the register measures days), its text and its status, with the
// session it was given in.
func progressNote(n board.ProgressNote, session string) RegisterNote {
	wib, _ := board.TimeZone("WIB")
	text := oneLine(n.Text)
	if n.Status != "" {
		text = strings.TrimSpace("[" + n.Status + "] " + text)
	}
	if session != "" {
		text += " (" + oneLine(session) + ")"
	}
	return RegisterNote{Date: n.At.In(wib).Format(time.DateOnly), Text: text}
}

// reportLabels are the report's words.
type reportLabels struct {
	Title, Summary, Area, NoArea, Count, Done, Open, Overdue, Total string
	Action, PIC, Due, Status, Source, Progress, Evidence, None      string
	Belum, Proses, Selesai, Generated, Late                         string
	CSVHead                                                         []string
}

var reportText = map[string]*reportLabels{
	"id": {Title: "Laporan Monitoring Rencana Aksi", Summary: "Rekapitulasi per Area Perubahan", Area: "Area Perubahan",
		NoArea: "Tanpa area perubahan", Count: "Jumlah", Done: "Selesai", Open: "Belum selesai", Overdue: "Terlambat",
		Total: "Jumlah", Action: "Rencana Aksi", PIC: "PIC", Due: "Tenggat", Status: "Status", Source: "Sumber",
		Progress: "Progres", Evidence: "Bukti", None: "-", Belum: "Belum", Proses: "Proses", Selesai: "Selesai",
		Generated: "Keadaan per %s", Late: "(terlambat)",
		CSVHead: []string{"no_area", "area", "rencana_aksi", "pic", "tenggat", "status", "terlambat", "sumber", "tanggal_sumber", "progres", "bukti"}},
	"en": {Title: "Action Plan Monitoring Report", Summary: "Summary by Change Area", Area: "Change Area",
		NoArea: "No change area", Count: "Count", Done: "Done", Open: "Open", Overdue: "Overdue",
		Total: "Total", Action: "Action", PIC: "PIC", Due: "Deadline", Status: "Status", Source: "Source",
		Progress: "Progress", Evidence: "Evidence", None: "-", Belum: "Not started", Proses: "In progress", Selesai: "Done",
		Generated: "As of %s", Late: "(overdue)",
		CSVHead: []string{"area_no", "area", "action", "pic", "deadline", "status", "overdue", "source", "source_date", "progress", "evidence"}},
}

// report is a Register laid out: its areas in order with their counts
// and rows, every string final.
type report struct {
	Lang    string
	L       *reportLabels
	ML      *Labels
	Title   string
	Kop     []string
	AsOf    string
	Made    time.Time
	Areas   []reportArea
	Totals  reportCount
	Summary [][]string // the summary table's rows, totals last
}

type reportArea struct {
	Name  string
	Count reportCount
	Rows  [][]string // no, action and its source, PIC, due, status, progress & evidence
}

type reportCount struct{ Total, Done, Open, Overdue int }

func (c *reportCount) add(it RegisterItem) {
	c.Total++
	if it.Status == "selesai" {
		c.Done++
	} else {
		c.Open++
	}
	if it.Overdue {
		c.Overdue++
	}
}

func (c reportCount) cells() []string {
	return []string{strconv.Itoa(c.Total), strconv.Itoa(c.Done), strconv.Itoa(c.Open), strconv.Itoa(c.Overdue)}
}

// layout groups r's items by area (1–6, then none, each only when it holds
// an item) and writes every cell.
func (r *Register) layout() *report {
	lang := Lang(r.Lang)
	l, ml := reportText[lang], labels[lang]
	out := &report{Lang: lang, L: l, ML: ml, Title: oneLine(r.Title), Kop: r.Kop, Made: r.Made}
	if t, err := time.Parse(time.DateOnly, r.Today); err == nil {
		out.AsOf = fmt.Sprintf(l.Generated, ml.dayDate(t))
	}
	for no := 1; no <= 7; no++ {
		want, name := no, ""
		if no == 7 {
			want, name = 0, l.NoArea
		} else {
			name = fmt.Sprintf("%d. %s", no, ZIAreas[no-1])
		}
		a := reportArea{Name: name}
		for _, it := range r.Items {
			if it.AreaNo < 0 || it.AreaNo > 6 || it.AreaNo != want {
				continue
			}
			a.Count.add(it)
			out.Totals.add(it)
			a.Rows = append(a.Rows, []string{strconv.Itoa(len(a.Rows) + 1), oneLine(it.Text) + "\n" + out.source(it),
				oneLine(it.Owner), out.due(it.Due), out.status(it), out.progress(it)})
		}
		if a.Count.Total > 0 || want != 0 {
			out.Summary = append(out.Summary, append([]string{name}, a.Count.cells()...))
		}
		if a.Count.Total > 0 {
			out.Areas = append(out.Areas, a)
		}
	}
	out.Summary = append(out.Summary, append([]string{l.Total}, out.Totals.cells()...))
	return out
}

func (rp *report) statusWord(s string) string {
	switch s {
	case "selesai":
		return rp.L.Selesai
	case "proses":
		return rp.L.Proses
	}
	return rp.L.Belum
}

func (rp *report) status(it RegisterItem) string {
	s := rp.statusWord(it.Status)
	if it.Overdue {
		s += "\n" + rp.L.Late
	}
	return s
}

// source names the session an action was agreed in: "(Rapat ZI 1, 27 November 2026)".
func (rp *report) source(it RegisterItem) string {
	s := oneLine(it.Source)
	if t, err := time.Parse(time.DateOnly, it.SourceDate); err == nil {
		s += ", " + rp.ML.dayDate(t)
	}
	return "(" + rp.L.Source + ": " + s + ")"
}

// due writes a deadline without its weekday, to fit its column.
func (rp *report) due(s string) string {
	return or(rp.ML.shortDate(s), rp.L.None)
}

// progress is the progress notes, dated, then the evidence links.
func (rp *report) progress(it RegisterItem) string {
	var parts []string
	for _, p := range it.Progress {
		parts = append(parts, rp.ML.shortDate(p.Date)+": "+oneLine(p.Text))
	}
	for _, e := range it.Evidence {
		parts = append(parts, rp.L.Evidence+": "+oneLine(e))
	}
	if len(parts) == 0 {
		return rp.L.None
	}
	return strings.Join(parts, "\n")
}

// SummaryHead is the summary table's header.
func (rp *report) SummaryHead() []string {
	return []string{rp.L.Area, rp.L.Count, rp.L.Done, rp.L.Open, rp.L.Overdue}
}

// ItemHead is an area table's header.
func (rp *report) ItemHead() []string {
	l := rp.L
	return []string{rp.ML.No, l.Action, l.PIC, l.Due, l.Status, l.Progress + " / " + l.Evidence}
}

// RenderRegister writes the report as pdf, docx or csv.
func RenderRegister(r Register, format string) ([]byte, error) {
	rp := r.layout()
	switch format {
	case "pdf":
		return registerPDF(rp)
	case "docx":
		return writeDOCXDoc("register.xml", docxShell{L: rp.ML, DocTitle: rp.L.Title + " — " + rp.Title, Subject: rp.AsOf, Made: rp.Made, Body: rp})
	case "csv":
		return registerCSV(&r, rp)
	}
	return nil, ErrFormat
}

// registerCSV writes one row per action, for a spreadsheet set up for the
// report's language (as the minutes' csv: ";" and a BOM in Indonesian).
func registerCSV(r *Register, rp *report) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma = rp.ML.CSVComma
	if err := w.Write(rp.L.CSVHead); err != nil {
		return nil, err
	}
	for _, it := range r.Items {
		area := ""
		if it.AreaNo >= 1 && it.AreaNo <= 6 {
			area = ZIAreas[it.AreaNo-1]
		}
		var prog []string
		for _, p := range it.Progress {
			prog = append(prog, p.Date+": "+oneLine(p.Text))
		}
		late := "0"
		if it.Overdue {
			late = "1"
		}
		row := []string{strconv.Itoa(it.AreaNo), area, cell(oneLine(it.Text)), cell(oneLine(it.Owner)), it.Due,
			cell(it.Status), late, cell(oneLine(it.Source)), it.SourceDate, cell(strings.Join(prog, " | ")), cell(strings.Join(it.Evidence, " | "))}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// registerPDF: the kop, the title, the summary table, then one table per area.
func registerPDF(rp *report) ([]byte, error) {
	f := newPDF(rp.L.Title+" — "+rp.Title, rp.AsOf, rp.Made)
	d := &pdfDoc{Fpdf: f, m: &Model{Title: rp.L.Title + " — " + rp.Title, L: rp.ML}}
	f.SetFooterFunc(d.footer)
	f.AddPage()
	if len(rp.Kop) > 0 {
		d.kop(rp.Kop)
	}
	d.SetFont("DejaVu", "BU", 14)
	d.CellFormat(pdfWidth, 8, strings.ToUpper(rp.L.Title), "", 1, "C", false, 0, "")
	d.font(true, 11.5)
	d.SetX(pdfLeft)
	d.MultiCell(pdfWidth, 6, pdfText(rp.Title), "", "C", false)
	if rp.AsOf != "" {
		d.font(false, 10)
		d.SetX(pdfLeft)
		d.MultiCell(pdfWidth, 5, rp.AsOf, "", "C", false)
	}
	d.heading(rp.L.Summary)
	d.table([]float64{77, 22, 22, 22, 22}, rp.SummaryHead(), rp.Summary, map[int]bool{1: true, 2: true, 3: true, 4: true}, 0)
	for _, a := range rp.Areas {
		d.heading(a.Name)
		d.font(false, 9)
		d.para(pdfLeft, pdfWidth, 4.5, fmt.Sprintf("%s: %d · %s: %d · %s: %d · %s: %d", rp.L.Count, a.Count.Total,
			rp.L.Done, a.Count.Done, rp.L.Open, a.Count.Open, rp.L.Overdue, a.Count.Overdue))
		d.Ln(1)
		d.table([]float64{8, 50, 22, 31, 22, 32}, rp.ItemHead(), a.Rows, map[int]bool{0: true}, 0)
	}
	return pdfBytes(f)
}
