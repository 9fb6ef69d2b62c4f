package minutes

import (
	"fmt"

	"rembuk/diagram"
)

// docxData is what the DOCX templates see: the Model and its figures as
// pictures.
type docxData struct {
	*Model
	Pics []docxPic
}

// docxPic is one figure drawn as a PNG (figurePNG) and placed inline,
// scaled to the text width (never larger than 0.3 mm per layout px, as in
// the PDF, and never taller than the page).
type docxPic struct {
	ID            int
	RelID, Target string
	Name, Caption string
	CX, CY        int // EMU
	png           []byte
}

// emuPerTwip converts twentieths of a point to EMU; emuPerMM millimetres.
const (
	emuPerTwip = 635
	emuPerMM   = 36000
	docxMaxH   = 220 * emuPerMM // A4 less the margins and a caption
)

func docxFigures(m *Model) (docxData, error) {
	d := docxData{Model: m}
	if len(m.Figures) == 0 {
		return d, nil
	}
	ff, err := parseFigureFonts()
	if err != nil {
		return d, fmt.Errorf("minutes: docx fonts: %w", err)
	}
	for i, f := range m.Figures {
		for j, v := range []struct {
			name, cap string
			l         diagram.Layout
		}{{"fishbone", m.L.FishboneCap, f.Fishbone}, {"tree", m.L.TreeCap, f.Tree}} {
			body, err := figurePNG(v.l, ff)
			if err != nil {
				return d, fmt.Errorf("minutes: docx figure: %w", err)
			}
			cx := min(textWidth*emuPerTwip, int(v.l.Width*0.3*emuPerMM))
			cy := int(float64(cx) * v.l.Height / max(v.l.Width, 1))
			if cy > docxMaxH {
				cx, cy = int(float64(cx)*docxMaxH/float64(cy)), docxMaxH
			}
			n := len(d.Pics) + 1
			d.Pics = append(d.Pics, docxPic{ID: 100 + n, RelID: fmt.Sprintf("rIdFig%d", n),
				Target: fmt.Sprintf("media/figure-%d-%s.png", i+1, v.name), Name: fmt.Sprintf("figure-%d-%d", i+1, j+1),
				Caption: fmt.Sprintf(v.cap, f.Problem), CX: cx, CY: cy, png: body})
		}
	}
	return d, nil
}
