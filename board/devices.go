package board

import (
	"crypto/subtle"
	"time"
)

// Devices: the same person on a second device (a phone and a laptop). A
// Device is one more token of a participant, not a new participant: the
// attendance list keeps one row per person, and the per-participant limits
// (connections, command rate) count every device of that person together,
// because the server keys them by participant id. Tokens are issued by the
// server (the facilitator's approval, or a single-use link the first device
// shows); board decides who may attach a device to whom and records it.

// EntDevice is the store's kind for a Device.
const EntDevice = "device"

// MaxDevices is how many further devices one participant may hold (the
// first token not counted). A merge may exceed it: merging moves tokens
// that already work.
const MaxDevices = 4

// Device is a further token of a participant. Hash is the token's SHA-256;
// the token itself is never stored.
type Device struct {
	ID            string    `json:"id"`
	ParticipantID string    `json:"participantId"`
	Hash          []byte    `json:"hash"`
	At            time.Time `json:"at"`
}

// DeviceData is the event of a device added to a participant. Only the
// participant and staff learn which participant it was (MaySeePersonal).
type DeviceData struct {
	ParticipantID string `json:"participantId"`
}

func (s *State) putDevice(d *Device) {
	s.Devices[d.ID] = d
	cp := *d
	s.put(EntDevice, d.ID, &cp)
}

// HoldsToken reports whether hash is one of p's tokens: its first, or a
// device's.
func (s *State) HoldsToken(p *Participant, hash []byte) bool {
	if len(hash) == 0 {
		return false
	}
	if subtle.ConstantTimeCompare(p.TokenHash, hash) == 1 {
		return true
	}
	for _, d := range s.Devices {
		if d.ParticipantID == p.ID && subtle.ConstantTimeCompare(d.Hash, hash) == 1 {
			return true
		}
	}
	return false
}

// DevicesOf returns the further devices of participant id.
func (s *State) DevicesOf(id string) []*Device {
	var out []*Device
	for _, d := range s.Devices {
		if d.ParticipantID == id {
			out = append(out, d)
		}
	}
	return out
}

// MayAdmitDevice decides who may give participant target another device:
// the facilitator (approving a request from the new device) for anyone but
// themself — a request naming the facilitator is refused, so a misclick
// never hands out the facilitator's rights — and a participant (the first
// device's single-use link) for themself only.
func MayAdmitDevice(actor, target *Participant) error {
	if actor.ID == target.ID {
		return nil
	}
	if actor.Role != RoleFacilitator {
		return Errorf(CodeForbidden, "only the facilitator may let someone in on another device")
	}
	if target.Role == RoleFacilitator {
		return Errorf(CodeForbidden, "the facilitator opens another device with their own link")
	}
	return nil
}

// AddDevice gives participant targetID a further token (its hash), decided
// for actorID. Like Join it is not a client command: the server calls it
// once the facilitator approved a request or a link was redeemed, and
// stores the change like any other.
func (s *State) AddDevice(actorID, targetID string, hash []byte, now time.Time, newID func() string) (*Change, error) {
	actor := s.Participants[actorID]
	if actor == nil || actor.Removed {
		return nil, Errorf(CodeUnauthorized, "unknown participant")
	}
	if s.Session.Closed {
		return nil, Errorf(CodeClosed, "the session is closed")
	}
	target := s.Participants[targetID]
	if target == nil || target.Removed {
		return nil, Errorf(CodeNotFound, "participant not found")
	}
	if err := MayAdmitDevice(actor, target); err != nil {
		return nil, err
	}
	if len(hash) == 0 {
		return nil, Errorf(CodeInvalid, "no token")
	}
	if len(s.DevicesOf(targetID)) >= MaxDevices {
		return nil, Errorf(CodeConflict, "this person already uses %d other devices", MaxDevices)
	}
	d := &Device{ID: newID(), ParticipantID: targetID, Hash: append([]byte(nil), hash...), At: now.UTC()}
	s.putDevice(d)
	return s.change("participant.deviceAdded", DeviceData{ParticipantID: targetID}, actorID, now.UTC(), "", d.ID), nil
}
