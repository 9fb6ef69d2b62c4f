package server

// The owner hands each node its share of what the room sent in one batch
// at once: one link message per node, not one per connection and frame
// (docs/cluster.md, "Subjects and messages"). The room encodes an event
// once per visibility class and queues the same bytes for every client of
// the class; at the end of the batch the remote clients' queues are read
// together, and a frame queued for several of a node's connections
// travels once, with the list of their rids.

// fanEntry is a frame (or a close) for some of a node's connections.
type fanEntry struct {
	kind byte // linkFrame or linkClose
	code uint16
	rids []uint64
	f    frame // the frame; a close's text
}

// frameKey names a frame by its bytes' address and length: frames are
// never changed once queued, so two frames with one key are the same
// bytes (the room's one encoding for a visibility class).
type frameKey struct {
	p *byte
	n int
}

// fanQueue is what one remote client was sent in the batch.
type fanQueue struct {
	rc     *remoteClient
	frames []frame
	start  int // its first key in fanner.keys
	at     int // its next frame to hand over
	code   int // its close (0: none)
	text   string
}

// fanner gathers a link's share of a batch; the room's goroutine alone
// uses it, and keeps it between batches.
type fanner struct {
	rcs   []*remoteClient
	qs    []fanQueue
	keys  []frameKey
	occ   map[frameKey]int   // how often a frame is still to be handed over
	heads map[frameKey][]int // the queues whose next frame it is
	ready []frameKey         // frames next in every queue that holds them (checked again when taken)
	out   []fanEntry
}

// handOff runs at the end of each of the room's batches: every node gets
// what the room queued for its connections.
func (o *ownership) handOff() {
	if o == nil {
		return
	}
	o.mu.Lock()
	for _, l := range o.links {
		o.handing = append(o.handing, l)
	}
	o.mu.Unlock()
	for _, l := range o.handing {
		l.handOff()
	}
	clear(o.handing)
	o.handing = o.handing[:0]
}

func (l *link) handOff() {
	g := &l.fan
	l.mu.Lock()
	for _, rc := range l.rcs {
		g.rcs = append(g.rcs, rc)
	}
	l.mu.Unlock()
	for _, rc := range g.rcs {
		var code int
		var text string
		rc.buf, code, text = rc.cl.out.take(rc.buf)
		if len(rc.buf) == 0 && code == 0 {
			continue
		}
		g.qs = append(g.qs, fanQueue{rc: rc, frames: rc.buf, start: len(g.keys), code: code, text: text})
		for _, f := range rc.buf {
			g.keys = append(g.keys, g.key(f))
		}
		if code != 0 {
			l.remove(rc) // its close is the last it is sent
		}
	}
	if len(g.qs) > 0 {
		l.enqueue(g.group(maxRIDs(l.maxBody())))
	}
	for _, q := range g.qs {
		clear(q.rc.buf)
		q.rc.buf = q.rc.buf[:0]
		if cap(q.rc.buf) > keepQueueCap {
			q.rc.buf = nil
		}
	}
	clear(g.rcs)
	clear(g.qs)
	clear(g.out)
	g.rcs, g.qs, g.keys, g.out = g.rcs[:0], g.qs[:0], g.keys[:0], g.out[:0]
}

// maxRIDs is the most connections an entry lists, so that its header
// stays within half a message.
func maxRIDs(maxBody int) int { return max(1, (maxBody/2-entryFixed)/8) }

// key names a frame; a frame in parts (a welcome, one per connection)
// or an empty one gets a key of its own.
func (g *fanner) key(f frame) frameKey {
	if f.parts != nil || len(f.b) == 0 {
		return frameKey{n: -1 - len(g.keys)}
	}
	return frameKey{p: &f.b[0], n: len(f.b)}
}

// group orders the queues' frames into entries, each frame once with
// every connection it is next for, keeping each connection's order: an
// event goes once to all, its sender's ack after it to the sender alone.
// The closes come last.
func (g *fanner) group(maxRIDs int) []fanEntry {
	if g.occ == nil {
		g.occ, g.heads = map[frameKey]int{}, map[frameKey][]int{}
	}
	clear(g.occ)
	clear(g.heads)
	g.ready = g.ready[:0]
	for _, k := range g.keys {
		g.occ[k]++
	}
	for i, q := range g.qs {
		if len(q.frames) > 0 {
			g.next(i)
		}
	}
	for len(g.heads) > 0 {
		k := g.pick()
		idx := g.heads[k]
		delete(g.heads, k)
		g.occ[k] -= len(idx)
		q := &g.qs[idx[0]]
		e := fanEntry{kind: linkFrame, f: q.frames[q.at], rids: make([]uint64, 0, len(idx))}
		for _, i := range idx {
			q := &g.qs[i]
			e.rids = append(e.rids, q.rc.rid)
			if q.at++; q.at < len(q.frames) {
				g.next(i)
			}
		}
		g.add(e, maxRIDs)
	}
	for _, q := range g.qs {
		if q.code != 0 {
			g.out = append(g.out, fanEntry{kind: linkClose, code: uint16(q.code), rids: []uint64{q.rc.rid}, f: frame{b: []byte(q.text)}})
		}
	}
	return g.out
}

// next notes queue i's next frame as one of the heads.
func (g *fanner) next(i int) {
	q := &g.qs[i]
	k := g.keys[q.start+q.at]
	g.heads[k] = append(g.heads[k], i)
	if len(g.heads[k]) == g.occ[k] {
		g.ready = append(g.ready, k)
	}
}

// pick takes a frame that is next in every queue holding it, so it goes
// once; failing that (a frame queued twice for one connection), the one
// next in the most queues.
func (g *fanner) pick() frameKey {
	for len(g.ready) > 0 {
		k := g.ready[len(g.ready)-1]
		g.ready = g.ready[:len(g.ready)-1]
		if n := len(g.heads[k]); n > 0 && n == g.occ[k] {
			return k
		}
	}
	var best frameKey
	most := 0
	for k, idx := range g.heads {
		if len(idx) > most {
			best, most = k, len(idx)
		}
	}
	return best
}

// add appends an entry, split when it lists more connections than a
// message's half holds.
func (g *fanner) add(e fanEntry, maxRIDs int) {
	for len(e.rids) > maxRIDs {
		part := e
		part.rids = e.rids[:maxRIDs:maxRIDs]
		g.out = append(g.out, part)
		e.rids = e.rids[maxRIDs:]
	}
	g.out = append(g.out, e)
}
