package server

import (
	"bytes"
	"encoding/json"

	"rembuk/board"
)

// A welcome with the whole board is mostly notes, and the notes are the
// same for every viewer of a role except the viewer's own (board.OwnNote).
// So the room encodes the board's notes once per role and seq (classNotes),
// and each welcome is a frame of parts: the viewer's own head (session,
// groups, participants, "you" — small), runs of the shared notes, the
// viewer's own notes encoded apart, and the tail. No part is copied per
// connection; 150 connections to a 5.7 MiB board hold one encoding, not
// 150 (issue 9).

// classNotes is a board's notes encoded for one class of viewer: every note
// in board order, comma-separated, ends[i] where note i ends.
type classNotes struct {
	buf  []byte
	ends []int
}

// note returns the bytes of notes i..j (inclusive), commas between.
func (c *classNotes) run(i, j int) []byte {
	start := 0
	if i > 0 {
		start = c.ends[i-1] + 1
	}
	return c.buf[start:c.ends[j]]
}

// notesCache holds the encodings of the current seq; flush drops it when
// anything was committed. byRole is the notes of each class; byViewer the
// notes part of each viewer's welcome (runs of byRole and the viewer's own
// notes), so the connections of one participant share even their own
// notes — an author of half the board opening 150 sockets costs one
// encoding of them, not 150.
type notesCache struct {
	seq      int64
	byRole   map[board.Role]*classNotes
	byViewer map[board.Viewer][][]byte
}

// encodeNotes encodes n note views, comma-separated, as encode would.
func encodeNotes(n int, view func(i int) any) *classNotes {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as encode does
	c := &classNotes{ends: make([]int, n)}
	for i := 0; i < n; i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		enc.Encode(view(i))
		buf.Truncate(buf.Len() - 1) // Encode's newline
		c.ends[i] = buf.Len()
	}
	c.buf = bytes.Clone(buf.Bytes()) // kept while the seq stands: not its slack
	return c
}

// classNotesFor returns (building once per seq) the notes encoded for v's
// class.
func (r *room) classNotesFor(v board.Viewer, notes []*board.Note) *classNotes {
	if c, ok := r.notes.byRole[v.Role]; ok {
		return c
	}
	cv := board.ClassViewer(v)
	c := encodeNotes(len(notes), func(i int) any { return r.st.SnapshotNote(notes[i], cv) })
	r.notes.byRole[v.Role] = c
	return c
}

var (
	notesKey = []byte(`"notes":[`)
	comma    = []byte(",")
)

// welcomeBoardFrame is v's welcome with the whole board, in parts. Its
// bytes are exactly encode(welcomeBoard{..., st.Snapshot(v, ...)}).
func (r *room) welcomeBoardFrame(v board.Viewer) frame {
	head := encode(welcomeBoard{Type: "welcome", Board: r.st.SnapshotHead(v, r.isOnline, r.deps.now())})
	// The first `"notes":[` is the key: inside a string every quote is
	// escaped, and the session header before it holds only strings.
	at := bytes.Index(head, notesKey)
	if at < 0 {
		return frame{b: encode(welcomeBoard{Type: "welcome", Board: r.st.Snapshot(v, r.isOnline, r.deps.now())})}
	}
	at += len(notesKey)
	notes := r.viewerNotes(v)
	parts := make([][]byte, 0, len(notes)+2)
	parts = append(parts, head[:at])
	parts = append(parts, notes...)
	return frame{parts: append(parts, head[at:])}
}

// viewerNotes returns (building once per seq and viewer) the parts of v's
// notes list: runs of the class's shared encoding, v's own notes apart.
func (r *room) viewerNotes(v board.Viewer) [][]byte {
	if r.notes == nil || r.notes.seq != r.st.Seq {
		r.notes = &notesCache{seq: r.st.Seq, byRole: map[board.Role]*classNotes{}, byViewer: map[board.Viewer][][]byte{}}
	}
	if parts, ok := r.notes.byViewer[v]; ok {
		return parts
	}
	notes := r.st.SortedNotes()
	cn := r.classNotesFor(v, notes)
	parts := cn.interleave(nil, len(notes), func(i int) []byte {
		if !r.st.OwnNote(notes[i], v) {
			return nil
		}
		return encode(r.st.SnapshotNote(notes[i], v))
	})
	r.notes.byViewer[v] = parts
	return parts
}

// ownNotes holds, for one event carrying every note, the notes encoded per
// class and the frame of each viewer it is projected for alone.
type ownNotes struct {
	classes map[board.Role]*classNotes
	frames  map[board.Viewer]frame
}

// ownNotesEvent is ev (carrying every note) as projected for c.PerViewer,
// in parts: the notes the viewer did not write come from its class's
// encoding, shared by every such viewer, and only its own are encoded
// apart. While anonymous, every author is projected alone; encoding the
// whole list per author made a reveal of a 22 MB board cost 22 MB per
// author (issue 9). Its bytes are exactly encode(st.Project(ev, c)).
func (r *room) ownNotesEvent(ev *board.Event, c board.Class, own *ownNotes) frame {
	v := c.PerViewer
	if f, ok := own.frames[v]; ok {
		return f
	}
	d, ok := ev.Data.(board.NotesData)
	if !ok {
		// Other events that carry every note (a join or removal that
		// changes which units may be shown) are rare: encoded per viewer.
		f := frame{b: encode(r.st.Project(ev, c))}
		own.frames[v] = f
		return f
	}
	empty := *ev
	dd := d
	dd.Notes = []board.Note{}
	empty.Data = dd
	head := encode(r.st.Project(&empty, c))
	at := bytes.Index(head, notesKey) // the first: only the event's name, a string, comes before
	if at < 0 {
		return frame{b: encode(r.st.Project(ev, c))}
	}
	at += len(notesKey)
	cn, ok := own.classes[v.Role]
	if !ok {
		cv := board.ClassViewer(v)
		cn = encodeNotes(len(d.Notes), func(i int) any { return r.st.EventNote(&d.Notes[i], cv) })
		own.classes[v.Role] = cn
	}
	parts := cn.interleave([][]byte{head[:at]}, len(d.Notes), func(i int) []byte {
		if d.Notes[i].AuthorID != v.ID {
			return nil
		}
		return encode(r.st.EventNote(&d.Notes[i], v))
	})
	f := frame{parts: append(parts, head[at:])}
	own.frames[v] = f
	return f
}

// interleave appends the parts of a list of n notes to parts, comma
// separated: each run of notes shared by the class as one slice of cn's
// encoding, each note of the viewer's own (mine(i) is its encoding; nil
// for a shared one) apart.
func (cn *classNotes) interleave(parts [][]byte, n int, mine func(i int) []byte) [][]byte {
	first := len(parts)
	item := func(b []byte) {
		if len(parts) > first {
			parts = append(parts, comma)
		}
		parts = append(parts, b)
	}
	run := -1 // first note of the current run of shared notes
	for i := 0; i < n; i++ {
		b := mine(i)
		if b == nil {
			if run < 0 {
				run = i
			}
			continue
		}
		if run >= 0 {
			item(cn.run(run, i-1))
			run = -1
		}
		item(b)
	}
	if run >= 0 {
		item(cn.run(run, n-1))
	}
	return parts
}
