package minutes

import (
	"strconv"
	"strings"
)

// renderMarkdown writes the minutes as CommonMark/GFM: the contract's
// headings as #/## lines, tables as pipe tables. One method per section,
// in the order of the contract, as pdf.go does.
func renderMarkdown(m *Model) ([]byte, error) {
	d := &mdDoc{m: m}
	d.head()
	d.discussion()
	d.screening()
	d.priorities()
	d.figures()
	d.innovations()
	d.units()
	d.conclusions()
	d.actions()
	d.signatures()
	d.attendance()
	d.photos()
	return []byte(d.String()), nil
}

// mdDoc is one Markdown rendering of a model.
type mdDoc struct {
	mdWriter
	m *Model
}

func (d *mdDoc) head() {
	m := d.m
	d.printf("# ", m.L.Minutes, "\n\n")
	d.printf("**", md(oneLine(m.Title)), "**\n\n")
	if m.Unit != "" {
		d.printf("_", md(oneLine(m.Unit)), "_\n\n")
	}
	for _, f := range m.HeadFields() {
		d.section(f.Label)
		d.printf(mdLines(f.Value, ""), "\n\n")
	}
}

func (d *mdDoc) discussion() {
	m, l := d.m, d.m.L
	d.section(l.Discussion)
	if m.AnonymousNote != "" {
		d.printf("_", md(m.AnonymousNote), "_\n\n")
	}
	for _, c := range m.Discussion {
		d.printf("### ", md(oneLine(c.Title)), "\n\n")
		if c.Empty() {
			d.printf("_", md(l.NoNotes), "_\n\n")
			continue
		}
		for _, g := range c.Groups {
			d.printf("- **", md(oneLine(g.Text)), "**", mdStats(g.Stats), "\n")
			for _, n := range g.Notes {
				d.printf("  - ", mdItem(n, "    "), "\n")
			}
		}
		for _, n := range c.Notes {
			d.printf("- ", mdItem(n, "  "), "\n")
		}
		d.printf("\n")
	}
}

func (d *mdDoc) priorities() {
	m := d.m
	d.section(m.L.Priorities)
	if n := m.priorityNote(); n != "" {
		d.printf(md(n), "\n\n")
	}
	d.table(m.PriorityHead(), ":-::::::")
	for _, p := range m.Priorities {
		d.row(strconv.Itoa(p.No), md(oneLine(withMark(p.Text, p.Mark))), p.U, p.S, p.G, p.Total,
			strconv.Itoa(p.Raters), strconv.Itoa(p.Votes))
	}
	d.endTable()
}

func (d *mdDoc) innovations() {
	m, l := d.m, d.m.L
	d.section(l.Innovations)
	for _, in := range m.Innovations {
		d.printf("- ", mdItem(in.Item, "  "), "\n")
		if len(in.Answers) > 0 {
			d.printf("  - ", md(l.Answers), ": ", md(oneLine(strings.Join(in.Answers, "; "))), "\n")
		}
	}
	d.none(len(m.Innovations), l)
}

func (d *mdDoc) units() {
	m, l := d.m, d.m.L
	d.section(l.UnitMap)
	for i, u := range m.Units {
		if i > 0 {
			d.printf("\n")
		}
		d.printf("### ", md(oneLine(u.Unit)), "\n\n")
		for _, it := range u.Problems {
			d.printf("- ", mdItem(it, "  "), "\n")
		}
	}
	d.none(len(m.Units), l)
}

func (d *mdDoc) conclusions() {
	m, l := d.m, d.m.L
	d.section(l.Conclusions)
	for _, c := range m.Conclusions {
		d.printf("- **", md(oneLine(c.Target)), ":** ", mdLines(c.Text, "  "), "\n")
	}
	d.none(len(m.Conclusions), l)
}

func (d *mdDoc) actions() {
	m := d.m
	d.section(m.L.Actions)
	d.table(m.ActionHead(), ":----")
	for _, a := range m.Actions {
		act := oneLine(a.Text)
		if a.Target != "" {
			act += " (" + oneLine(a.Target) + ")"
		}
		d.row(strconv.Itoa(a.No), md(act), md(oneLine(a.Owner)), md(a.Due), md(a.Status))
	}
	d.endTable()
	d.printf(md(m.Closing), "\n\n")
}

// signatures writes the place-and-date line, the "Mengetahui" block when
// the session names an official, then one block per signer.
func (d *mdDoc) signatures() {
	m := d.m
	d.printf(md(m.PlaceDate), "\n\n")
	if a := m.Acknowledged; a != nil {
		d.printf(md(m.L.AcknowledgedBy), ",\\\n", md(oneLine(a.Title)), ",\\\n\\\n\\\n\\\n", mdSigner(a.Name), "\\\n", md(a.NIP), "\n\n")
	}
	for _, s := range m.Signatures {
		d.printf(md(s.Role), ",\\\n\\\n\\\n\\\n", mdSigner(s.Name), "\\\n", md(m.L.NIP), "\n\n")
	}
}

// mdSigner is a signer's name in bold, or a dotted line to fill in.
func mdSigner(name string) string {
	if name == "" {
		return "(" + strings.Repeat(".", 30) + ")"
	}
	return "**" + md(oneLine(name)) + "**"
}

// attendance writes the attendance list, an attachment: in Markdown a rule
// stands in for the page break.
func (d *mdDoc) attendance() {
	m := d.m
	d.printf("---\n\n")
	d.section(m.L.Attendance)
	d.printf("**", md(oneLine(m.Title)), "** — ", md(m.Date), "\n\n")
	d.table(m.AttendanceHead(), ":-------")
	for _, a := range m.Attendance {
		d.row(strconv.Itoa(a.No), md(oneLine(a.Name)), md(a.NIP), md(oneLine(a.Jabatan)), md(oneLine(a.Unit)), md(a.RoleLabel), md(a.Time), signedMark(a, m.L))
	}
	d.endTable()
}

type mdWriter struct{ strings.Builder }

func (w *mdWriter) printf(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
}

func (w *mdWriter) section(h string) { w.printf("## ", md(h), "\n\n") }

func (w *mdWriter) none(n int, l *Labels) {
	if n == 0 {
		w.printf(md(l.None), "\n")
	}
	w.printf("\n")
}

// table writes the header row; align has one byte per column, ':' for
// right-aligned numbers.
func (w *mdWriter) table(head []string, align string) {
	w.row(head...)
	w.WriteString("|")
	for i := range head {
		if align[i] == ':' {
			w.WriteString(" ---: |")
		} else {
			w.WriteString(" --- |")
		}
	}
	w.WriteString("\n")
}

func (w *mdWriter) row(cells ...string) {
	w.WriteString("|")
	for _, c := range cells {
		w.printf(" ", c, " |")
	}
	w.WriteString("\n")
}

func (w *mdWriter) endTable() { w.WriteString("\n") }

// mdItem writes a note or group: text, unrevealed mark, author, stats.
func mdItem(it Item, indent string) string {
	s := mdLines(it.Text, indent)
	if it.Mark != "" {
		s += " _" + md(it.Mark) + "_"
	}
	if it.Author != "" {
		s += " — " + md(oneLine(it.Author))
	}
	return s + mdStats(it.Stats)
}

func mdStats(stats string) string {
	if stats == "" {
		return ""
	}
	return " · " + md(stats)
}

// mdLines escapes multi-line text and keeps its breaks as hard line
// breaks, indented to stay inside the list item it belongs to.
func mdLines(s, indent string) string {
	ls := lines(strings.TrimSpace(s))
	for i, ln := range ls {
		ls[i] = mdLineStart(md(strings.TrimSpace(ln)))
	}
	return strings.Join(ls, "\\\n"+indent)
}

// mdEscaper makes user text inert: HTML and autolinks become entities, and
// every character Markdown gives meaning inside a line is backslashed.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`, "#", `\#`,
)

func md(s string) string { return mdEscaper.Replace(s) }

// mdLineStart escapes what only means something at the start of a line
// (list markers, setext underlines, ordered-list numbers), since a
// continuation line of user text starts one. "09.00" or "e-KTP" stay as
// they are: a marker needs a space (or the end of the line) after it.
func mdLineStart(s string) string {
	if s == "" {
		return s
	}
	marker := func(i int) bool { return i >= len(s) || s[i] == ' ' }
	if strings.Trim(s, "=") == "" || strings.Trim(s, "-") == "" {
		return `\` + s
	}
	if (s[0] == '-' || s[0] == '+') && marker(1) {
		return `\` + s
	}
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') && marker(i+1) {
		return s[:i] + `\` + s[i:]
	}
	return s
}
