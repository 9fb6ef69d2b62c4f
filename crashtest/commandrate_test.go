package crashtest

import (
	"fmt"
	"path/filepath"
	"testing"

	"rembuk/internal/testenv"
)

// -command-rate sets each participant's limit (bursts of twice that):
// with -command-rate 1 one person's six quick commands cannot all pass
// (at most the burst of 2 and what refills meanwhile), while the default
// (20/s, bursts of 40) lets the same six through.
func TestCommandRateFlag(t *testing.T) {
	for _, c := range []struct {
		args    []string
		refused bool
	}{{[]string{"-command-rate", "1"}, true}, {nil, false}} {
		db := filepath.Join(t.TempDir(), "rembuk.db")
		n := testenv.StartNode(t, testenv.NodeConfig{Args: append([]string{"-db", db}, c.args...)})
		seat := setupSessions(t, n.URL, 1, 1)[0][0]
		codes := map[int]int{}
		for i := 0; i < 6; i++ {
			st := httpJSON(t, "POST", n.URL+"/api/sessions/"+seat.Session+"/commands", seat.Token,
				map[string]any{"type": "note.add", "ref": fmt.Sprint("r", i), "columnId": seat.Column, "text": "Antrean panjang"}, nil)
			codes[st]++
		}
		if c.refused && (codes[429] == 0 || codes[200] > 5) {
			t.Errorf("%v: answers %v, want some 429 rate_limited", c.args, codes)
		}
		if !c.refused && codes[200] != 6 {
			t.Errorf("default limit: answers %v, want 6 × 200", codes)
		}
	}
}
