package minutes

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// render renders m or fails the test. With REMBUK_MINUTES_OUT set, it also
// keeps a copy there, for looking at the documents by eye.
func render(tb testing.TB, m Model, format string) []byte {
	tb.Helper()
	body, ctype, ext, err := Render(m, format)
	if err != nil {
		tb.Fatalf("Render(%s): %v", format, err)
	}
	if ctype == "" || ext != format {
		tb.Fatalf("Render(%s): content type %q, ext %q", format, ctype, ext)
	}
	if dir := os.Getenv("REMBUK_MINUTES_OUT"); dir != "" {
		name := strings.ReplaceAll(tb.Name(), "/", "_") + "." + ext
		_ = os.WriteFile(filepath.Join(dir, name), body, 0o644)
	}
	return body
}

// unzipDOCX opens a docx, checks every XML part is well-formed and
// returns the parts by name.
func unzipDOCX(tb testing.TB, body []byte) map[string][]byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		tb.Fatalf("docx is not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		parts[f.Name] = b
		if strings.HasPrefix(f.Name, "word/media/") {
			continue // pictures (figures, photos), checked by their own tests
		}
		if !bytes.HasPrefix(b, []byte("<?xml ")) {
			tb.Errorf("%s does not start with an XML declaration", f.Name)
		}
		if err := wellFormed(b); err != nil {
			tb.Errorf("%s is not well-formed XML: %v", f.Name, err)
		}
		parts[f.Name] = b
	}
	return parts
}

func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// docxDoc is document.xml read back: its paragraphs' text in order, and
// its tables as rows of cell texts.
type docxDoc struct {
	Paragraphs []string
	Tables     [][][]string
}

func (d docxDoc) Text() string { return strings.Join(d.Paragraphs, "\n") }

// readDocument walks document.xml with encoding/xml the way a reader of
// the file would: w:t is text, w:br and w:tab are white space.
func readDocument(tb testing.TB, b []byte) docxDoc {
	tb.Helper()
	var doc docxDoc
	var para strings.Builder
	inText := false
	var cell *strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return doc
		}
		if err != nil {
			tb.Fatalf("document.xml: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tbl":
				doc.Tables = append(doc.Tables, nil)
			case "tr":
				tbl := &doc.Tables[len(doc.Tables)-1]
				*tbl = append(*tbl, nil)
			case "tc":
				cell = &strings.Builder{}
			case "t":
				inText = true
			case "br", "tab":
				para.WriteString(" ")
				if cell != nil {
					cell.WriteString(" ")
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				doc.Paragraphs = append(doc.Paragraphs, para.String())
				para.Reset()
			case "tc":
				tbl := doc.Tables[len(doc.Tables)-1]
				row := &tbl[len(tbl)-1]
				*row = append(*row, strings.TrimSpace(cell.String()))
				cell = nil
			}
		case xml.CharData:
			if inText {
				para.Write(t)
				if cell != nil {
					cell.Write(t)
				}
			}
		}
	}
}

// requireTool finds a binary, or skips the test — unless
// REMBUK_REQUIRE_TOOLS=1, where a missing tool fails it.
func requireTool(tb testing.TB, names ...string) string {
	tb.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("REMBUK_REQUIRE_TOOLS") == "1" {
		tb.Fatalf("%s not on PATH and REMBUK_REQUIRE_TOOLS=1", strings.Join(names, " or "))
	}
	tb.Skipf("%s not on PATH", strings.Join(names, " or "))
	return ""
}

// pdfToText extracts a PDF's text with poppler's pdftotext; pages are
// separated by form feeds.
func pdfToText(tb testing.TB, body []byte) string {
	tb.Helper()
	bin := requireTool(tb, "pdftotext")
	dir := tb.TempDir()
	in := filepath.Join(dir, "m.pdf")
	if err := os.WriteFile(in, body, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", "-layout", in, "-").CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// between returns s from the first from to the first to after it.
func between(tb testing.TB, s, from, to string) string {
	tb.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		tb.Fatalf("%q not found", from)
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		tb.Fatalf("%q not found after %q", to, from)
	}
	return s[i : i+j]
}
