package server

import (
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"rembuk/board"
)

// Rejoining from a second device. Two ways give a second device a token for
// the same participant (board.AddDevice): the facilitator approves a
// request the new device made by name, or the first device shows a
// single-use link. Requests and links live in the room's memory only: they
// are short-lived, and a restart costs at most a new request or a new link.
// The token that an approval creates waits here, in memory, until the new
// device collects it (or the request expires): the server keeps only its
// hash on disk, like every token.

// Rejoin tuning, together.
const (
	rejoinTTL         = 5 * time.Minute // a request waits this long for the facilitator and the pickup
	deviceLinkTTL     = 2 * time.Minute // a link from the first device works this long, once
	rejoinPerSession  = 20              // requests waiting in one session at once
	rejoinAsksPerAddr = 5               // requests one address may make per rejoinAskWindow
	rejoinAskWindow   = 10 * time.Minute
)

// rejoinRequest is a new device asking to be someone already in the session.
type rejoinRequest struct {
	ID         string
	Name, Unit string
	Candidates []string // participant ids whose name matches
	At         time.Time
	Expires    time.Time
	Status     string // pending, approved, refused
	Token      string // set once approved, until collected
	Who        string // the participant approved
}

// deviceLink is a single-use link the first device shows.
type deviceLink struct {
	Participant string
	Expires     time.Time
}

// rejoinBook is a room's open requests and links. Only the room's goroutine
// touches it.
type rejoinBook struct {
	requests map[string]*rejoinRequest
	links    map[string]*deviceLink // hex(sha256(secret)) -> link
}

// roomFn runs fn on the room's goroutine with the committed state (the room
// flushes first); fail answers instead when the room cannot serve it.
type roomFn struct {
	fn   func(r *room)
	fail func(err error)
}

func (r *room) book() *rejoinBook {
	if r.rejoins == nil {
		r.rejoins = &rejoinBook{requests: map[string]*rejoinRequest{}, links: map[string]*deviceLink{}}
	}
	return r.rejoins
}

// prune forgets expired requests and links; it reports whether a request
// the facilitator sees went away.
func (b *rejoinBook) prune(now time.Time) bool {
	changed := false
	for id, q := range b.requests {
		if !now.Before(q.Expires) {
			delete(b.requests, id)
			changed = changed || q.Status == "pending"
		}
	}
	for k, l := range b.links {
		if !now.Before(l.Expires) {
			delete(b.links, k)
		}
	}
	return changed
}

// foldName compares names as people type them: case and inner spaces do
// not matter.
func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// candidates are the seated participants named name. The facilitator is
// never one: their row opens on another device by their own link only.
func candidates(st *board.State, name string) []string {
	var out []string
	want := foldName(name)
	for _, p := range st.SortedParticipants() {
		if !p.Removed && p.Role != board.RoleFacilitator && foldName(p.Name) == want {
			out = append(out, p.ID)
		}
	}
	return out
}

// ask records a request from a new device.
func (r *room) askRejoin(name, unit string, now time.Time) (*rejoinRequest, error) {
	if r.st.Session.Closed {
		return nil, board.Errorf(board.CodeClosed, "the session is closed")
	}
	b := r.book()
	if b.prune(now) {
		r.pushRejoins()
	}
	c := candidates(r.st, name)
	if len(c) == 0 {
		return nil, board.Errorf(board.CodeNotFound, "nobody of this name has joined this session; check the spelling, or join as a new participant")
	}
	pending := 0
	for _, q := range b.requests {
		if q.Status == "pending" {
			pending++
		}
	}
	if pending >= rejoinPerSession {
		return nil, board.Errorf(board.CodeRateLimited, "too many requests are waiting for the facilitator; try again in a few minutes")
	}
	q := &rejoinRequest{ID: newToken(), Name: name, Unit: unit, Candidates: c, At: now, Expires: now.Add(rejoinTTL), Status: "pending"}
	b.requests[q.ID] = q
	r.pushRejoins()
	return q, nil
}

// decideRejoin is the facilitator's answer to a request: approve gives the
// new device a token for participant who (one of the request's candidates;
// "" when there is only one). The answer comes once the device is stored.
func (r *room) decideRejoin(actor *board.Participant, rid string, approve bool, who string, now time.Time, done func(error)) {
	if actor.Role != board.RoleFacilitator {
		done(board.Errorf(board.CodeForbidden, "only the facilitator may answer a request"))
		return
	}
	b := r.book()
	if b.prune(now) {
		r.pushRejoins()
	}
	q := b.requests[rid]
	if q == nil || q.Status != "pending" {
		done(board.Errorf(board.CodeNotFound, "no such request waiting (it may have expired)"))
		return
	}
	if !approve {
		q.Status = "refused"
		r.pushRejoins()
		done(nil)
		return
	}
	if who == "" && len(q.Candidates) == 1 {
		who = q.Candidates[0]
	}
	ok := false
	for _, c := range q.Candidates {
		ok = ok || c == who
	}
	if !ok {
		done(board.Errorf(board.CodeInvalid, "participantId must be one of the request's candidates"))
		return
	}
	tok := newToken()
	ch, err := r.st.AddDevice(actor.ID, who, hashToken(tok), now, r.deps.newID)
	if err != nil {
		done(err)
		return
	}
	// A second approval in the same batch (a double click) finds it taken.
	q.Status = "storing"
	r.addPending(pendingChange{ch: ch, done: func(_ int64, err error) {
		q.Status = "pending"
		if err == nil {
			q.Status, q.Token, q.Who = "approved", tok, who
		}
		r.pushRejoins()
		done(err)
	}})
}

// collectRejoin is the new device asking how its request stands. An
// approved token is handed out once.
func (r *room) collectRejoin(rid string, now time.Time) (*rejoinRequest, error) {
	b := r.book()
	if b.prune(now) {
		r.pushRejoins()
	}
	q := b.requests[rid]
	if q == nil {
		return nil, board.Errorf(board.CodeNotFound, "no such request (it may have expired); ask again")
	}
	switch q.Status {
	case "refused":
		delete(b.requests, rid)
		return nil, board.Errorf(board.CodeForbidden, "the facilitator did not let this device in")
	case "approved":
		delete(b.requests, rid) // the token is handed out once
	}
	cp := *q
	if cp.Status == "storing" {
		cp.Status = "pending" // the approval is on its way to disk
	}
	return &cp, nil
}

// makeLink gives participant p a single-use link secret for another device.
func (r *room) makeLink(p *board.Participant, now time.Time) (string, time.Time, error) {
	if r.st.Session.Closed {
		return "", time.Time{}, board.Errorf(board.CodeClosed, "the session is closed")
	}
	b := r.book()
	b.prune(now)
	secret := newToken()
	exp := now.Add(deviceLinkTTL)
	b.links[hex.EncodeToString(hashToken(secret))] = &deviceLink{Participant: p.ID, Expires: exp}
	return secret, exp, nil
}

// claimLink redeems a link secret: the link is gone at once (single use,
// even if storing the device then fails) and the new device gets a token
// for the link's participant.
func (r *room) claimLink(secret string, now time.Time, done func(pid, tok string, err error)) {
	b := r.book()
	b.prune(now)
	k := hex.EncodeToString(hashToken(secret))
	l := b.links[k]
	if l == nil {
		done("", "", board.Errorf(board.CodeNotFound, "this link has expired or was used already; ask the first device for a new one"))
		return
	}
	delete(b.links, k)
	tok := newToken()
	ch, err := r.st.AddDevice(l.Participant, l.Participant, hashToken(tok), now, r.deps.newID)
	if err != nil {
		done("", "", err)
		return
	}
	r.addPending(pendingChange{ch: ch, done: func(_ int64, err error) { done(l.Participant, tok, err) }})
}

// rejoinView is a waiting request as the facilitator sees it.
type rejoinView struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Unit       string          `json:"unit"`
	Candidates []candidateView `json:"candidates"`
	At         time.Time       `json:"at"`
	ExpiresAt  time.Time       `json:"expiresAt"`
}

type candidateView struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Unit     string    `json:"unit"`
	JoinedAt time.Time `json:"joinedAt"`
	Online   bool      `json:"online"`
}

// rejoinFrame is pushed to the facilitator's connections whenever the
// waiting requests change (and on connecting, when some wait).
type rejoinFrame struct {
	Type     string       `json:"type"`
	Requests []rejoinView `json:"requests"`
}

// rejoinList returns the pending requests, oldest first.
func (r *room) rejoinList() []rejoinView {
	out := []rejoinView{}
	if r.rejoins == nil {
		return out
	}
	for _, q := range r.rejoins.requests {
		if q.Status != "pending" {
			continue
		}
		v := rejoinView{ID: q.ID, Name: q.Name, Unit: q.Unit, At: q.At, ExpiresAt: q.Expires}
		for _, id := range q.Candidates {
			if p := r.st.Participants[id]; p != nil && !p.Removed {
				v.Candidates = append(v.Candidates, candidateView{ID: p.ID, Name: p.Name, Unit: p.Unit, JoinedAt: p.JoinedAt, Online: r.isOnline(p.ID)})
			}
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// pushRejoins sends the waiting requests to the facilitator's connections.
func (r *room) pushRejoins() {
	frame := encode(rejoinFrame{Type: "rejoin", Requests: r.rejoinList()})
	for cl := range r.clients {
		if cl.viewer.Role == board.RoleFacilitator {
			r.pushTo(cl, frame)
		}
	}
}

// indexTokens maps every token hash (first tokens and devices) to its
// participant, for authentication without a scan.
func (r *room) indexTokens() {
	r.byToken = map[string]string{}
	for _, p := range r.st.Participants {
		if len(p.TokenHash) > 0 {
			r.byToken[hex.EncodeToString(p.TokenHash)] = p.ID
		}
	}
	for _, d := range r.st.Devices {
		r.byToken[hex.EncodeToString(d.Hash)] = d.ParticipantID
	}
}

// afterMerge keeps the room in step with a merge: the merged row's tokens
// now name the survivor, and both people's pages reconnect (4009) to get
// the board as the survivor.
func (r *room) afterMerge(d board.MergedData) {
	r.indexTokens()
	for cl := range r.clients {
		if cl.participantID == d.ID || cl.participantID == d.IntoID {
			cl.out.close(closeMerged, "merged with another row of the attendance list; reconnect")
			r.detach(cl)
		}
	}
	r.dirtyPresence = true
	if r.rejoins != nil && len(r.rejoins.requests) > 0 {
		r.pushRejoins()
	}
}
