package server

import (
	"bytes"
	"fmt"
	"testing"

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
					want := encode(welcomeBoard{Type: "welcome", Board: r.st.Snapshot(cl.viewer, r.isOnline, r.srv.now())})
					if !bytes.Equal(got, want) {
						t.Fatalf("viewer %d round %d:\n got %s\nwant %s", i, round, got, want)
					}
				}
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }
