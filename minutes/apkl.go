package minutes

import (
	"fmt"
	"strconv"
	"strings"

	"rembuk/board"
)

// Screening is the "Penyaringan APKL" section: every problem item with the
// team's result on Aktual, Problematik, Kekhalayakan and Layak. It stands
// before the priorities; nil when the session never used APKL.
type Screening struct {
	Title string   // "Penyaringan APKL"
	Note  string   // how the team judged and what passes, one sentence each
	Head  []string // No, item, A, P, K, L, raters, result
	Rows  []ScreenRow
	// Gated: scope "passed" was in force, so the priorities hold only the
	// items that passed; PriorityNote says so under that heading.
	Gated        bool
	PriorityNote string
}

// ScreenRow is one item of the screening table: the written cells and the
// figures (for csv and json).
type ScreenRow struct {
	No         int
	ID         string
	Text, Mark string
	A, P, K, L string // "✓ 2/3" or "4,50 ✓"; L.None when unrated
	Raters     int
	Result     string // Lolos / Tidak lolos / Belum dinilai
	R          board.APKLResult
}

// apklWords are the section's words in one language.
type apklWords struct {
	Title, Item, Result, Passed, Failed, Unrated, Check, Score, All, Fac, Gated, Open, PriorityNote string
}

var apklLabels = map[string]apklWords{
	"id": {Title: "Penyaringan APKL", Item: "Masalah", Result: "Hasil", Passed: "Lolos", Failed: "Tidak lolos",
		Unrated: "Belum dinilai",
		Check:   "A = Aktual, P = Problematik, K = Kekhalayakan, L = Layak; dinilai dengan centang ✓/✗ oleh %s; kriteria lolos bila lebih dari separuh penilai mencentang (✓ jumlah centang/penilai).",
		Score:   "A = Aktual, P = Problematik, K = Kekhalayakan, L = Layak; dinilai dengan skor 1–5 oleh %s; kriteria lolos bila rata-ratanya ≥ 3.",
		All:     "semua peserta", Fac: "pimpinan rapat",
		Gated:        " Masalah lolos bila keempat kriteria lolos; hanya masalah yang lolos dilanjutkan ke penilaian USG.",
		Open:         " Masalah lolos bila keempat kriteria lolos; semua masalah dilanjutkan ke penilaian USG.",
		PriorityNote: "Hanya masalah yang lolos penyaringan APKL yang dinilai USG.",
	},
	"en": {Title: "APKL Screening", Item: "Problem", Result: "Result", Passed: "Passed", Failed: "Not passed",
		Unrated: "Not rated",
		Check:   "A = Aktual (current), P = Problematik (off standard), K = Kekhalayakan (affects many), L = Layak (within authority); ticked ✓/✗ by %s; a criterion passes when more than half of the raters tick it (✓ ticks/raters).",
		Score:   "A = Aktual (current), P = Problematik (off standard), K = Kekhalayakan (affects many), L = Layak (within authority); scored 1–5 by %s; a criterion passes when its mean is ≥ 3.",
		All:     "every participant", Fac: "the chair",
		Gated:        " A problem passes when all four criteria pass; only problems that passed went on to USG scoring.",
		Open:         " A problem passes when all four criteria pass; every problem went on to USG scoring.",
		PriorityNote: "Only problems that passed the APKL screening were scored with USG.",
	},
}

// usesAPKL reports whether the session screened with APKL: switched on now,
// or rated while it was.
func usesAPKL(st *board.State) bool {
	return st.Session.Settings.APKL.Enabled || len(st.APKLRatings) > 0
}

// screening builds the section from the discussion (so it holds only what
// the minutes' reader may read): the groups and loose notes of problem
// columns, and grouped notes that were rated on their own.
func (b *builder) screening(cols []Column) *Screening {
	if !usesAPKL(b.st) {
		return nil
	}
	w := apklLabels[langOf(b.l)]
	set := b.st.Session.Settings.APKL
	who := w.All
	if set.RatersOf() == board.APKLRatersFac {
		who = w.Fac
	}
	sc := &Screening{Title: w.Title, Head: []string{b.l.No, w.Item, "A", "P", "K", "L", b.l.Raters, w.Result}}
	sc.Gated = set.Enabled && set.ScopeOf() == board.APKLScopePassed
	sc.Note = fmt.Sprintf(w.Check, who)
	if set.ModeOf() == board.APKLScore {
		sc.Note = fmt.Sprintf(w.Score, who)
	}
	if sc.Gated {
		sc.Note += w.Gated
		sc.PriorityNote = w.PriorityNote
	} else {
		sc.Note += w.Open
	}
	walkItems(cols, func(c *Column, g *Group, it *Item, isGroup bool) {
		if c.Kind != board.KindProblem {
			return
		}
		r := b.st.APKLResultOf(it.ID)
		if g != nil && !isGroup && r.Raters == 0 {
			return
		}
		row := ScreenRow{No: len(sc.Rows) + 1, ID: it.ID, Text: it.Text, Mark: it.Mark, Raters: r.Raters, R: r, Result: w.Unrated}
		cells := [4]*string{&row.A, &row.P, &row.K, &row.L}
		vals := [4]float64{r.A, r.P, r.K, r.L}
		oks := [4]bool{r.OK.A, r.OK.P, r.OK.K, r.OK.L}
		for i := range cells {
			*cells[i] = b.l.None
			if r.Raters == 0 {
				continue
			}
			mark := "✗"
			if oks[i] {
				mark = "✓"
			}
			if set.ModeOf() == board.APKLScore {
				*cells[i] = b.l.score(vals[i]) + " " + mark
			} else {
				*cells[i] = mark + " " + strconv.Itoa(int(vals[i])) + "/" + strconv.Itoa(r.Raters)
			}
		}
		if r.Raters > 0 {
			row.Result = w.Failed
			if r.Passed {
				row.Result = w.Passed
			}
		}
		sc.Rows = append(sc.Rows, row)
	})
	return sc
}

// langOf returns the language code of a label table.
func langOf(l *Labels) string {
	for k, v := range labels {
		if v == l {
			return k
		}
	}
	return "id"
}

// screenedOut tells the priorities which items stayed out of USG.
func (b *builder) screenedOut(id string) bool { return b.st.ScreenedOut(id) }

// Markdown.
func (d *mdDoc) screening() {
	sc := d.m.APKL
	if sc == nil {
		return
	}
	d.section(sc.Title)
	d.printf(md(sc.Note), "\n\n")
	d.table(sc.Head, ":-::::::")
	for _, r := range sc.Rows {
		d.row(strconv.Itoa(r.No), md(oneLine(withMark(r.Text, r.Mark))), r.A, r.P, r.K, r.L, strconv.Itoa(r.Raters), r.Result)
	}
	d.endTable()
}

// apklCols are the docx column widths of the screening table (twips).
var apklCols = []int{500, 3171, 900, 900, 900, 900, 800, 1000}

// PDF.
func (d *pdfDoc) screening() {
	sc := d.m.APKL
	if sc == nil {
		return
	}
	d.heading(sc.Title)
	d.font(false, 9)
	d.para(pdfLeft, pdfWidth, 4.5, sc.Note)
	d.font(false, 10)
	rows := make([][]string, 0, len(sc.Rows))
	for _, r := range sc.Rows {
		rows = append(rows, []string{strconv.Itoa(r.No), oneLine(withMark(r.Text, r.Mark)), r.A, r.P, r.K, r.L, strconv.Itoa(r.Raters), r.Result})
	}
	d.table([]float64{9, 54, 15, 15, 15, 15, 14, 28}, sc.Head, rows, map[int]bool{0: true, 6: true}, 0)
}

// priorityNote is said under the priorities' heading when APKL gated USG.
func (m *Model) priorityNote() string {
	if m.APKL == nil {
		return ""
	}
	return m.APKL.PriorityNote
}

// apklCSV are the columns the csv gains when the session used APKL.
var apklCSV = []string{"apkl_a", "apkl_p", "apkl_k", "apkl_l", "apkl_raters", "apkl_passed"}

// apklCells are a note's APKL figures for the csv (blank when unrated), with
// the language's decimal mark.
func apklCells(l *Labels, sc *Screening, id string) []string {
	out := make([]string, len(apklCSV))
	for _, r := range sc.Rows {
		if r.ID == id && r.Raters > 0 {
			return []string{l.num(r.R.A), l.num(r.R.P), l.num(r.R.K), l.num(r.R.L), strconv.Itoa(r.Raters), strconv.FormatBool(r.R.Passed)}
		}
	}
	return out
}

// apklJSON is the json format's "apkl": the settings and every row's figures.
type apklJSON struct {
	Settings board.APKLSettings `json:"settings"`
	Items    []apklJSONRow      `json:"items"`
}

type apklJSONRow struct {
	ID     string  `json:"id"`
	Text   string  `json:"text"`
	A      float64 `json:"a"`
	P      float64 `json:"p"`
	K      float64 `json:"k"`
	L      float64 `json:"l"`
	Total  float64 `json:"total"`
	Raters int     `json:"raters"`
	Passed bool    `json:"passed"`
}

func (m *Model) apklJSON() *apklJSON {
	if m.APKL == nil {
		return nil
	}
	out := &apklJSON{Settings: m.Board.Session.Settings.APKL, Items: []apklJSONRow{}}
	for _, r := range m.APKL.Rows {
		out.Items = append(out.Items, apklJSONRow{ID: r.ID, Text: strings.TrimSpace(r.Text), A: r.R.A, P: r.R.P, K: r.R.K, L: r.R.L,
			Total: r.R.Total, Raters: r.Raters, Passed: r.R.Passed})
	}
	return out
}
