package board

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// zi builds a zona-integritas-like session: the six areas as columns.
func zi(t *testing.T, id, template string) *tb {
	t.Helper()
	b := newBoard(t, KindProblem, KindProblem, KindProblem, KindProblem, KindProblem, KindProblem)
	b.s.Session.ID, b.s.Session.Title, b.s.Session.Template = id, "Rapat "+id, template
	for i := 1; i <= 6; i++ {
		b.s.Columns[colID(i)].Title = Areas[i-1]
	}
	b.newID = idGen(id)
	return b
}

func colID(i int) string { return "col" + string(rune('0'+i)) }

func TestActionStatusAreaAndProgress(t *testing.T) {
	b := zi(t, "s1", "zona-integritas")
	b.participant("not", "Notulis", RoleNotulis)
	b.participant("p1", "Peserta", RoleParticipant)
	note := b.created("p1", Command{Type: "note.add", ColumnID: "col5", Text: sp("Gratifikasi")})
	act := b.created("fac", Command{Type: "action.add", Text: sp("Sosialisasi"), Owner: sp("Budi"), Due: sp("2026-12-01"), TargetID: Str(note)})
	a := b.s.Actions[act]
	if a.StatusOf() != StatusBelum || b.s.AreaOf(a) != "Penguatan Pengawasan" {
		t.Fatalf("new action: status %q area %q, want belum and the target's column", a.StatusOf(), b.s.AreaOf(a))
	}
	// A tag wins over the column; a number names an area too.
	b.do("not", Command{Type: "action.update", ID: act, Area: sp("2")})
	if got := b.s.AreaOf(a); got != "Penataan Tatalaksana" {
		t.Fatalf("area after tag 2 = %q", got)
	}
	b.refuse("not", Command{Type: "action.update", ID: act, Area: sp("Keuangan")}, CodeInvalid)
	b.refuse("not", Command{Type: "action.update", ID: act, Status: sp("done")}, CodeInvalid)
	b.refuse("not", Command{Type: "action.update", ID: act, Status: sp("selesai"), Done: bp(false)}, CodeInvalid)

	// A participant may not report outside a monitoring session.
	b.refuse("p1", Command{Type: "action.progress", ID: act, Text: sp("sudah")}, CodeForbidden)
	b.refuse("not", Command{Type: "action.progress", ID: act}, CodeInvalid)
	b.refuse("not", Command{Type: "action.progress", ID: act, Evidence: []string{"javascript:alert(1)"}}, CodeInvalid)
	b.refuse("not", Command{Type: "action.progress", ID: act, Evidence: []string{"ftp://x.go.id/a"}}, CodeInvalid)
	b.refuse("not", Command{Type: "action.progress", ID: "nope", Text: sp("x")}, CodeNotFound)
	b.now = t0.Add(time.Hour)
	ch := b.do("not", Command{Type: "action.progress", ID: act, Status: sp(StatusProses), Text: sp("Undangan dikirim"),
		Evidence: []string{"https://drive.example.go.id/undangan.pdf", "https://drive.example.go.id/undangan.pdf"}})
	if ch.Event.Name != "action.progressed" || ch.CreatedID == "" {
		t.Fatalf("progress: event %q id %q", ch.Event.Name, ch.CreatedID)
	}
	if a.Status != StatusProses || a.Done || !a.StatusAt.Equal(b.now) || len(a.Progress) != 1 || len(a.Evidence) != 1 {
		t.Fatalf("after progress: %+v", a)
	}
	if p := a.Progress[0]; p.SessionID != "s1" || p.Status != StatusProses || p.Text != "Undangan dikirim" || p.ID != ch.CreatedID {
		t.Fatalf("progress note: %+v", p)
	}
	// done=true is selesai; done=false afterwards is proses again (it has progress).
	b.do("fac", Command{Type: "action.update", ID: act, Done: bp(true)})
	if a.StatusOf() != StatusSelesai || !a.Done {
		t.Fatalf("done=true: status %q", a.StatusOf())
	}
	b.do("fac", Command{Type: "action.update", ID: act, Done: bp(false)})
	if a.StatusOf() != StatusProses || a.Done {
		t.Fatalf("done=false: status %q", a.StatusOf())
	}
	// The snapshot and the event carry the status.
	raw, _ := json.Marshal(b.s.Snapshot(Viewer{ID: "p1", Role: RoleParticipant}, func(string) bool { return false }, b.now))
	var snap struct {
		Actions []struct {
			Status   string         `json:"status"`
			Progress []ProgressNote `json:"progress"`
		} `json:"actions"`
	}
	if err := json.Unmarshal(raw, &snap); err != nil || len(snap.Actions) != 1 || snap.Actions[0].Status != StatusProses || len(snap.Actions[0].Progress) != 1 {
		t.Fatalf("snapshot actions: %s (%v)", raw, err)
	}
}

func TestActionProgressMonitoringTeam(t *testing.T) {
	b := zi(t, "m1", TemplateMonitoring)
	b.participant("p1", "Peserta", RoleParticipant)
	b.s.Actions["copy"] = &Action{ID: "copy", Text: "x", Owner: "Budi", Due: "2026-12-01", Origin: &ActionOrigin{SessionID: "s1", ActionID: "a1"}}
	b.do("p1", Command{Type: "action.progress", ID: "copy", Status: sp(StatusSelesai)})
	if b.s.Actions["copy"].StatusOf() != StatusSelesai {
		t.Fatal("a team member's report in a monitoring session was not applied")
	}
	// The lock holds participants back here as everywhere.
	b.do("fac", Command{Type: "settings.update", Locked: bp(true)})
	b.refuse("p1", Command{Type: "action.progress", ID: "copy", Text: sp("x")}, CodeLocked)
	// action.update stays staff work.
	b.refuse("p1", Command{Type: "action.update", ID: "copy", Done: bp(false)}, CodeForbidden)
}

func TestBuildRegisterMergesMonitoring(t *testing.T) {
	prog := Programme{ID: "prog", Unit: "BP3KP", Year: 2026, Target: TargetWBK}
	s1 := zi(t, "s1", "zona-integritas")
	s1.s.Session.ScheduledAt = "2026-11-02T02:00:00Z"
	n := s1.created("fac", Command{Type: "note.add", ColumnID: "col6", Text: sp("Antrian panjang")})
	late := s1.created("fac", Command{Type: "action.add", Text: sp("SOP antrian"), Owner: sp("Ani"), Due: sp("2026-11-20"), TargetID: Str(n)})
	soon := s1.created("fac", Command{Type: "action.add", Text: sp("Survei IKM"), Owner: sp("Budi"), Due: sp("2026-12-15"), Area: sp("6")})
	free := s1.created("fac", Command{Type: "action.add", Text: sp("Rapat lagi"), Owner: sp("Cici"), Due: sp("2026-11-01")})
	s1.do("fac", Command{Type: "action.update", ID: free, Done: bp(true)})

	r := BuildRegister(prog, []*State{s1.s}, t0)
	if r.Today != "2026-11-27" || len(r.Items) != 3 {
		t.Fatalf("register: today %q, %d items", r.Today, len(r.Items))
	}
	byID := func(r Register, id string) RegisterItem {
		for _, it := range r.Items {
			if it.ActionID == id {
				return it
			}
		}
		t.Fatalf("item %s missing", id)
		return RegisterItem{}
	}
	if it := byID(r, late); !it.Overdue || it.Area != Areas[5] || it.Source.ID != "s1" || it.Source.Date != "2026-11-02" {
		t.Fatalf("late item: %+v", it)
	}
	if it := byID(r, soon); it.Overdue || it.AreaNo != 6 {
		t.Fatalf("soon item: %+v", it)
	}
	if it := byID(r, free); it.Overdue || it.Status != StatusSelesai || it.AreaNo != 0 {
		t.Fatalf("done item without area: %+v", it)
	}
	if r.Areas[5].Total != 2 || r.Areas[5].Open != 2 || r.Areas[5].Overdue != 1 || len(r.Areas) != 7 || r.Areas[6].Done != 1 || r.Totals.Total != 3 {
		t.Fatalf("counts: %+v totals %+v", r.Areas, r.Totals)
	}

	// A monitoring session starts with the open ones and closes one.
	open := OpenActions(r, idGen("copy"))
	if len(open) != 2 || open[0].Origin == nil || open[0].Origin.ActionID != late || open[0].Origin.SessionDate != "2026-11-02" {
		t.Fatalf("open actions: %+v", open)
	}
	m := zi(t, "m1", TemplateMonitoring)
	m.s.Session.CreatedAt = t0.Add(24 * time.Hour)
	for i := range open {
		a := open[i]
		m.s.Actions[a.ID] = &a
	}
	m.now = t0.Add(48 * time.Hour)
	m.do("fac", Command{Type: "action.progress", ID: open[0].ID, Status: sp(StatusSelesai), Text: sp("SOP terbit"), Evidence: []string{"https://x.go.id/sop.pdf"}})
	m.do("fac", Command{Type: "action.progress", ID: open[1].ID, Text: sp("Kuesioner siap")})

	r2 := BuildRegister(prog, []*State{m.s, s1.s}, t0.Add(72*time.Hour))
	if len(r2.Items) != 3 {
		t.Fatalf("copies became items of their own: %d items", len(r2.Items))
	}
	it := byID(r2, late)
	if it.Status != StatusSelesai || it.Overdue || it.StatusSource == nil || it.StatusSource.ID != "m1" ||
		len(it.Progress) != 1 || it.Progress[0].SessionTitle != "Rapat m1" || len(it.Evidence) != 1 {
		t.Fatalf("closed in monitoring: %+v", it)
	}
	if it := byID(r2, soon); it.Status != StatusBelum || len(it.Progress) != 1 || it.StatusSource != nil {
		t.Fatalf("reported without status: %+v", it)
	}
	// A later report in the source session wins over the monitoring one.
	s1.now = t0.Add(96 * time.Hour)
	s1.do("fac", Command{Type: "action.progress", ID: late, Status: sp(StatusProses), Text: sp("Revisi SOP")})
	it = byID(BuildRegister(prog, []*State{s1.s, m.s}, t0.Add(100*time.Hour)), late)
	if it.Status != StatusProses || it.StatusSource.ID != "s1" || len(it.Progress) != 2 || it.Progress[0].Text != "SOP terbit" {
		t.Fatalf("later source report: %+v", it)
	}
}

func TestProgrammeClean(t *testing.T) {
	good := Programme{Unit: " BP3KP Jawa I ", Year: 2026, Target: "wbbm", Chair: Official{Name: "Dr. Ahmad", NIP: "1978"}}
	if err := good.Clean(); err != nil || good.Target != TargetWBBM || good.Unit != "BP3KP Jawa I" {
		t.Fatalf("Clean: %v %+v", err, good)
	}
	for _, p := range []Programme{
		{Unit: "", Year: 2026, Target: "WBK"},
		{Unit: "U", Year: 1999, Target: "WBK"},
		{Unit: "U", Year: 2026, Target: "ZI"},
		{Unit: "U", Year: 2026, Target: "WBK", Chair: Official{NIP: strings.Repeat("1", 50)}},
	} {
		if err := p.Clean(); ErrorCode(err) != CodeInvalid {
			t.Errorf("Clean(%+v) = %v, want invalid", p, err)
		}
	}
}
