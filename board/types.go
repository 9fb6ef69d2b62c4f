// Package board holds Rembuk's domain: the board's types, the commands that
// change it, the rules that decide them, and what each viewer may see.
// It does no I/O and imports nothing of the project's, so the store, the
// server, the minutes and any future adapter all ask the same single place.
//
// The edit path. State.Execute decides a command and, if it is accepted,
// applies it to the in-memory state at once, returning the Change to store.
// It applies before the store has committed on purpose: the next command of
// the same batch must be decided against the state as it will be (a vote
// budget, a cap, a note deleted a moment ago), and a shadow copy of the
// board per batch would cost more on every edit than the rare failure
// costs. Nobody sees a change before it is stored: the room sends events,
// acks and snapshots only after the commit, and a failed commit throws the
// whole State away and reloads it from the log (server/room.go flush).
package board

import "time"

// Role is what a participant may do in a session.
type Role string

const (
	RoleFacilitator Role = "facilitator"
	RoleNotulis     Role = "notulis"
	RoleParticipant Role = "participant"
)

// Phase is the soft stage of the discussion the facilitator walks through.
type Phase string

const (
	PhaseBrainstorm Phase = "brainstorm"
	PhaseGroup      Phase = "group"
	PhaseScreen     Phase = "screen" // APKL screening; only when Settings.APKL.Enabled
	PhaseVote       Phase = "vote"
	PhaseDiscuss    Phase = "discuss"
	PhaseActions    Phase = "actions"
)

// Phases lists the phases in their usual order.
var Phases = []Phase{PhaseBrainstorm, PhaseGroup, PhaseScreen, PhaseVote, PhaseDiscuss, PhaseActions}

// Column kinds.
const (
	KindProblem    = "problem"
	KindCause      = "cause"
	KindInnovation = "innovation"
	KindOther      = "other"
	// KindEffect holds what a problem leads to (dampak): the branches of a
	// problem tree.
	KindEffect = "effect"
)

// Settings are the facilitator's switches for a session.
type Settings struct {
	Anonymous           bool `json:"anonymous"`
	PrivateBrainstorm   bool `json:"privateBrainstorm"`
	VotesPerParticipant int  `json:"votesPerParticipant"`
	Locked              bool `json:"locked"`
	// JoiningClosed refuses new joins (kunci pendaftaran); people already
	// in the session keep their seats and may reconnect.
	JoiningClosed bool `json:"joiningClosed"`
	// APKL is the optional screening step before USG (board/apkl.go).
	APKL APKLSettings `json:"apkl"`
	// ShowUnits (tampilkan unit) lets an anonymous note carry its author's
	// unit, and USG be broken out per unit, for units of at least
	// MinUnitSize people (board/units.go).
	ShowUnits bool `json:"showUnits"`
	// HideResults (sembunyikan hasil sampai penilaian ditutup) withholds
	// the team's votes, USG and APKL results from participants while the
	// phase is screen or vote, so nobody anchors on the others' scores
	// (State.ResultsHidden in view.go).
	HideResults bool `json:"hideResults"`
}

// DefaultSettings are those of a new session.
func DefaultSettings() Settings {
	return Settings{VotesPerParticipant: 5,
		APKL: APKLSettings{Mode: APKLCheck, Raters: APKLRatersAll, Scope: APKLScopePassed}}
}

// Timer is a countdown in server time.
type Timer struct {
	EndsAt time.Time `json:"endsAt"`
}

// Session is the session's header and live switches.
type Session struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Agenda      string    `json:"agenda"`
	Place       string    `json:"place"`
	Unit        string    `json:"unit"`
	ScheduledAt string    `json:"scheduledAt"`
	Template    string    `json:"template"`
	Lang        string    `json:"lang"`
	TimeZone    string    `json:"timeZone"`
	JoinCode    string    `json:"joinCode,omitempty"`
	Phase       Phase     `json:"phase"`
	Closed      bool      `json:"closed"`
	ClosedAt    time.Time `json:"closedAt,omitzero"`
	Settings    Settings  `json:"settings"`
	Timer       *Timer    `json:"timer"`
	Spotlight   *string   `json:"spotlight"`
	Revealed    bool      `json:"revealed"`
	CreatedAt   time.Time `json:"createdAt"`
	HasPasscode bool      `json:"hasPasscode"`

	// City and AcknowledgedBy are for the minutes' signature block: the
	// place-and-date line ("Jakarta, 10 Desember 2026") and the optional
	// "Mengetahui" (acknowledged by) block of the head of the office. Both
	// are set at creation only.
	City           string        `json:"city,omitempty"`
	AcknowledgedBy *Acknowledger `json:"acknowledgedBy,omitempty"`

	// AttendanceRequestedAt is when the facilitator last asked everyone to
	// sign the attendance list (attendance.request).
	AttendanceRequestedAt time.Time `json:"attendanceRequestedAt,omitzero"`

	// Programme is the programme (program ZI) the session was created in,
	// with its letterhead and TPI people as they were then; nil outside one.
	Programme *ProgrammeRef `json:"programme,omitempty"`
	// Invitation is the invitation letter's own fields (invitation.go),
	// nil until the facilitator fills them in.
	Invitation *Invitation `json:"invitation,omitempty"`
}

// Acknowledger is the official who signs "Mengetahui" (acknowledged) under
// the minutes, e.g. {"title":"Kepala Balai","name":"Dr. Ahmad","nip":"1978…"}.
// Name and NIP may be empty: the minutes leave a line to fill in by hand.
type Acknowledger struct {
	Title string `json:"title"`
	Name  string `json:"name"`
	NIP   string `json:"nip"`
}

// Column is a lane of the board.
type Column struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Kind     string  `json:"kind"`
	Position float64 `json:"position"`
}

// Group is an affinity cluster of notes inside a column.
type Group struct {
	ID       string  `json:"id"`
	ColumnID string  `json:"columnId"`
	Title    string  `json:"title"`
	Position float64 `json:"position"`
	Votes    int     `json:"votes"`
	USG      USG     `json:"usg"`
}

// Note is a sticky note. Votes and USG are aggregates kept by State.
// Revealed records whether the note may be read by everyone while the
// private brainstorm is on: notes written before it started, or after a
// reveal, are born revealed. Anonymous records that the note was written
// while the session was anonymous: its author stays withheld for good,
// even after the facilitator turns anonymity off (the writer was promised
// anonymity when they wrote it).
type Note struct {
	ID         string    `json:"id"`
	ColumnID   string    `json:"columnId"`
	GroupID    string    `json:"groupId"`
	Text       string    `json:"text"`
	Color      string    `json:"color"`
	Position   float64   `json:"position"`
	AuthorID   string    `json:"authorId"`
	AuthorName string    `json:"authorName"`
	Revealed   bool      `json:"revealed"`
	Anonymous  bool      `json:"anonymous,omitempty"`
	Votes      int       `json:"votes"`
	USG        USG       `json:"usg"`
	CreatedAt  time.Time `json:"createdAt"`
}

// USG is the team's mean Urgency, Seriousness and Growth for a target.
type USG struct {
	U      float64 `json:"u"`
	S      float64 `json:"s"`
	G      float64 `json:"g"`
	Total  float64 `json:"total"`
	Raters int     `json:"raters"`
}

// Score is one participant's USG score for a target.
type Score struct {
	ParticipantID string `json:"participantId"`
	TargetID      string `json:"targetId"`
	U             int    `json:"u"`
	S             int    `json:"s"`
	G             int    `json:"g"`
}

// Vote is how many dots one participant put on one target.
type Vote struct {
	ParticipantID string `json:"participantId"`
	TargetID      string `json:"targetId"`
	Count         int    `json:"count"`
}

// Link is a typed link From → To between notes or groups; Kind is one of
// the Link* kinds (links.go says which column kinds each joins).
type Link struct {
	ID     string `json:"id"`
	FromID string `json:"fromId"`
	ToID   string `json:"toId"`
	Kind   string `json:"kind"`
}

// Action is a follow-up (tindak lanjut) with a person in charge and a deadline.
type Action struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Owner    string `json:"owner"`
	Due      string `json:"due"`
	TargetID string `json:"targetId"`
	Done     bool   `json:"done"`

	// The action register (register.go). Area is the area perubahan named
	// by a tag ("" = from the target's column, if it is one); Status is
	// belum, proses or selesai ("" = from Done, for actions stored before);
	// StatusAt is when it was last set (the register takes the latest
	// across sessions). Progress and Evidence are the progress notes and
	// evidence links reported on it. Origin is set on a copy of another
	// session's action, made when a monitoring session starts: its updates
	// flow back to that action in the register.
	Area     string         `json:"area,omitempty"`
	Status   string         `json:"status,omitempty"`
	StatusAt time.Time      `json:"statusAt,omitzero"`
	Progress []ProgressNote `json:"progress,omitempty"`
	Evidence []string       `json:"evidence,omitempty"`
	Origin   *ActionOrigin  `json:"origin,omitempty"`
}

// Record is the conclusion written for a note, a group, or ("" target) the session.
type Record struct {
	TargetID string    `json:"targetId"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
}

// Participant is someone who joined. TokenHash never leaves the store and
// the server; it is here so a room can authenticate without a query.
type Participant struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Unit      string    `json:"unit"`
	Role      Role      `json:"role"`
	JoinedAt  time.Time `json:"joinedAt"`
	Removed   bool      `json:"removed"`
	TokenHash []byte    `json:"-"`

	// NIP, Jabatan and the signature are the participant's own entries for
	// the signed attendance list (daftar hadir); see signatures.go. They are
	// personal data: ParticipantView shows them only to whom MaySeePersonal
	// allows.
	NIP       string    `json:"nip,omitempty"`
	Jabatan   string    `json:"jabatan,omitempty"`
	Signature string    `json:"signature,omitempty"`
	SignedAt  time.Time `json:"signedAt,omitzero"`

	// MergedInto is the participant this row was merged into (merge.go);
	// such a row is Removed and its tokens are the survivor's devices.
	MergedInto string `json:"mergedInto,omitempty"`
}
