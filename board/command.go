package board

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// Command is one client request to change the board. It is one flat shape
// for every command type; pointer fields tell "absent" from "zero", and
// TargetID.Set tells an explicit null from an absent key.
type Command struct {
	Type                string     `json:"type"`
	Ref                 string     `json:"ref"`
	ID                  string     `json:"id,omitempty"`
	ColumnID            string     `json:"columnId,omitempty"`
	GroupID             *string    `json:"groupId,omitempty"`
	Text                *string    `json:"text,omitempty"`
	Color               *string    `json:"color,omitempty"`
	Position            *float64   `json:"position,omitempty"`
	Title               *string    `json:"title,omitempty"`
	Kind                *string    `json:"kind,omitempty"`
	NoteIDs             []string   `json:"noteIds,omitempty"`
	TargetID            NullString `json:"targetId,omitzero"`
	FromID              string     `json:"fromId,omitempty"`
	ToID                string     `json:"toId,omitempty"`
	U                   int        `json:"u,omitempty"`
	S                   int        `json:"s,omitempty"`
	G                   int        `json:"g,omitempty"`
	Owner               *string    `json:"owner,omitempty"`
	Due                 *string    `json:"due,omitempty"`
	Done                *bool      `json:"done,omitempty"`
	Role                string     `json:"role,omitempty"`
	Phase               string     `json:"phase,omitempty"`
	Seconds             int        `json:"seconds,omitempty"`
	Anonymous           *bool      `json:"anonymous,omitempty"`
	PrivateBrainstorm   *bool      `json:"privateBrainstorm,omitempty"`
	VotesPerParticipant *int       `json:"votesPerParticipant,omitempty"`
	Locked              *bool      `json:"locked,omitempty"`
	JoiningClosed       *bool      `json:"joiningClosed,omitempty"`
	// APKL: settings.update's APKL switches; A, P, K, L: apkl.score.
	APKL      *APKLPatch `json:"apkl,omitempty"`
	A         *int       `json:"a,omitempty"`
	P         *int       `json:"p,omitempty"`
	K         *int       `json:"k,omitempty"`
	L         *int       `json:"l,omitempty"`
	ShowUnits *bool      `json:"showUnits,omitempty"`
	// HideResults: settings.update's switch (Settings.HideResults).
	HideResults *bool `json:"hideResults,omitempty"`
	// participant.sign and participant.update (signatures.go).
	Path    *string `json:"path,omitempty"`
	NIP     *string `json:"nip,omitempty"`
	Jabatan *string `json:"jabatan,omitempty"`
	// IntoID: participant.merge's surviving row (merge.go).
	IntoID string `json:"intoId,omitempty"`
	// The action register (register.go): action.add/update's status and
	// area, action.progress's status and evidence links.
	Status   *string  `json:"status,omitempty"`
	Area     *string  `json:"area,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
	// Invitation: invitation.set's letter fields (invitation.go).
	Invitation *Invitation `json:"invitation,omitempty"`
}

// NullString is a JSON string that may be null; Set is true when the key
// was present (null or not), Valid when it held a string.
type NullString struct {
	Value string
	Valid bool
	Set   bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *NullString) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(b, []byte("null")) {
		n.Valid, n.Value = false, ""
		return nil
	}
	n.Valid = true
	return json.Unmarshal(b, &n.Value)
}

// MarshalJSON implements json.Marshaler.
func (n NullString) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(n.Value)
}

// IsZero lets omitzero drop an absent value.
func (n NullString) IsZero() bool { return !n.Set }

// Str returns a NullString holding s.
func Str(s string) NullString { return NullString{Value: s, Valid: true, Set: true} }

// DecodeCommand parses one client frame into a Command. It checks only the
// shape (JSON, known type, ref); what the command may do is Decide's job.
func DecodeCommand(frame []byte) (Command, error) {
	var c Command
	if len(frame) > MaxClientFrame {
		return c, Errorf(CodeTooLarge, "frame larger than %d bytes", MaxClientFrame)
	}
	if !utf8.Valid(frame) {
		return c, Errorf(CodeInvalid, "frame is not valid UTF-8")
	}
	if err := json.Unmarshal(frame, &c); err != nil {
		// A field of the wrong type still leaves the ref decoded: keep it,
		// so the client learns which of its commands was refused.
		ref := c.Ref
		if len(ref) > MaxRefLen {
			ref = ""
		}
		return Command{Ref: ref}, Errorf(CodeInvalid, "frame is not a valid command object")
	}
	if !IsCommandType(c.Type) {
		return Command{Ref: c.Ref}, Errorf(CodeInvalid, "unknown command type")
	}
	if c.Ref == "" || len(c.Ref) > MaxRefLen {
		return Command{Ref: c.Ref}, Errorf(CodeInvalid, "ref is required (at most %d bytes)", MaxRefLen)
	}
	return c, nil
}
