package minutes

import (
	"encoding/json"
	"strings"
	"testing"

	"rembuk/board"
)

const (
	unitThree = "Balai Tiga Orang"
	threeText = "Masalah dari balai bertiga"
)

// unitFixture is the anonymous fixture with a unit of three people, one of
// whom writes a problem; Seksi Pelayanan and Seksi Pengawasan have one
// person each. show turns on "tampilkan unit".
func unitFixture(t *testing.T, show bool) *board.State {
	return newFixtureWith(t, true, func(f *fixture, stage string) {
		if stage != "open" {
			return
		}
		f.join("p-t1", "Tiga Satu", unitThree, board.RoleParticipant)
		f.join("p-t2", "Tiga Dua", "balai tiga  orang", board.RoleParticipant)
		f.join("p-t3", "Tiga Tiga", unitThree, board.RoleParticipant)
		f.note("tiga", "p-t2", "masalah", threeText)
		f.do("p-fac", board.Command{Type: "settings.update", ShowUnits: bp(show)}, "")
	})
}

// TestMinutesUnitRule: "Pemetaan per Unit" follows board's unit rule for
// the downloading role in all six formats. In an anonymous session a unit
// shows only with "tampilkan unit" on and three people in it; a unit of
// one (Seksi Pelayanan) never appears with a problem, only in the
// attendance list.
func TestMinutesUnitRule(t *testing.T) {
	for _, show := range []bool{false, true} {
		st := unitFixture(t, show)
		for _, role := range []board.Role{board.RoleFacilitator, board.RoleNotulis} {
			for _, lang := range []string{"id", "en"} {
				m := Build(st, Options{Now: fixtureNow, Role: role, Lang: lang})
				for _, format := range []string{"md", "html", "docx", "pdf"} {
					sec := between(t, wholeText(t, m, format), m.L.UnitMap, m.L.Conclusions)
					if !strings.Contains(sec, threeText) || !strings.Contains(sec, m.L.UnitUnstated) {
						t.Fatalf("show=%v %s %s %s: the section lacks its problems:\n%s", show, role, lang, format, sec)
					}
					for _, small := range []string{"Seksi Pelayanan", "Seksi Pengawasan", "Bagian Umum"} {
						if strings.Contains(sec, small) {
							t.Errorf("show=%v %s %s %s: the section names the small unit %q:\n%s", show, role, lang, format, small, sec)
						}
					}
					if got := strings.Contains(sec, unitThree); got != show {
						t.Errorf("show=%v %s %s %s: unit of three shown = %v", show, role, lang, format, got)
					}
				}
				wantUnit := ""
				if show {
					wantUnit = unitThree
				}
				if r := csvRow(t, m, threeText); r == nil || r[10] != wantUnit {
					t.Errorf("show=%v %s csv row %q, want unit %q", show, role, r, wantUnit)
				}
				if r := csvRow(t, m, "Antrean layanan panjang pada jam sibuk"); r == nil || r[10] != "" {
					t.Errorf("show=%v %s csv names a unit of one: %q", show, role, r)
				}
				if n := jsonNote(t, m, threeText); (n["authorUnit"] == unitThree) != show {
					t.Errorf("show=%v %s json note %v", show, role, n)
				}
				if n := jsonNote(t, m, "Antrean layanan panjang pada jam sibuk"); n["authorUnit"] != nil {
					t.Errorf("show=%v %s json names a unit of one: %v", show, role, n)
				}
				var doc struct {
					UnitMap []struct {
						Unit     *string  `json:"unit"`
						Problems []string `json:"problems"`
					} `json:"unitMap"`
				}
				if err := json.Unmarshal(render(t, m, "json"), &doc); err != nil {
					t.Fatal(err)
				}
				named := 0
				for _, u := range doc.UnitMap {
					if u.Unit != nil {
						named++
						if *u.Unit != unitThree || len(u.Problems) != 1 {
							t.Errorf("show=%v %s json unitMap names %q %v", show, role, *u.Unit, u.Problems)
						}
					}
				}
				if (named == 1) != show {
					t.Errorf("show=%v %s json unitMap has %d named units", show, role, named)
				}
			}
		}
	}
}

// TestMinutesUnitMapOpenSession: in a session that is not anonymous every
// problem sits under its author's unit, units in order, the unstated last.
func TestMinutesUnitMapOpenSession(t *testing.T) {
	m := Build(newFixture(t, false), Options{Now: fixtureNow, Role: board.RoleFacilitator})
	var got []string
	for _, u := range m.Units {
		got = append(got, u.Unit)
	}
	if want := "Seksi Pelayanan|Seksi Pengawasan|" + m.L.UnitUnstated; strings.Join(got, "|") != want {
		t.Fatalf("units %q, want %q", got, want)
	}
}
