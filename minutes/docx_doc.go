package minutes

import (
	"archive/zip"
	"bytes"
	"fmt"
	"time"
)

// docxShell is what the shared parts of a DOCX package (content types,
// styles, relationships, footer, properties) read, for documents other
// than the minutes: the evidence pack's letter and register report. Body
// is the document's own model, which its template (document) reads.
type docxShell struct {
	L                 *Labels // the language's tag and page label
	DocTitle, Subject string
	Made              time.Time
	Photos            []Photo   // none: the shared parts ask
	Pics              []docxPic // none
	Body              any
}

// writeDOCXDoc writes a WordprocessingML package whose document.xml is
// the template document and whose other parts are the minutes' own.
func writeDOCXDoc(document string, sh docxShell) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range docxParts {
		tmpl := p.tmpl
		switch p.name {
		case "word/document.xml":
			tmpl = document
		case "docProps/core.xml":
			tmpl = "doc_core.xml"
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: sh.Made})
		if err != nil {
			return nil, err
		}
		if err := docxTmpl.ExecuteTemplate(w, tmpl, sh); err != nil {
			return nil, fmt.Errorf("minutes: docx %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// letterField is a labelled line of the letter, indented by Indent twips.
type letterField struct {
	Field
	Indent int
}

func letterDOCX(lt *Letter) ([]byte, error) {
	return writeDOCXDoc("letter.xml", docxShell{L: labels[lt.Lang], DocTitle: lt.L.Invitation + " — " + lt.Title,
		Subject: lt.Date, Made: lt.Made, Body: lt})
}
