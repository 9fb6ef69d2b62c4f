package storetest

import (
	"context"
	"reflect"
	"testing"

	"rembuk/board"
)

// testDevicesAndMerge: a participant's further device and a merge of two
// rows load back as they were: the device's token and the merged row's
// first token both name the survivor, and the merged row stays removed.
func testDevicesAndMerge(t *testing.T, db Store) {
	s := Create(t, db, "s1", "KODE01")
	s.Join("pa", "Ani", board.RoleParticipant)
	s.Join("pa2", "Ani", board.RoleParticipant)
	n := s.Do("pa2", board.Command{Type: "note.add", ColumnID: "c1", Text: sp("dari baris kedua")}).CreatedID
	ch, err := s.St.AddDevice("fac", "pa", []byte("device-hash"), T0, func() string { return "dev-1" })
	if err != nil {
		t.Fatal(err)
	}
	s.Submit(ch)
	s.Do("fac", board.Command{Type: "participant.merge", ID: "pa2", IntoID: "pa"})

	st, _, err := db.LoadState(context.Background(), "s1")
	if err != nil {
		t.Fatal(err)
	}
	sameState(t, s.St, st)
	if !reflect.DeepEqual(st.Devices, s.St.Devices) {
		t.Errorf("devices = %+v, want %+v", st.Devices, s.St.Devices)
	}
	pa := st.Participants["pa"]
	for _, h := range []string{"hash-pa", "hash-pa2", "device-hash"} {
		if !st.HoldsToken(pa, []byte(h)) {
			t.Errorf("after loading, %s does not open the survivor's board", h)
		}
	}
	if gone := st.Participants["pa2"]; !gone.Removed || gone.MergedInto != "pa" {
		t.Errorf("merged row = %+v", gone)
	}
	if st.Notes[n].AuthorID != "pa" {
		t.Errorf("note author = %q, want pa", st.Notes[n].AuthorID)
	}
}
