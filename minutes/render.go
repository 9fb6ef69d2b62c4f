package minutes

import (
	"errors"
	"strings"
)

// ErrFormat is returned by Render for a format it does not know; the HTTP
// handler answers it with 400 invalid.
var ErrFormat = errors.New("minutes: unknown format")

// Formats lists the formats Render knows, in the contract's order.
var Formats = []string{"md", "html", "docx", "pdf", "csv", "json"}

type renderer struct {
	contentType string
	render      func(m *Model) ([]byte, error)
}

// renderers maps each format to its content type and its writer.
var renderers = map[string]renderer{
	"md":   {"text/markdown; charset=utf-8", renderMarkdown},
	"html": {"text/html; charset=utf-8", renderHTML},
	"docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", renderDOCX},
	"pdf":  {"application/pdf", renderPDF},
	"csv":  {"text/csv; charset=utf-8", renderCSV},
	"json": {"application/json", renderJSON},
}

// Render writes m in format (md, html, docx, pdf, csv or json). ext is the
// file extension without a dot, which is the format's own name.
func Render(m Model, format string) (body []byte, contentType string, ext string, err error) {
	r, ok := renderers[format]
	if !ok {
		return nil, "", "", ErrFormat
	}
	body, err = r.render(&m)
	if err != nil {
		return nil, "", "", err
	}
	return body, r.contentType, format, nil
}

// Filename names the downloaded file in its language:
// notulen-<slug of title>-<yyyy-mm-dd>-id.<ext> or minutes-…-en.<ext>, so
// the Indonesian and English minutes of one meeting, saved side by side,
// neither overwrite each other nor need opening to be told apart. It is
// plain ASCII so it needs no encoding in Content-Disposition.
func Filename(m Model, ext string) string {
	ext = strings.TrimPrefix(ext, ".")
	lang := Lang(m.Lang)
	name := labels[lang].File
	if s := slug(m.Title); s != "" {
		name += "-" + s
	}
	if m.Day != "" {
		name += "-" + m.Day
	}
	return name + "-" + lang + "." + ext
}

// slug keeps ASCII letters and digits, folds common Latin accents, and
// joins the words with single dashes, at most 60 characters.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if f, ok := fold[r]; ok {
			r = f
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= 60 {
				break
			}
			continue
		}
		dash = true
	}
	return b.String()
}

// fold maps accented Latin letters seen in Indonesian names to ASCII.
var fold = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a', 'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y', 'ş': 's', 'ğ': 'g',
}

// lines splits user text on line breaks, dropping carriage returns, so
// every format can keep the writer's line breaks its own way.
func lines(s string) []string {
	return strings.Split(strings.ReplaceAll(s, "\r", ""), "\n")
}

// oneLine folds user text onto one line, for table cells and headings.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// withMark appends an unrevealed note's mark to its text.
func withMark(text, mark string) string {
	if mark == "" {
		return text
	}
	return text + " " + mark
}
