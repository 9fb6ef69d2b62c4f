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
var csvHeader = []string{"column", "group", "text", "author", "votes", "u", "s", "g", "total"}

// renderCSV writes one row per note, in discussion order, with a UTF-8 BOM
// so spreadsheet programs read the Indonesian names right. Groups are not
// rows (the contract counts notes); a note's group is its second cell.
// Scores are blank for a note nobody rated: unrated is not zero.
func renderCSV(m *Model) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	head := csvHeader
	if m.APKL != nil {
		head = append(append([]string{}, csvHeader...), apklCSV...)
	}
	if err := w.Write(head); err != nil {
		return nil, err
	}
	row := make([]string, len(head))
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
		if m.APKL != nil {
			copy(row[len(csvHeader):], apklCells(m.APKL, it.ID))
		}
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
	out := struct {
		Board      board.BoardView `json:"board"`
		Attendance []attendee      `json:"attendance"`
		APKL       *apklJSON       `json:"apkl,omitempty"`
	}{Board: m.Board, Attendance: make([]attendee, 0, len(m.Attendance)), APKL: m.apklJSON()}
	for _, a := range m.Attendance {
		out.Attendance = append(out.Attendance, attendee{a.ID, a.Name, a.Unit, a.Role, a.JoinedAt.UTC()})
	}
	return json.Marshal(out)
}
