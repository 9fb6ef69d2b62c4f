package server

import (
	"fmt"
	"slices"
	"testing"
)

// groupOf runs the fanner on queues of frames (by name) for rids 1..n.
func groupOf(t *testing.T, frames map[string]frame, queues [][]string, maxRIDs int) []fanEntry {
	t.Helper()
	var g fanner
	for i, names := range queues {
		q := fanQueue{rc: &remoteClient{rid: uint64(i + 1)}, start: len(g.keys)}
		for _, n := range names {
			f, ok := frames[n]
			if !ok {
				t.Fatalf("no frame %q", n)
			}
			q.frames = append(q.frames, f)
			g.keys = append(g.keys, g.key(f))
		}
		g.qs = append(g.qs, q)
	}
	return g.group(maxRIDs)
}

// sentTo replays entries: what each rid receives, by frame name.
func sentTo(frames map[string]frame, es []fanEntry) map[uint64][]string {
	name := map[*byte]string{}
	for n, f := range frames {
		if len(f.b) > 0 {
			name[&f.b[0]] = n
		}
	}
	got := map[uint64][]string{}
	for _, e := range es {
		for _, rid := range e.rids {
			got[rid] = append(got[rid], name[&e.f.b[0]])
		}
	}
	return got
}

// The fanner sends every frame once for all the connections it is next
// for, and each connection its frames in the order queued: an event to
// all and then its ack to the sender, a frame queued twice for one
// connection twice, the list of rids split past maxRIDs.
func TestFanGroupKeepsEachConnectionsOrder(t *testing.T) {
	frames := map[string]frame{}
	for _, n := range []string{"e1", "e2", "a1", "a2", "p", "x"} {
		frames[n] = frame{b: []byte(`{"frame":"` + n + `"}`)}
	}
	cases := []struct {
		name    string
		queues  [][]string
		maxRIDs int
		entries int
	}{
		{"event and ack", [][]string{{"e1", "a1"}, {"e1"}, {"e1"}}, 100, 2},
		{"two events, two senders", [][]string{{"e1", "a1", "e2"}, {"e1", "e2", "a2"}, {"e1", "e2"}}, 100, 4},
		{"a frame twice for one", [][]string{{"p", "e1", "p"}, {"p", "e1"}, {"e1", "p"}}, 100, 0},
		{"split rids", [][]string{{"e1"}, {"e1"}, {"e1"}, {"e1"}, {"e1", "x"}}, 2, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es := groupOf(t, frames, c.queues, c.maxRIDs)
			got := sentTo(frames, es)
			for i, want := range c.queues {
				if rid := uint64(i + 1); !slices.Equal(got[rid], want) {
					t.Fatalf("rid %d got %v, want %v (entries %s)", rid, got[rid], want, describe(es))
				}
			}
			if c.entries > 0 && len(es) != c.entries {
				t.Fatalf("%d entries, want %d: %s", len(es), c.entries, describe(es))
			}
			for _, e := range es {
				if len(e.rids) > c.maxRIDs {
					t.Fatalf("an entry lists %d rids, at most %d", len(e.rids), c.maxRIDs)
				}
			}
		})
	}
}

func describe(es []fanEntry) string {
	s := ""
	for _, e := range es {
		s += fmt.Sprintf("[%s → %v] ", e.f.b, e.rids)
	}
	return s
}
