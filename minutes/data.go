package minutes

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"rembuk/board"
)

// renderCSV writes the discussion as a table, in discussion order, for a
// spreadsheet program set up for the minutes' language: lang=id has
// Indonesian headers, ";" between cells and a decimal comma (what Excel
// with Indonesian regional settings opens into columns and numbers);
// lang=en has the contract's header names, "," and a decimal point. A
// UTF-8 BOM makes those programs read the Indonesian names right.
//
// One row per note; before a group's notes, one row for the group itself
// (the group cell holds its title, the text cell is empty), since votes
// and USG scores given to a group are the group's, not its notes'. The
// last column says which a row is, so a filter or a pivot can keep one
// kind; then the author's unit, where the unit rule lets the reader see it.
// Scores are blank for a note or group nobody rated: unrated is not
// zero.
func renderCSV(m *Model) ([]byte, error) {
	l := m.L
	if m.PlainCSV {
		l = labels["en"] // the contract's names, commas and decimal points
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma = l.CSVComma
	head := l.CSVHead[:]
	if m.APKL != nil {
		head = append(append([]string{}, head...), apklCSV...)
	}
	if err := w.Write(head); err != nil {
		return nil, err
	}
	row := make([]string, len(head))
	var err error
	walkItems(m.Discussion, func(c *Column, g *Group, it *Item, isGroup bool) {
		if err != nil {
			return
		}
		row[0], row[1], row[2], row[3], row[9] = cell(c.Title), "", cell(it.Text), cell(it.Author), l.CSVNote
		if g != nil {
			row[1] = cell(g.Text)
		}
		if isGroup {
			if m.PlainCSV {
				return // the contract's csv has one row per note
			}
			row[2], row[3], row[9] = "", "", l.CSVGroup
		}
		row[4] = strconv.Itoa(it.Votes)
		row[5], row[6], row[7], row[8] = "", "", "", ""
		if it.USG.Raters > 0 {
			row[5], row[6], row[7], row[8] = l.num(it.USG.U), l.num(it.USG.S), l.num(it.USG.G), l.num(it.USG.Total)
		}
		if m.APKL != nil {
			copy(row[len(l.CSVHead):], apklCells(l, m.APKL, it.ID))
		}
		row[10] = cell(it.Unit)
		err = w.Write(row)
	})
	if err != nil {
		return nil, err
	}
	for _, p := range m.Photos {
		if err := w.Write(m.photoRow(p, len(row))); err != nil {
			return nil, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cell neutralises a text cell a spreadsheet program would run as a
// formula (or as DDE): one that begins with =, +, -, @, a tab or a carriage
// return gets a leading apostrophe, so the program shows the text instead
// (OWASP "CSV injection"). Every text cell goes through it, whoever wrote
// the text: column and group titles, note text, author names.
//
// The id file is split on ";" and the en file on ",", but a program set up
// for the other language splits on the other one (Excel takes the
// separator from the computer's regional settings), and there a cell can
// begin after a "," or ";" inside the text. So a formula start after
// either separator (and spaces or a quote) is neutralised too: "=" and "@"
// always, "+" and "-" when a letter follows — a function or a DDE call —
// which leaves "Rp 50.000,-" and "021, +62 812" as people write them.
func cell(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	if strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		b.WriteByte('\'')
	}
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i-1] != ',' && s[i-1] != ';' {
			continue
		}
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '"') {
			j++
		}
		if j < len(s) && formulaAfterSeparator(s[j:]) {
			b.WriteString(s[start:j])
			b.WriteByte('\'')
			start = j
		}
	}
	b.WriteString(s[start:])
	return b.String()
}

// formulaAfterSeparator reports whether s, the text after a separator,
// starts the way a formula does (see cell).
func formulaAfterSeparator(s string) bool {
	switch s[0] {
	case '=', '@':
		return true
	case '+', '-':
		return len(s) > 1 && unicode.IsLetter(rune(s[1]))
	}
	return false
}

// num writes a number for a spreadsheet: as many decimals as it has, with
// the language's decimal separator, so the program reads it as a number.
func (l *Labels) num(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", l.Decimal, 1)
}

// attendee is the contract's attendance entry.
type attendee struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Unit     string     `json:"unit"`
	Role     board.Role `json:"role"`
	JoinedAt time.Time  `json:"joinedAt"`
	NIP      string     `json:"nip,omitempty"`
	Jabatan  string     `json:"jabatan,omitempty"`
	Signed   bool       `json:"signed"`
}

// renderJSON writes {"board":BOARD,"attendance":[...]}: the snapshot board
// projected for the minutes' viewer, and everyone who joined.
func renderJSON(m *Model) ([]byte, error) {
	type unitProblems struct {
		Unit     *string  `json:"unit"` // null: not stated, or not to be learnt by this reader
		Problems []string `json:"problems"`
	}
	out := struct {
		Board      board.BoardView `json:"board"`
		Attendance []attendee      `json:"attendance"`
		// UnitMap is "Pemetaan per Unit": problem note ids by unit.
		UnitMap []unitProblems `json:"unitMap"`
		APKL    *apklJSON      `json:"apkl,omitempty"`
		Photos  []photoItem    `json:"photos,omitempty"`
	}{Board: m.Board, Attendance: make([]attendee, 0, len(m.Attendance)), UnitMap: make([]unitProblems, 0, len(m.Units)), APKL: m.apklJSON()}
	for _, u := range m.Units {
		e := unitProblems{Problems: make([]string, 0, len(u.Problems))}
		if len(u.Problems) > 0 && u.Problems[0].Unit != "" {
			name := u.Unit
			e.Unit = &name
		}
		for _, it := range u.Problems {
			e.Problems = append(e.Problems, it.ID)
		}
		out.UnitMap = append(out.UnitMap, e)
	}
	for _, p := range m.Photos {
		out.Photos = append(out.Photos, photoItem{p.No, p.Caption, p.Width, p.Height})
	}
	for _, a := range m.Attendance {
		out.Attendance = append(out.Attendance, attendee{a.ID, a.Name, a.Unit, a.Role, a.JoinedAt.UTC(),
			a.NIP, a.Jabatan, a.Signature != ""})
	}
	return json.Marshal(out)
}
