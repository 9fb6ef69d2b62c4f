package minutes

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"rembuk/board"
)

// csvHeader is the contract's header row.
var csvHeader = []string{"column", "group", "text", "author", "votes", "u", "s", "g", "total", "unit"}

// renderCSV writes one row per note, in discussion order, with a UTF-8 BOM
// so spreadsheet programs read the Indonesian names right. Groups are not
// rows (the contract counts notes); a note's group is its second cell.
// Scores are blank for a note nobody rated: unrated is not zero.
func renderCSV(m *Model) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	if err := w.Write(csvHeader); err != nil {
		return nil, err
	}
	row := make([]string, len(csvHeader))
	var err error
	walkItems(m.Discussion, func(c *Column, g *Group, it *Item, isGroup bool) {
		if err != nil || isGroup {
			return
		}
		row[0], row[1], row[2], row[3] = cell(c.Title), "", cell(it.Text), cell(it.Author)
		if g != nil {
			row[1] = cell(g.Text)
		}
		row[4] = strconv.Itoa(it.Votes)
		row[5], row[6], row[7], row[8] = "", "", "", ""
		if it.USG.Raters > 0 {
			row[5], row[6], row[7], row[8] = num(it.USG.U), num(it.USG.S), num(it.USG.G), num(it.USG.Total)
		}
		row[9] = cell(it.Unit)
		err = w.Write(row)
	})
	if err != nil {
		return nil, err
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
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// attendee is the contract's attendance entry.
type attendee struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Unit     string     `json:"unit"`
	Role     board.Role `json:"role"`
	JoinedAt time.Time  `json:"joinedAt"`
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
	}{Board: m.Board, Attendance: make([]attendee, 0, len(m.Attendance)), UnitMap: make([]unitProblems, 0, len(m.Units))}
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
	for _, a := range m.Attendance {
		out.Attendance = append(out.Attendance, attendee{a.ID, a.Name, a.Unit, a.Role, a.JoinedAt.UTC()})
	}
	return json.Marshal(out)
}
