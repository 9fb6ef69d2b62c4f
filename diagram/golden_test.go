package diagram

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite widths.go and testdata/*.golden from the current output")

// TestGolden pins the SVG of every fixture in both views, and the layout
// JSON of two; run `go test ./diagram -run Golden -update` after an
// intended change, read the diff and look at the pictures, e.g.
// `chromium --headless --screenshot=/tmp/f.png --window-size=1000,400 f.svg`
// on a copy of a golden file renamed to .svg.
func TestGolden(t *testing.T) {
	for name, in := range fixtures() {
		for view, lay := range views {
			t.Run(name+"/"+view, func(t *testing.T) {
				got := SVG(lay(in, Options{}), SVGOptions{})
				golden(t, filepath.Join("testdata", name+"."+view+".svg.golden"), got)
			})
		}
	}
	// The layout JSON is the contract: pin one of each view.
	for _, view := range []string{"fishbone", "tree"} {
		in := fishboneFixture()
		if view == "tree" {
			in = treeFixture()
		}
		got, err := json.MarshalIndent(views[view](in, Options{}), "", " ")
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", view+".json.golden"), append(got, '\n'))
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("differs from %s (run with -update if intended): %s", path, firstDiff(got, want))
	}
}

// firstDiff shows the first line where got and want part.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %q\nwant: %q", i+1, gl, wl)
		}
	}
	return "same lines, different bytes"
}
