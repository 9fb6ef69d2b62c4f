package server

import (
	"bytes"
	"fmt"
	"sort"
	"testing"
	"unsafe"

	"github.com/google/uuid"

	"rembuk/board"
)

// joinParts is what a writer puts on the wire for f.
func joinParts(f frame) []byte {
	if f.parts == nil {
		return f.b
	}
	return bytes.Join(f.parts, nil)
}

// The shared welcome is byte for byte the viewer's own snapshot, for every
// role and privacy setting, with own notes, votes and scores in between
// shared runs.
func TestWelcomeInPartsIsTheViewersSnapshot(t *testing.T) {
	for _, set := range []board.Settings{
		{VotesPerParticipant: 5},
		{VotesPerParticipant: 5, PrivateBrainstorm: true},
		{VotesPerParticipant: 5, Anonymous: true},
		{VotesPerParticipant: 5, Anonymous: true, PrivateBrainstorm: true},
	} {
		t.Run(fmt.Sprintf("anon=%v private=%v", set.Anonymous, set.PrivateBrainstorm), func(t *testing.T) {
			r, clients := perfRoom(t, 4, set)
			exec := func(cl *client, cmd board.Command) {
				t.Helper()
				ch, err := r.st.Execute(cl.participantID, cmd, perfNow, uuid.NewString)
				if err != nil {
					t.Fatalf("%s: %v", cmd.Type, err)
				}
				r.st.Commit(r.st.Seq + 1)
				_ = ch
			}
			for i := 0; i < 12; i++ {
				text := fmt.Sprintf(`catatan <%d> & "kutip" \ 😀`, i)
				exec(clients[i%4], board.Command{Type: "note.add", ColumnID: "col1", Text: &text})
			}
			notes := r.st.SortedNotes()
			fac := clients[0]
			exec(fac, board.Command{Type: "phase.set", Phase: string(board.PhaseVote)})
			// Budi (client 2) votes on note 5 and scores note 9: those become his own.
			exec(clients[2], board.Command{Type: "vote.cast", TargetID: board.NullString{Value: notes[5].ID, Valid: true, Set: true}})
			exec(clients[2], board.Command{Type: "usg.score", TargetID: board.NullString{Value: notes[9].ID, Valid: true, Set: true}, U: 3, S: 4, G: 5})
			for round := 0; round < 2; round++ { // the second round uses the cache
				for i, cl := range clients {
					got := joinParts(r.welcome(cl.viewer, nil))
					want := encode(welcomeBoard{Type: "welcome", Board: r.st.Snapshot(cl.viewer, r.isOnline, r.deps.now())})
					if !bytes.Equal(got, want) {
						t.Fatalf("viewer %d round %d:\n got %s\nwant %s", i, round, got, want)
					}
				}
			}
		})
	}
}

// An event carrying every note is, for each viewer, byte for byte its own
// projection, also while anonymous, where every author is projected alone
// and only its own notes are encoded apart.
func TestRevealInPartsIsTheViewersProjection(t *testing.T) {
	for _, set := range []board.Settings{
		{VotesPerParticipant: 5, PrivateBrainstorm: true},
		{VotesPerParticipant: 5, PrivateBrainstorm: true, Anonymous: true},
	} {
		t.Run(fmt.Sprintf("anon=%v", set.Anonymous), func(t *testing.T) {
			r, clients := perfRoom(t, 5, set)
			for i := 0; i < 15; i++ {
				text := fmt.Sprintf(`catatan <%d> & "kutip" \ 😀`, i)
				if _, err := r.st.Execute(clients[1+i%4].participantID, board.Command{Type: "note.add", ColumnID: "col1", Text: &text}, perfNow, uuid.NewString); err != nil {
					t.Fatal(err)
				}
				r.st.Commit(r.st.Seq + 1)
			}
			ch, err := r.st.Execute(clients[0].participantID, board.Command{Type: "notes.reveal"}, perfNow, uuid.NewString)
			if err != nil {
				t.Fatal(err)
			}
			ch.Event.Seq = r.st.Seq + 1
			r.st.Commit(ch.Event.Seq)
			drain(clients)
			r.broadcast(&ch.Event)
			alone, size := 0, 0
			var held [][2]uintptr // the memory the authors' frames point into
			for i, cl := range clients {
				c := r.st.ClassKey(&ch.Event, cl.viewer)
				want := encode(r.st.Project(&ch.Event, c))
				got, _, _ := cl.out.take(nil)
				if c.PerViewer.ID != "" && len(got) == 1 {
					alone++
					size = got[0].size()
					for _, p := range append(got[0].parts, got[0].b) {
						if len(p) > 0 {
							a := uintptr(unsafe.Pointer(&p[0]))
							held = append(held, [2]uintptr{a, a + uintptr(len(p))})
						}
					}
				}
				if len(got) != 1 || !bytes.Equal(joinParts(got[0]), want) {
					t.Fatalf("viewer %d: got %d frames\n got %s\nwant %s", i, len(got), joinParts(got[0]), want)
				}
			}
			if set.Anonymous && alone != 4 {
				t.Errorf("%d viewers projected alone, want the 4 authors", alone)
			}
			// The bytes the frames point into, overlaps counted once.
			sort.Slice(held, func(i, j int) bool { return held[i][0] < held[j][0] })
			total, end := 0, uintptr(0)
			for _, h := range held {
				if h[0] > end {
					end = h[0]
				}
				if h[1] > end {
					total += int(h[1] - end)
					end = h[1]
				}
			}
			// Four authors' frames share one encoding of the others' notes:
			// about two frames' worth of memory (the shared list, and each
			// author's own quarter), where a copy each would be four.
			if alone > 0 && total > 3*size {
				t.Errorf("the %d authors' frames hold %d distinct bytes for frames of %d: not shared", alone, total, size)
			}
		})
	}
}
