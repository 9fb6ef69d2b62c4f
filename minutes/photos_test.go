package minutes

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
)

func testPhotos(t *testing.T, n int) []Photo {
	t.Helper()
	var out []Photo
	for i := 1; i <= n; i++ {
		img := image.NewRGBA(image.Rect(0, 0, 80, 60))
		for x := 0; x < 80; x++ {
			img.Set(x, x%60, color.RGBA{uint8(40 * i), 90, 200, 255})
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, nil); err != nil {
			t.Fatal(err)
		}
		out = append(out, Photo{No: i, Caption: "Diskusi kelompok <" + string(rune('A'+i-1)) + ">", Width: 80, Height: 60, JPEG: b.Bytes()})
	}
	return out
}

// The Dokumentasi appendix appears in every format when there are photos:
// images in HTML and PDF, a list in Markdown, rows in CSV, entries in JSON.
func TestPhotosAppendix(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		m := fixtureModel(t, lang)
		m.Photos = testPhotos(t, 3)
		head := map[string]string{"id": "Dokumentasi", "en": "Documentation"}[lang]
		word := map[string]string{"id": "Foto", "en": "Photo"}[lang]

		h := string(render(t, m, "html"))
		if !strings.Contains(h, "<h2>"+head+"</h2>") || strings.Count(h, `src="data:image/jpeg;base64,`) != 3 {
			t.Errorf("%s html: no appendix with 3 data: images", lang)
		}
		if !strings.Contains(h, strings.ReplaceAll(base64.StdEncoding.EncodeToString(m.Photos[1].JPEG), "+", "&#43;")) || !strings.Contains(h, word+" 2 — Diskusi kelompok &lt;B&gt;") {
			t.Errorf("%s html: photo 2 or its escaped caption missing", lang)
		}
		md := string(render(t, m, "md"))
		if !strings.Contains(md, "## "+head) || !strings.Contains(md, word+" 3") || !strings.Contains(md, "80 × 60 px") {
			t.Errorf("%s md: appendix missing:\n%s", lang, md[max(0, len(md)-400):])
		}
		if c := string(render(t, m, "csv")); strings.Count(c, head) != 3 {
			t.Errorf("%s csv: %d photo rows", lang, strings.Count(c, head))
		}
		if j := string(render(t, m, "json")); !strings.Contains(j, `"photos":[{"no":1,"caption":"Diskusi kelompok \u003cA\u003e","width":80,"height":60}`) {
			t.Errorf("%s json: photos missing", lang)
		}
		pdf := render(t, m, "pdf")
		if n := bytes.Count(pdf, []byte("/Subtype /Image")); n != 3 {
			t.Errorf("%s pdf: %d images, want 3", lang, n)
		}
		text := pdfToText(t, pdf)
		if !strings.Contains(text, head) || !strings.Contains(text, word+" 3") {
			t.Errorf("%s pdf text lacks the appendix", lang)
		}
	}
	// No photos: no appendix.
	m := fixtureModel(t, "id")
	if h := render(t, m, "html"); bytes.Contains(h, []byte("<h2>Dokumentasi")) {
		t.Error("appendix without photos")
	}
	if j := render(t, m, "json"); bytes.Contains(j, []byte(`"photos"`)) {
		t.Error("json photos without photos")
	}
}

// The DOCX holds each photo in word/media with its relationship, and
// LibreOffice (when installed) opens it and finds the appendix.
func TestPhotosDOCX(t *testing.T) {
	m := fixtureModel(t, "id")
	m.Photos = testPhotos(t, 2)
	body := render(t, m, "docx")
	parts := unzipDOCX(t, body)
	for i, name := range []string{"word/media/photo1.jpeg", "word/media/photo2.jpeg"} {
		if !bytes.Equal(parts[name], m.Photos[i].JPEG) {
			t.Errorf("%s missing or wrong", name)
		}
	}
	if !bytes.Contains(parts["word/_rels/document.xml.rels"], []byte(`Target="media/photo2.jpeg"`)) || !bytes.Contains(parts["[Content_Types].xml"], []byte(`Extension="jpeg"`)) {
		t.Error("relationships or content types lack the photos")
	}
	doc := readDocument(t, parts["word/document.xml"])
	if txt := doc.Text(); !strings.Contains(txt, "Dokumentasi") || !strings.Contains(txt, "Foto 2 — Diskusi kelompok <B>") {
		t.Errorf("docx text lacks the appendix")
	}
}
