package diagram

import (
	"fmt"
	"testing"
)

// fullFixture: a busy fishbone at the default caps — six bones of six
// causes, each with two causes of its own.
func fullFixture() Input {
	in := Input{Root: "p", Categories: fishboneCategories,
		Notes: []Note{{ID: "p", Kind: KindProblem, Text: "Antrian layanan perizinan panjang dan waktu tunggu tidak pasti"}}}
	for b, cat := range fishboneCategories {
		for c := range 6 {
			id := fmt.Sprintf("c%d.%d", b, c)
			in.Notes = append(in.Notes, Note{ID: id, Kind: KindCause, Category: cat, Text: "Sebab yang ditulis peserta dengan kalimat sedang panjangnya"})
			in.Links = append(in.Links, Link{From: id, To: "p", Kind: LinkCause})
			for s := range 2 {
				sid := fmt.Sprintf("%s.%d", id, s)
				in.Notes = append(in.Notes, Note{ID: sid, Kind: KindCause, Text: "Sebab dari sebab itu"})
				in.Links = append(in.Links, Link{From: sid, To: id, Kind: LinkCause})
			}
		}
	}
	return in
}

// BenchmarkLayout: `go test ./diagram -run '^$' -bench Layout -benchmem`.
func BenchmarkLayout(b *testing.B) {
	in := fullFixture()
	for view, lay := range views {
		b.Run(view, func(b *testing.B) {
			for b.Loop() {
				_ = SVG(lay(in, Options{}), SVGOptions{})
			}
		})
	}
}
