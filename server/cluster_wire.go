package server

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"

	"rembuk/board"
)

// The messages between nodes (docs/cluster.md, "Nodes and broker").
//
// A thin node asks the owner on rembuk.cmd.<session> with a JSON
// cmdRequest and gets a JSON cmdResponse. The owner sends each forwarded
// connection's frames to rembuk.node.<node> as linkMsgs: a binary header
// and the frame's bytes as the page receives them.

// Kinds of cmdRequest.
const (
	kindAttach = "attach" // a connection opens (or resumes): a remote client at the owner
	kindCmd    = "cmd"    // a command of an attached connection; its ack comes as a frame
	kindDetach = "detach" // the connection closed
	kindHTTP   = "http"   // a command of the HTTP fallback: the answer is in the response
	kindJoin   = "join"   // POST /api/join
	kindView   = "view"   // who is online, for a read the thin node runs on the stored state
	kindPhotos = "photos" // the session's photos changed
	kindStop   = "stop"   // the session was deleted
	kindBeat   = "beat"   // the thin node is alive and holds these connections
	kindRaw    = "raw"    // an HTTP request whose handler calls the room with a closure (cluster_http.go)
)

// cmdRequest is one request to a session's owner.
type cmdRequest struct {
	Kind     string             `json:"k"`
	Node     string             `json:"n"`
	Inc      uint64             `json:"i"`           // the asking node's run (see peer)
	RID      uint64             `json:"r,omitempty"` // the connection at the thin node, fresh per attach
	Token    []byte             `json:"t,omitempty"` // the token's hash
	Since    *int64             `json:"s,omitempty"`
	Progress bool               `json:"p,omitempty"`
	Resume   bool               `json:"re,omitempty"` // events one by one, not a welcome (a resume under a live socket)
	Cmd      json.RawMessage    `json:"c,omitempty"`
	Join     *board.Participant `json:"j,omitempty"`
	Code     string             `json:"code,omitempty"` // the join code typed
	Count    int                `json:"count,omitempty"`
	RIDs     []uint64           `json:"rids,omitempty"` // beat: the connections the thin node holds
	MaxRID   uint64             `json:"max,omitempty"`  // beat: RIDs lists every connection up to this one
	Method   string             `json:"m,omitempty"`    // raw: the HTTP request
	URI      string             `json:"u,omitempty"`
	Headers  map[string]string  `json:"h,omitempty"`
	Body     []byte             `json:"b,omitempty"`
	Addr     string             `json:"a,omitempty"` // raw: the client's address, for its limits
}

// cmdResponse answers a cmdRequest.
type cmdResponse struct {
	Code    string            `json:"code,omitempty"` // an error's contract code ("" when none)
	Message string            `json:"msg,omitempty"`
	PID     string            `json:"pid,omitempty"`  // attach: the participant
	Frame   []byte            `json:"f,omitempty"`    // http: the ack or error frame
	Online  []string          `json:"on,omitempty"`   // view: who is online
	Unknown []uint64          `json:"unk,omitempty"`  // beat: connections the owner does not hold
	Link    uint64            `json:"link,omitempty"` // beat: the link to the node, and the last seq sent on it
	Seq     uint64            `json:"seq,omitempty"`
	Status  int               `json:"st,omitempty"` // raw: the HTTP answer
	Headers map[string]string `json:"h,omitempty"`
	Body    []byte            `json:"b,omitempty"`
}

// errUnknownConn answers a cmd for a connection the owner does not hold
// (it restarted its room, or dropped the node after missed heartbeats):
// the thin node attaches it again.
const codeUnknownConn = "unknown_conn"

// err returns the response's error (nil when none).
func (r cmdResponse) err() error {
	if r.Code == "" {
		return nil
	}
	return &board.Error{Code: r.Code, Message: r.Message}
}

func errResponse(err error, safe func(error) (string, string)) cmdResponse {
	code, msg := safe(err)
	return cmdResponse{Code: code, Message: msg}
}

// Link messages: kinds.
const (
	linkFan   = 'g' // entries (appendEntry), in order: what the owner's room queued for the node's connections
	linkChunk = 'm' // a piece of the next linkFan message's first entry's body, more to come
)

// Kinds of entries of a linkFan message.
const (
	linkFrame = 'f' // one frame, the same bytes for each listed connection
	linkClose = 'c' // the owner closed the listed connections (code in the entry, text as body)
)

// linkHeader precedes each message on rembuk.node.<node>. Seq counts the
// messages of one link — one owner's room to one node — from 1, so the
// node notices a lost message; Link names that link (new when the owner's
// room starts again). RID and Close are 0: the entries name their
// connections (they were per message before messages carried entries).
type linkHeader struct {
	Kind    byte
	Inc     uint64 // the receiving node's run; another run's messages are dropped
	Link    uint64
	Seq     uint64
	RID     uint64
	Close   uint16
	Session string
}

// linkSeqAt is where a header holds its seq: a link's sender fills it in
// just before publishing.
const linkSeqAt = 1 + 8 + 8

const linkHeaderMax = 1 + 8*4 + 2 + 1 + 255

func appendLink(dst []byte, h linkHeader, payload []byte) []byte {
	dst = append(dst, h.Kind)
	dst = binary.BigEndian.AppendUint64(dst, h.Inc)
	dst = binary.BigEndian.AppendUint64(dst, h.Link)
	dst = binary.BigEndian.AppendUint64(dst, h.Seq)
	dst = binary.BigEndian.AppendUint64(dst, h.RID)
	dst = binary.BigEndian.AppendUint16(dst, h.Close)
	dst = append(dst, byte(len(h.Session)))
	dst = append(dst, h.Session...)
	return append(dst, payload...)
}

var errBadLink = errors.New("malformed link message")

// An entry of a linkFan message: kind (1 byte), close code (2), the
// number of connections (4), their rids (8 each), the body's length (4)
// and the body, big-endian.
const entryFixed = 1 + 2 + 4 + 4

func entrySize(rids, body int) int { return entryFixed + 8*rids + body }

func appendEntry(dst []byte, kind byte, code uint16, rids []uint64, body []byte) []byte {
	dst = append(dst, kind)
	dst = binary.BigEndian.AppendUint16(dst, code)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(rids)))
	for _, rid := range rids {
		dst = binary.BigEndian.AppendUint64(dst, rid)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(body)))
	return append(dst, body...)
}

// linkEntry is an entry read from a message; its rids and body are the
// broker's bytes.
type linkEntry struct {
	kind byte
	code uint16
	rids []byte // 8 bytes each
	body []byte
}

func (e linkEntry) count() int       { return len(e.rids) / 8 }
func (e linkEntry) rid(i int) uint64 { return binary.BigEndian.Uint64(e.rids[8*i:]) }

// nextEntry reads the entry at the start of b; n is its whole size (0
// when b does not hold a whole entry).
func nextEntry(b []byte) (e linkEntry, n int) {
	if len(b) < entryFixed {
		return e, 0
	}
	count := int(binary.BigEndian.Uint32(b[3:]))
	if count > (len(b)-entryFixed)/8 {
		return e, 0
	}
	at := 7 + 8*count
	size := int(binary.BigEndian.Uint32(b[at:]))
	if size > len(b)-at-4 {
		return e, 0
	}
	e = linkEntry{kind: b[0], code: binary.BigEndian.Uint16(b[1:]), rids: b[7:at], body: b[at+4 : at+4+size]}
	return e, at + 4 + size
}

func parseLink(b []byte) (linkHeader, []byte, error) {
	var h linkHeader
	const fixed = 1 + 8*4 + 2 + 1
	if len(b) < fixed {
		return h, nil, errBadLink
	}
	h.Kind = b[0]
	h.Inc = binary.BigEndian.Uint64(b[1:])
	h.Link = binary.BigEndian.Uint64(b[9:])
	h.Seq = binary.BigEndian.Uint64(b[17:])
	h.RID = binary.BigEndian.Uint64(b[25:])
	h.Close = binary.BigEndian.Uint16(b[33:])
	n := int(b[35])
	if len(b) < fixed+n {
		return h, nil, errBadLink
	}
	h.Session = string(b[fixed : fixed+n])
	return h, b[fixed+n:], nil
}

// Prefixes of the frames that carry a seq. encode writes a struct's
// fields in order, so they are fixed (frames.go, board.OutEvent).
var seqPrefixes = [][]byte{
	[]byte(`{"type":"event","seq":`),
	[]byte(`{"type":"welcome","seq":`),
	[]byte(`{"type":"welcome","board":{"seq":`),
}

// frameSeq returns the seq a frame brings the client to (-1 when the
// frame carries none): an event's, or a welcome's.
func frameSeq(b []byte) int64 {
	for _, p := range seqPrefixes {
		if bytes.HasPrefix(b, p) {
			rest := b[len(p):]
			end := bytes.IndexAny(rest, ",}")
			if end < 0 {
				return -1
			}
			n, err := strconv.ParseInt(string(rest[:end]), 10, 64)
			if err != nil {
				return -1
			}
			return n
		}
	}
	return -1
}

var (
	ackPrefix = []byte(`{"type":"ack","ref":`)
	errPrefix = []byte(`{"type":"error","ref":`)
)

// frameRef returns the ref an ack or error frame answers ("" when none).
func frameRef(b []byte) string {
	if !bytes.HasPrefix(b, ackPrefix) && !bytes.HasPrefix(b, errPrefix) {
		return ""
	}
	var f struct {
		Ref string `json:"ref"`
	}
	json.Unmarshal(b, &f)
	return f.Ref
}
