package minutes

import (
	"bytes"
	"embed"
	"html/template"

	"rembuk/board"
	"rembuk/diagram"
)

//go:embed templates/minutes.html
var htmlFS embed.FS

// htmlTmpl is parsed once. html/template escapes every value by context,
// so a note reading <script>…</script> arrives as text, never as markup;
// the page carries no script at all and needs no external asset.
var htmlTmpl = template.Must(template.New("minutes.html").Funcs(template.FuncMap{
	"lines": lines,
	// svg draws a figure's layout; diagram.SVG escapes every text it
	// writes, so its output is trusted markup.
	"svg": func(l diagram.Layout, id, title string) template.HTML {
		return template.HTML(diagram.SVG(l, diagram.SVGOptions{Title: title, IDPrefix: id})) // #nosec G203 -- escaped by diagram.SVG
	},
	"sigW":     func() int { return board.SignatureWidth },
	"sigH":     func() int { return board.SignatureHeight },
	"photoURI": photoURI,
}).ParseFS(htmlFS, "templates/minutes.html"))

func renderHTML(m *Model) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(4096 + 400*len(m.Attendance))
	if err := htmlTmpl.Execute(&buf, m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
