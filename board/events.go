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
	ParticipantData struct {
		Participant Participant `json:"participant"`
	}
	IDData struct {
		ID string `json:"id"`
	}
	PhaseData struct {
		Phase Phase `json:"phase"`
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
	}
	// CodeData is a session's new join code; only staff read it.
	CodeData struct {
		JoinCode string `json:"joinCode"`
	}
	// RemovedData names a participant who was removed.
	RemovedData struct {
		ID string `json:"id"`
	}
)

// dataFor maps an event name to a fresh value of its data type, for decoding
// the log.
func dataFor(name string) any {
	switch name {
	case "note.added", "note.updated", "note.moved":
		return &NoteData{}
	case "group.added", "group.updated":
		return &GroupData{}
	case "column.added", "column.updated":
		return &ColumnData{}
	case "link.added":
		return &LinkData{}
	case "action.added", "action.updated":
		return &ActionData{}
	case "record.set":
		return &RecordData{}
	case "participant.joined", "participant.changed":
		return &ParticipantData{}
	case "participant.removed":
		return &RemovedData{}
	case "note.deleted", "group.deleted", "column.deleted", "link.deleted", "action.deleted":
		return &IDData{}
	case "phase.changed":
		return &PhaseData{}
	case "timer.changed":
		return &TimerData{}
	case "spotlight.changed":
		return &SpotlightData{}
	case "session.closed":
		return &ClosedData{}
	case "vote.changed":
		return &VoteData{}
	case "usg.changed":
		return &USGData{}
	case "settings.changed", "notes.revealed":
		return &NotesData{}
	case "session.codeChanged":
		return &CodeData{}
	}
	return &map[string]any{}
}

// DecodeEventData parses stored event data back into its typed form.
func DecodeEventData(name string, raw []byte) (any, error) {
	v := dataFor(name)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return derefData(v), nil
}

// derefData turns the pointer from dataFor into the value type that
// Execute produces, so projection sees one shape either way.
func derefData(v any) any {
	switch x := v.(type) {
	case *NoteData:
		return *x
	case *GroupData:
		return *x
	case *ColumnData:
		return *x
	case *LinkData:
		return *x
	case *ActionData:
		return *x
	case *RecordData:
		return *x
	case *ParticipantData:
		return *x
	case *RemovedData:
		return *x
	case *IDData:
		return *x
	case *PhaseData:
		return *x
	case *TimerData:
		return *x
	case *SpotlightData:
		return *x
	case *ClosedData:
		return *x
	case *VoteData:
		return *x
	case *USGData:
		return *x
	case *NotesData:
		return *x
	case *CodeData:
		return *x
	}
	return v
}

// Change is the outcome of one accepted command: the event to log and
// broadcast, the rows to write, and what the ack tells the sender.
type Change struct {
	Event         Event
	Puts          []Put
	Ref           string
	ParticipantID string
	CreatedID     string
}

// Ack is the first outcome of an accepted command, kept so the same ref
// sent again is acknowledged with the same seq and id.
type Ack struct {
	Seq       int64
	CreatedID string
}

// RefKey is the idempotency key of a participant's ref.
func RefKey(participantID, ref string) string { return participantID + "\x00" + ref }
