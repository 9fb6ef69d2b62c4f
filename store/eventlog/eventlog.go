// Package eventlog is the part of the event log every store shares, with
// no I/O: the rows a change put as the log keeps them (one JSON column of
// the change's event), and their replay over a snapshot into a
// board.State. store (SQLite) and store/postgres both write and read the
// log through it, so a session loads into the same state from either.
package eventlog

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"rembuk/board"
)

// Put is one row a change wrote, as the log keeps it. Value nil deletes
// the row; Hash is a participant's token hash (only its first is kept).
type Put struct {
	Kind  string          `json:"k"`
	ID    string          `json:"i,omitempty"`
	Value json.RawMessage `json:"v,omitempty"`
	Hash  []byte          `json:"h,omitempty"`
}

// Encode is the puts of a change as the log keeps them, and their JSON
// for the event's puts column (nil: none, the column is NULL).
func Encode(puts []board.Put) ([]Put, []byte, error) {
	if len(puts) == 0 {
		return nil, nil, nil
	}
	out := make([]Put, len(puts))
	// The column's JSON is written here as each put is encoded: marshalling
	// out would copy and re-scan every value (a RawMessage is compacted).
	size := 2
	for i, p := range puts {
		out[i] = Put{Kind: p.Kind, ID: p.ID}
		if p.Value != nil {
			b, err := json.Marshal(p.Value)
			if err != nil {
				return nil, nil, err
			}
			out[i].Value = b
			if pp, ok := p.Value.(*board.Participant); ok {
				out[i].Hash = pp.TokenHash
			}
		}
		// The tags, quotes and commas: 24 bytes; the hash in base64.
		size += len(p.Kind) + len(p.ID) + len(out[i].Value) + 4*len(out[i].Hash)/3 + 32
	}
	col := append(make([]byte, 0, size), '[')
	for i := range out {
		if i > 0 {
			col = append(col, ',')
		}
		col = out[i].appendJSON(col)
	}
	return out, append(col, ']'), nil
}

// appendJSON appends p as encoding/json writes it (the tags of Put).
func (p *Put) appendJSON(b []byte) []byte {
	b = append(b, `{"k":`...)
	b = appendString(b, p.Kind)
	if p.ID != "" {
		b = append(b, `,"i":`...)
		b = appendString(b, p.ID)
	}
	if len(p.Value) > 0 {
		b = append(b, `,"v":`...)
		b = append(b, p.Value...)
	}
	if len(p.Hash) > 0 {
		b = append(b, `,"h":"`...)
		b = base64.StdEncoding.AppendEncode(b, p.Hash)
		b = append(b, '"')
	}
	return append(b, '}')
}

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it. Kinds and ids are the board's own (kind names, UUIDs), but
// the column must not depend on it.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		case c >= utf8.RuneSelf:
			// Invalid UTF-8 becomes U+FFFD, as encoding/json writes it
			// (PostgreSQL refuses invalid text).
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				b = append(b, `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			default:
				b = append(b, s[i:i+n]...)
			}
			i += n - 1
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// Rows is the last put of each row, as a snapshot plus a log replay
// leaves it, keyed by RowKey.
type Rows struct{ ByKey map[string]*Put }

// NewRows is an empty set of rows.
func NewRows() *Rows { return &Rows{ByKey: map[string]*Put{}} }

// RowKey names a row: its kind and id (a session has one row).
func RowKey(p *Put) string {
	if p.Kind == board.EntSession {
		return p.Kind // a session has one row; its id is the session's
	}
	return p.Kind + "\x00" + p.ID
}

// Add puts p over the row it names.
func (rs *Rows) Add(p *Put) {
	k := RowKey(p)
	if old, ok := rs.ByKey[k]; ok && len(old.Hash) > 0 {
		p.Hash = old.Hash // the token hash written first stays
	}
	rs.ByKey[k] = p
}

// AddJSON adds the puts of one event's puts column, in order.
func (rs *Rows) AddJSON(puts []byte) error {
	var ps []*Put
	if err := json.Unmarshal(puts, &ps); err != nil {
		return err
	}
	for _, p := range ps {
		rs.Add(p)
	}
	return nil
}

// State decodes the rows into a board state (aggregates not yet counted:
// the caller sets Seq and calls Recount).
func (rs *Rows) State() (*board.State, error) {
	sp, ok := rs.ByKey[board.EntSession]
	if !ok || sp.Value == nil {
		return nil, errors.New("no session row")
	}
	var sess board.Session
	if err := json.Unmarshal(sp.Value, &sess); err != nil {
		return nil, err
	}
	st := board.NewState(sess)
	for _, p := range rs.ByKey {
		if p.Kind == board.EntSession || p.Value == nil {
			continue
		}
		v := NewEntity(p.Kind)
		if v == nil {
			return nil, fmt.Errorf("unknown entity kind %q", p.Kind)
		}
		if err := json.Unmarshal(p.Value, v); err != nil {
			return nil, fmt.Errorf("%s %s: %w", p.Kind, p.ID, err)
		}
		if pp, ok := v.(*board.Participant); ok {
			pp.TokenHash = p.Hash
		}
		st.Load(p.Kind, v)
	}
	return st, nil
}

// NewEntity is a pointer to a new value of the board type of kind (nil
// for a kind it does not know).
func NewEntity(kind string) any {
	switch kind {
	case board.EntSession:
		return &board.Session{}
	case board.EntParticipant:
		return &board.Participant{}
	case board.EntColumn:
		return &board.Column{}
	case board.EntGroup:
		return &board.Group{}
	case board.EntNote:
		return &board.Note{}
	case board.EntLink:
		return &board.Link{}
	case board.EntAction:
		return &board.Action{}
	case board.EntRecord:
		return &board.Record{}
	case board.EntVote:
		return &board.Vote{}
	case board.EntScore:
		return &board.Score{}
	case board.EntAPKL:
		return &board.APKLRating{}
	case board.EntDevice:
		return &board.Device{}
	}
	return nil
}
