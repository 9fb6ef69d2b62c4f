package board

import (
	"encoding/json"
	"time"
)

// Event is one stored change: what the event log holds and what viewers
// receive after projection. Data is one of the *Data types below, full and
// unredacted; only Project decides what of it a viewer gets.
type Event struct {
	Seq     int64     `json:"seq"`
	Name    string    `json:"event"`
	Data    any       `json:"data"`
	ActorID string    `json:"actorId"`
	At      time.Time `json:"at"`
}

// Event data shapes. Fields tagged "-" are kept in the log for projection
// (who voted, who scored) but never sent as such.
type (
	NoteData struct {
		Note Note `json:"note"`
	}
	GroupData struct {
		Group   Group    `json:"group"`
		NoteIDs []string `json:"noteIds,omitempty"`
	}
	ColumnData struct {
		Column Column `json:"column"`
	}
	LinkData struct {
		Link Link `json:"link"`
	}
	ActionData struct {
		Action Action `json:"action"`
	}
	RecordData struct {
		Record Record `json:"record"`
	}
	// ParticipantData: Notes is set when the join moves a unit across
	// MinUnitSize while units are shown (State.unitShift): every note then
	// goes out again, projected per viewer, like NotesData's.
	ParticipantData struct {
		Participant Participant `json:"participant"`
		Notes       []Note      `json:"notes,omitempty"`
	}
	// IDData names what was deleted. Anonymous (note.deleted only) is kept
	// in the log for projection and never sent.
	IDData struct {
		ID        string `json:"id"`
		Anonymous bool   `json:"anonymous,omitempty"`
	}
	// PhaseData: Notes, Groups and APKL are set only when the change of
	// phase shows or hides the team's results (Settings.HideResults).
	PhaseData struct {
		Phase  Phase                 `json:"phase"`
		Notes  []Note                `json:"notes,omitempty"`
		Groups []Group               `json:"groups,omitempty"`
		APKL   map[string]APKLResult `json:"apkl,omitempty"`
	}
	TimerData struct {
		Timer *Timer `json:"timer"`
	}
	SpotlightData struct {
		TargetID *string `json:"targetId"`
	}
	ClosedData struct {
		ClosedAt time.Time `json:"closedAt"`
	}
	// VoteData: Voter and VoterVotes are stored to tell the voter their own count.
	VoteData struct {
		TargetID   string `json:"targetId"`
		Votes      int    `json:"votes"`
		Voter      string `json:"voter"`
		VoterVotes int    `json:"voterVotes"`
	}
	// USGData: Scorer and Score are stored to show the scorer their own pick.
	USGData struct {
		TargetID string `json:"targetId"`
		USG      USG    `json:"usg"`
		Scorer   string `json:"scorer"`
		Score    Score  `json:"score"`
	}
	// NotesData carries every note, for events that change what viewers may
	// read of all of them at once (a reveal, a settings change).
	NotesData struct {
		Settings *Settings `json:"settings,omitempty"`
		Revealed bool      `json:"revealed"`
		Notes    []Note    `json:"notes"`
		// APKL carries every rated item's result when the APKL raters
		// setting changes which ratings count.
		APKL map[string]APKLResult `json:"apkl,omitempty"`
		// Groups carries every group when the results are shown or hidden
		// again (Settings.HideResults).
		Groups []Group `json:"groups,omitempty"`
	}
	// CodeData is a session's new join code; only staff read it.
	CodeData struct {
		JoinCode string `json:"joinCode"`
	}
	// RemovedData names a participant who was removed; Notes as in
	// ParticipantData.
	RemovedData struct {
		ID    string `json:"id"`
		Notes []Note `json:"notes,omitempty"`
	}
)

// eventKind is one entry of the event table: how to decode an event's
// stored data back into the value type that Execute produces, so
// projection sees one shape either way.
type eventKind struct {
	decode func(raw []byte) (any, error)
}

// kind is the entry for an event whose data is a T.
func kind[T any]() eventKind {
	return eventKind{decode: func(raw []byte) (any, error) {
		var v T
		err := json.Unmarshal(raw, &v)
		return v, err
	}}
}

// events is the event table: every event name and its data type. Adding an
// event is one entry here plus the handler that emits it.
var events = map[string]eventKind{
	"note.added":              kind[NoteData](),
	"note.updated":            kind[NoteData](),
	"note.moved":              kind[NoteData](),
	"note.deleted":            kind[IDData](),
	"group.added":             kind[GroupData](),
	"group.updated":           kind[GroupData](),
	"group.deleted":           kind[IDData](),
	"column.added":            kind[ColumnData](),
	"column.updated":          kind[ColumnData](),
	"column.deleted":          kind[IDData](),
	"link.added":              kind[LinkData](),
	"link.deleted":            kind[IDData](),
	"action.added":            kind[ActionData](),
	"action.updated":          kind[ActionData](),
	"action.deleted":          kind[IDData](),
	"action.progressed":       kind[ActionData](),
	"record.set":              kind[RecordData](),
	"participant.joined":      kind[ParticipantData](),
	"participant.changed":     kind[ParticipantData](),
	"participant.removed":     kind[RemovedData](),
	"phase.changed":           kind[PhaseData](),
	"timer.changed":           kind[TimerData](),
	"spotlight.changed":       kind[SpotlightData](),
	"session.closed":          kind[ClosedData](),
	"vote.changed":            kind[VoteData](),
	"usg.changed":             kind[USGData](),
	"settings.changed":        kind[NotesData](),
	"notes.revealed":          kind[NotesData](),
	"session.codeChanged":     kind[CodeData](),
	"apkl.changed":            kind[APKLData](),
	"participant.signed":      kind[ParticipantData](),
	"attendance.requested":    kind[AttendanceData](),
	"invitation.changed":      kind[InvitationData](),
	"participant.deviceAdded": kind[DeviceData](),
	"participant.merged":      kind[MergedData](),
}

// DecodeEventData parses stored event data back into its typed form. An
// unknown name (a log written by a newer version) decodes as a plain map.
func DecodeEventData(name string, raw []byte) (any, error) {
	k, ok := events[name]
	if !ok {
		k = kind[map[string]any]()
	}
	return k.decode(raw)
}

// Change is the outcome of one accepted command: the event to log and
// broadcast, the rows to write, and what the ack tells the sender. The
// ref belongs to the event's actor (Event.ActorID). Event.Seq stays 0
// until the room learns it from the store.
type Change struct {
	Event     Event
	Puts      []Put
	Ref       string
	CreatedID string
}

// Ack is the first outcome of an accepted command, kept so the same ref
// sent again is acknowledged with the same seq and id.
type Ack struct {
	Seq       int64
	CreatedID string
}

// RefKey is the idempotency key of a participant's ref.
func RefKey(participantID, ref string) string { return participantID + "\x00" + ref }
