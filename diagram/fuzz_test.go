package diagram

import (
	"fmt"
	"testing"
)

// fuzzInput turns bytes into a board: up to 40 notes with texts cut from
// the bytes themselves, links between them of every kind (unknown IDs,
// self-links and cycles included), categories from a small set, and
// options with small caps so that overflow is reached often.
func fuzzInput(data []byte, text string) (Input, Options) {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	cats := []string{"", "Manusia", "Metode", "Material", "Mesin", "Pengukuran", "Lingkungan", "Manajemen Perubahan", "Penataan Sistem Manajemen SDM Aparatur"}
	kinds := []Kind{KindProblem, KindCause, KindEffect, KindInnovation, KindOther, ""}
	linkKinds := []LinkKind{LinkCause, LinkCause, LinkCause, LinkEffect, LinkAnswers, "x"}
	in := Input{Root: "n0"}
	notes := next() % 40
	for i := range notes {
		a := next()
		n := next()
		lo := min(a*len(text)/256, len(text))
		hi := min(lo+n, len(text))
		in.Notes = append(in.Notes, Note{ID: fmt.Sprintf("n%d", i), Text: text[lo:hi],
			Kind: kinds[next()%len(kinds)], Category: cats[next()%len(cats)]})
	}
	for range next() % 120 {
		in.Links = append(in.Links, Link{From: fmt.Sprintf("n%d", next()%(notes+2)),
			To: fmt.Sprintf("n%d", next()%(notes+2)), Kind: linkKinds[next()%len(linkKinds)]})
	}
	for range next() % 4 {
		in.Categories = append(in.Categories, cats[next()%len(cats)])
	}
	o := Options{FontSize: float64(8 + next()%20), BoxWidth: float64(next() * 2),
		MaxLines: next() % 6, MaxPerBone: next() % 10, MaxChildren: next() % 5, MaxEffects: next() % 5,
		MaxDepth: next() % 5, MaxBones: next() % 14}
	return in, o
}

// FuzzLayout checks the invariants of both views, and that their SVG is
// well-formed, for any board: `go test ./diagram -fuzz FuzzLayout`.
func FuzzLayout(f *testing.F) {
	f.Add([]byte{10, 0, 20, 1, 1, 0, 30, 1, 2, 0, 5, 0, 1, 0}, "Petugas loket kurang dan sering berganti")
	f.Add([]byte{30, 7, 200, 3, 4, 90, 100, 2, 3, 255, 12, 1, 2, 0, 2, 3, 0, 3, 1, 0}, "<a&b> \u202E🙂 \x00 panjangsekalitanpaspasi")
	f.Add([]byte("\x28\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14"), "x y z")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		in, o := fuzzInput(data, text)
		for view, lay := range views {
			l := lay(in, o)
			for _, e := range checkInvariants(l) {
				t.Errorf("%s: %s", view, e)
			}
			parseSVG(t, SVG(l, SVGOptions{}))
		}
	})
}
