package diagram

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// svgElement is the parsed shape of an SVG document: enough to check
// its accessibility and its text.
type svgElement struct {
	XMLName xml.Name
	Attrs   []xml.Attr   `xml:",any,attr"`
	Text    string       `xml:",chardata"`
	Kids    []svgElement `xml:",any"`
}

func (e svgElement) attr(name string) string {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func parseSVG(tb testing.TB, b []byte) svgElement {
	tb.Helper()
	var root svgElement
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		tb.Fatalf("not well-formed XML: %v\n%s", err, b)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if cd, ok := tok.(xml.CharData); err != nil || !ok || len(bytes.TrimSpace(cd)) != 0 {
			tb.Fatalf("content after the root element: %v %v", tok, err)
		}
	}
	return root
}

func TestSVGAccessible(t *testing.T) {
	l := Fishbone(hostileFixture(), Options{})
	b := SVG(l, SVGOptions{IDPrefix: `fig"1`, Desc: "Sebab & akibat"})
	root := parseSVG(t, b)
	if root.XMLName.Local != "svg" || root.attr("role") != "img" || root.attr("viewBox") == "" {
		t.Errorf("root <%s role=%q viewBox=%q>", root.XMLName.Local, root.attr("role"), root.attr("viewBox"))
	}
	var title, desc string
	var groups []svgElement
	for _, k := range root.Kids {
		switch k.XMLName.Local {
		case "title":
			title = k.Text
			if root.attr("aria-labelledby") != k.attr("id")+" "+`fig"1-desc` {
				t.Errorf("aria-labelledby %q, title id %q", root.attr("aria-labelledby"), k.attr("id"))
			}
		case "desc":
			desc = k.Text
		case "g":
			if k.attr("data-id") != "" {
				groups = append(groups, k)
			}
		}
	}
	if want := `Diagram tulang ikan: <script>alert("x")</script> & 'kutip' "ganda"`; title != want {
		t.Errorf("title %q, want %q", title, want)
	}
	if desc != "Sebab & akibat" {
		t.Errorf("desc %q", desc)
	}
	if len(groups) != len(l.Nodes) {
		t.Fatalf("%d node groups, want %d", len(groups), len(l.Nodes))
	}
	for i, g := range groups {
		n := l.Nodes[i]
		if g.attr("data-id") != n.ID || len(g.Kids) == 0 || g.Kids[0].XMLName.Local != "title" || g.Kids[0].Text != n.Text {
			t.Errorf("node %q: group %+v", n.ID, g)
		}
		var lines []string
		for _, k := range g.Kids {
			if k.XMLName.Local == "text" {
				lines = append(lines, k.Text)
			}
		}
		if strings.Join(lines, "\n") != strings.Join(n.Lines, "\n") {
			t.Errorf("node %q draws %q, want %q", n.ID, lines, n.Lines)
		}
	}
	s := string(b)
	for _, bad := range []string{"<script", "\u202E", "\u202C", "\x00", "\x07", "\uFFFF", `c"1`} {
		if strings.Contains(s, bad) {
			t.Errorf("SVG carries %q raw", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;", "🙂🚀", "&#34;", "&amp;"} {
		if !strings.Contains(s, good) {
			t.Errorf("SVG lacks %q", good)
		}
	}
}

// TestSVGEveryFixture: every golden fixture is well-formed with one
// group per node and per label.
func TestSVGEveryFixture(t *testing.T) {
	for name, in := range fixtures() {
		for view, lay := range views {
			l := lay(in, Options{})
			root := parseSVG(t, SVG(l, SVGOptions{}))
			groups := 0
			for _, k := range root.Kids {
				if k.XMLName.Local == "g" {
					groups++
				}
			}
			if groups != len(l.Nodes)+len(l.Labels) {
				t.Errorf("%s/%s: %d groups, want %d", name, view, groups, len(l.Nodes)+len(l.Labels))
			}
		}
	}
}
