package minutes

import (
	"strconv"
	"strings"
)

// renderMarkdown writes the minutes as CommonMark/GFM: the contract's
// headings as #/## lines, tables as pipe tables.
func renderMarkdown(m *Model) ([]byte, error) {
	l := m.L
	w := &mdWriter{}
	w.printf("# ", l.Minutes, "\n\n")
	w.printf("**", md(oneLine(m.Title)), "**\n\n")
	if m.Unit != "" {
		w.printf("_", md(oneLine(m.Unit)), "_\n\n")
	}
	for _, f := range m.HeadFields() {
		w.section(f.Label)
		w.printf(mdLines(f.Value, ""), "\n\n")
	}

	w.section(l.Discussion)
	if m.AnonymousNote != "" {
		w.printf("_", md(m.AnonymousNote), "_\n\n")
	}
	for _, c := range m.Discussion {
		w.printf("### ", md(oneLine(c.Title)), "\n\n")
		if c.Empty() {
			w.printf("_", md(l.NoNotes), "_\n\n")
			continue
		}
		for _, g := range c.Groups {
			w.printf("- **", md(oneLine(g.Text)), "**", mdStats(g.Stats), "\n")
			for _, n := range g.Notes {
				w.printf("  - ", mdItem(n, "    "), "\n")
			}
		}
		for _, n := range c.Notes {
			w.printf("- ", mdItem(n, "  "), "\n")
		}
		w.printf("\n")
	}

	w.section(l.Priorities)
	w.table(m.PriorityHead(), ":-::::::")
	for _, p := range m.Priorities {
		w.row(strconv.Itoa(p.No), md(oneLine(withMark(p.Text, p.Mark))), p.U, p.S, p.G, p.Total,
			strconv.Itoa(p.Raters), strconv.Itoa(p.Votes))
	}
	w.endTable()

	w.section(l.Innovations)
	for _, in := range m.Innovations {
		w.printf("- ", mdItem(in.Item, "  "), "\n")
		if len(in.Answers) > 0 {
			w.printf("  - ", md(l.Answers), ": ", md(oneLine(strings.Join(in.Answers, "; "))), "\n")
		}
	}
	w.none(len(m.Innovations), l)

	w.section(l.Conclusions)
	for _, c := range m.Conclusions {
		w.printf("- **", md(oneLine(c.Target)), ":** ", mdLines(c.Text, "  "), "\n")
	}
	w.none(len(m.Conclusions), l)

	w.section(l.Actions)
	w.table(m.ActionHead(), ":----")
	for _, a := range m.Actions {
		act := oneLine(a.Text)
		if a.Target != "" {
			act += " (" + oneLine(a.Target) + ")"
		}
		w.row(strconv.Itoa(a.No), md(act), md(oneLine(a.Owner)), md(a.Due), md(a.Status))
	}
	w.endTable()
	w.printf(md(m.Closing), "\n\n")

	for _, s := range m.Signatures {
		name := "(" + strings.Repeat(".", 30) + ")"
		if s.Name != "" {
			name = "**" + md(oneLine(s.Name)) + "**"
		}
		w.printf(md(s.Role), ",\\\n\\\n\\\n\\\n", name, "\\\n", md(l.NIP), "\n\n")
	}

	// The attendance list is an attachment: in Markdown a rule stands in
	// for the page break.
	w.printf("---\n\n")
	w.section(l.Attendance)
	w.printf("**", md(oneLine(m.Title)), "** — ", md(m.Date), "\n\n")
	w.table(m.AttendanceHead(), ":-----")
	for _, a := range m.Attendance {
		w.row(strconv.Itoa(a.No), md(oneLine(a.Name)), md(oneLine(a.Unit)), md(a.RoleLabel), md(a.Time), " ")
	}
	w.endTable()
	return []byte(w.String()), nil
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
