package eventlog

import (
	"bytes"
	"encoding/json"
	"testing"

	"rembuk/board"
)

// TestEncodeWritesWhatEncodingJSONWrites: the puts column written by hand
// is byte for byte what json.Marshal writes for the same puts, including
// ids that need escaping and invalid UTF-8, so a log written before and
// after reads back the same.
func TestEncodeWritesWhatEncodingJSONWrites(t *testing.T) {
	for _, puts := range [][]board.Put{
		{{Kind: board.EntNote, ID: "n1", Value: &board.Note{ID: "n1", Text: "Antrean <panjang> & \"lama\"\n"}}},
		{{Kind: board.EntNote, ID: "gone"}}, // a deletion: no value
		{{Kind: board.EntSession, Value: &board.Session{ID: "s1", Title: "Rapat \u2028 ZI"}}},
		{{Kind: board.EntParticipant, ID: "p1", Value: &board.Participant{ID: "p1", Name: "Sri", TokenHash: []byte{0, 1, 2, 250, 251}}}},
		{{Kind: "k\"\\\x01\x1f", ID: "bad\xff\xfeutf8 é ✓ <a&b> \u2028\u2029"}, {Kind: board.EntGroup, ID: "g1", Value: &board.Group{ID: "g1"}}},
	} {
		out, got, err := Encode(puts)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("puts column\n got %s\nwant %s", got, want)
		}
		var back []Put
		if err := json.Unmarshal(got, &back); err != nil || len(back) != len(puts) {
			t.Errorf("the column does not read back: %v (%d puts)", err, len(back))
		}
	}
}
