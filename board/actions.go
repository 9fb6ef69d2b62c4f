package board

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Action statuses (status rencana aksi).
const (
	StatusBelum   = "belum"   // not started
	StatusProses  = "proses"  // in progress
	StatusSelesai = "selesai" // done
)

// TemplateMonitoring is the template of a monitoring session: created in a
// programme, it starts with the programme's open actions (register.go).
const TemplateMonitoring = "monitoring-rencana-aksi"

// Limits of the action register.
const (
	MaxProgressText      = 1000
	MaxProgressNotes     = 100 // per action
	MaxEvidencePerNote   = 5
	MaxEvidencePerAction = 50
	MaxEvidenceURL       = 500
)

// Areas are the six areas perubahan of PermenPANRB 90/2021, in order.
var Areas = [6]string{
	"Manajemen Perubahan",
	"Penataan Tatalaksana",
	"Penataan Sistem Manajemen SDM Aparatur",
	"Penguatan Akuntabilitas Kinerja",
	"Penguatan Pengawasan",
	"Peningkatan Kualitas Pelayanan Publik",
}

// AreaNo is an area's number (1–6), 0 for a name that is none of them.
// Case and surrounding space do not matter.
func AreaNo(name string) int {
	name = strings.TrimSpace(name)
	for i, a := range Areas {
		if strings.EqualFold(a, name) {
			return i + 1
		}
	}
	return 0
}

// ProgressNote is one report on an action: when, from which session, the
// status it set ("" = unchanged), what was said and the evidence links.
type ProgressNote struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	SessionID string    `json:"sessionId"`
	Status    string    `json:"status,omitempty"`
	Text      string    `json:"text,omitempty"`
	Evidence  []string  `json:"evidence,omitempty"`
}

// ActionOrigin names the action a monitoring session's copy stands for.
type ActionOrigin struct {
	SessionID    string `json:"sessionId"`
	ActionID     string `json:"actionId"`
	SessionTitle string `json:"sessionTitle"`
	// SessionDate is that session's day (YYYY-MM-DD), so the monitoring
	// session's own register still dates the agreement (tanggal_sumber);
	// copies made before it existed have none.
	SessionDate string `json:"sessionDate,omitempty"`
}

// StatusOf is the action's status; an action stored before statuses
// existed is selesai when done, else belum.
func (a *Action) StatusOf() string {
	if a.Status != "" {
		return a.Status
	}
	if a.Done {
		return StatusSelesai
	}
	return StatusBelum
}

func validStatus(s string) bool { return s == StatusBelum || s == StatusProses || s == StatusSelesai }

// setStatus sets the status, Done with it, and when it was set.
func (a *Action) setStatus(s string, now time.Time) {
	a.Status, a.Done, a.StatusAt = s, s == StatusSelesai, now
}

// cleanArea turns an area tag ("" clears; a name or its number 1–6) into
// the area's canonical name.
func cleanArea(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= len(Areas) {
		return Areas[n-1], nil
	}
	if n := AreaNo(v); n > 0 {
		return Areas[n-1], nil
	}
	return "", Errorf(CodeInvalid, "area must be one of the six areas perubahan (or its number 1–6)")
}

// cleanEvidence checks evidence links: http or https URLs with a host.
func cleanEvidence(links []string) ([]string, error) {
	if len(links) > MaxEvidencePerNote {
		return nil, Errorf(CodeInvalid, "at most %d evidence links at once", MaxEvidencePerNote)
	}
	out := make([]string, 0, len(links))
	for _, l := range links {
		l = strings.TrimSpace(l)
		if len(l) > MaxEvidenceURL {
			return nil, Errorf(CodeInvalid, "an evidence link is longer than %d bytes", MaxEvidenceURL)
		}
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || Sanitize(l, false) != l {
			return nil, Errorf(CodeInvalid, "an evidence link must be an http or https address")
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

// actionRegisterFields applies action.add/update's status and area.
func (x *exec) actionRegisterFields(a *Action) error {
	c := x.cmd
	if c.Done != nil && c.Status == nil && *c.Done != (a.StatusOf() == StatusSelesai) {
		s := StatusSelesai
		if !*c.Done {
			s = StatusBelum
			if len(a.Progress) > 0 {
				s = StatusProses
			}
		}
		a.setStatus(s, x.now)
	}
	if c.Status != nil {
		if !validStatus(*c.Status) {
			return Errorf(CodeInvalid, "status must be belum, proses or selesai")
		}
		if c.Done != nil && *c.Done != (*c.Status == StatusSelesai) {
			return Errorf(CodeInvalid, "done and status disagree")
		}
		if *c.Status != a.StatusOf() {
			a.setStatus(*c.Status, x.now)
		}
	}
	if c.Area != nil {
		area, err := cleanArea(*c.Area)
		if err != nil {
			return err
		}
		a.Area = area
	}
	return nil
}

// actionProgress adds a progress note to an action: optionally a new
// status, a text and evidence links. The note names this session as its
// source, so a monitoring session's reports reach the register as its own.
// Who may send it is the command table's (rules.go: staff, and in a
// monitoring session the whole team).
func actionProgress(x *exec) (string, any, error) {
	old, ok := x.s.Actions[x.cmd.ID]
	if !ok {
		return "", nil, Errorf(CodeNotFound, "action not found")
	}
	c := x.cmd
	n := ProgressNote{At: x.now, SessionID: x.s.Session.ID}
	if c.Status != nil {
		if !validStatus(*c.Status) {
			return "", nil, Errorf(CodeInvalid, "status must be belum, proses or selesai")
		}
		n.Status = *c.Status
	}
	var err error
	if c.Text != nil {
		if n.Text, err = CleanLines("text", *c.Text, 0, MaxProgressText); err != nil {
			return "", nil, err
		}
	}
	if n.Evidence, err = cleanEvidence(c.Evidence); err != nil {
		return "", nil, err
	}
	if n.Status == "" && n.Text == "" && len(n.Evidence) == 0 {
		return "", nil, Errorf(CodeInvalid, "a progress report needs a status, a text or an evidence link")
	}
	if len(old.Progress) >= MaxProgressNotes {
		return "", nil, Errorf(CodeConflict, "too many progress notes on this action (%d)", MaxProgressNotes)
	}
	a := *old
	a.Evidence = slices.Clip(a.Evidence)
	for _, l := range n.Evidence {
		if !slices.Contains(a.Evidence, l) {
			a.Evidence = append(a.Evidence, l)
		}
	}
	if len(a.Evidence) > MaxEvidencePerAction {
		return "", nil, Errorf(CodeConflict, "too many evidence links on this action (%d)", MaxEvidencePerAction)
	}
	if n.Status != "" {
		a.setStatus(n.Status, x.now)
	}
	n.ID = x.newID()
	a.Progress = append(slices.Clip(a.Progress), n)
	*old = a
	x.s.putAction(old)
	x.created = n.ID
	return "action.progressed", ActionData{Action: a}, nil
}
