package minutes

import (
	"strings"
	"testing"

	"rembuk/board"
)

// TestMergedRowLeavesAttendance: a row merged into another is the same
// person: the attendance list has one line for them, and the merged row's
// notes carry the survivor's name. A removed row stays (they attended).
func TestMergedRowLeavesAttendance(t *testing.T) {
	st := newFixtureWith(t, false, func(f *fixture, stage string) {
		if stage != "open" {
			return
		}
		f.join("p-siti2", nameSiti, "Seksi Pelayanan", board.RoleParticipant)
		f.note("dupe", "p-siti2", "masalah", "Catatan dari perangkat kedua")
		f.do("p-fac", board.Command{Type: "participant.merge", ID: "p-siti2", IntoID: "p-siti"}, "")
	})
	m := Build(st, Options{Now: fixtureNow, Role: board.RoleFacilitator})
	n := 0
	for _, a := range m.Attendance {
		if a.Name == nameSiti {
			n++
		}
	}
	if n != 1 || len(m.Attendance) != 5 {
		t.Fatalf("attendance %+v: %d lines for %s, want 1 of 5 (Budi, removed, stays)", m.Attendance, n, nameSiti)
	}
	md := string(render(t, m, "md"))
	if !strings.Contains(md, "Catatan dari perangkat kedua") {
		t.Fatal("the merged row's note is missing from the minutes")
	}
}
