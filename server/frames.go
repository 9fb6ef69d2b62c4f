package server

import (
	"bytes"
	"encoding/json"
	"sync"

	"rembuk/board"
)

// Server-to-client frames other than events (board.OutEvent).
type (
	ackFrame struct {
		Type string `json:"type"`
		Ref  string `json:"ref"`
		Seq  int64  `json:"seq"`
		ID   string `json:"id,omitempty"`
	}
	errorFrame struct {
		Type    string `json:"type"`
		Ref     string `json:"ref,omitempty"`
		Code    string `json:"code"`
		Message string `json:"message"`
		// Close is the close code that follows this frame, where the
		// transport cannot carry one (SSE): 4008 for a replaced connection.
		Close int `json:"close,omitempty"`
	}
	welcomeBoard struct {
		Type  string          `json:"type"`
		Board board.BoardView `json:"board"`
	}
	welcomeEvents struct {
		Type   string            `json:"type"`
		Seq    int64             `json:"seq"`
		Events []json.RawMessage `json:"events"`
		// Rules is the command table, as in a full board: a page that
		// resumes from a board it kept may be older than this server.
		Rules map[string]board.CommandRule `json:"rules"`
	}
	presenceFrame struct {
		Type         string          `json:"type"`
		Participants []presenceEntry `json:"participants"`
	}
	presenceEntry struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Online bool   `json:"online"`
	}
	// helloFrame is the client's first frame. Progress asks for a
	// loadingFrame before a big welcome.
	helloFrame struct {
		Type     string `json:"type"`
		Token    string `json:"token"`
		Since    *int64 `json:"since"`
		Progress bool   `json:"progress"`
	}
	// loadingFrame announces a welcome of Bytes bytes (bulkFrameBytes and
	// over) to a client that asked (hello's progress, SSE's ?progress=1),
	// so a page can say what it is waiting for: a WebSocket or an
	// EventSource hands over a message only once it is complete.
	loadingFrame struct {
		Type  string `json:"type"`
		Bytes int    `json:"bytes"`
	}
)

// encode marshals a frame. Our frame types always encode; a failure is a
// programming error, and the empty object keeps the connection sane.
//
// HTML is not escaped: the page inserts every text as text, never through
// an HTML sink, and escaping wrote each of `<`, `>` and `&` as six bytes, so
// a note of 1,000 `<` became a 6 KB frame (issue 9).
func encode(v any) []byte {
	e := encoders.Get().(*encoder)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		encoders.Put(e)
		return []byte(`{"type":"error","code":"internal","message":"internal error"}`)
	}
	// One allocation of the frame's own size: the buffer is lent again
	// (growing a fresh one from 64 bytes took four allocations for an
	// event), and frames kept in the resume window hold no slack.
	b := bytes.Clone(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
	if e.buf.Cap() <= 64<<10 {
		encoders.Put(e) // a big board's buffer is not kept
	}
	return b
}

// encoder is a buffer with its JSON encoder, lent by encoders.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// encoders lends encode its buffers (stateless between uses, like
// batchPool).
var encoders = sync.Pool{New: func() any {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

func encodeError(ref, code, msg string) []byte {
	return encode(errorFrame{Type: "error", Ref: ref, Code: code, Message: msg})
}

func encodeAck(ref string, a board.Ack) []byte {
	return encode(ackFrame{Type: "ack", Ref: ref, Seq: a.Seq, ID: a.CreatedID})
}

// appendTextHeader appends the header of one final, unmasked WebSocket
// text frame of n payload bytes (RFC 6455 §5.2), as a server sends it. The
// socket writer frames a whole queue this way and writes it with one
// system call instead of one per frame: on a paste to a room, the
// per-frame writes were half of the server's CPU (docs/performance.md).
func appendTextHeader(dst []byte, n int) []byte {
	const finText = 0x81
	switch {
	case n < 126:
		return append(dst, finText, byte(n))
	case n <= 0xFFFF:
		return append(dst, finText, 126, byte(n>>8), byte(n))
	default:
		return append(dst, finText, 127, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32),
			byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}
