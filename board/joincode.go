package board

import (
	"crypto/sha256"
	"strings"
)

// JoinAlphabet has no look-alikes: no 0/O, no 1/I/L.
const JoinAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// JoinCodeLen gives 31^6 ≈ 887 million codes.
const JoinCodeLen = 6

// JoinCodeFrom turns random bytes (a fresh random UUID will do: the rules
// take their randomness from the caller's newID) into a join code. Hashing
// first spreads any input evenly; 256 % 31 leaves a bias of under 1%,
// acceptable for a code that stands on the projector.
func JoinCodeFrom(random []byte) string {
	h := sha256.Sum256(random)
	out := make([]byte, JoinCodeLen)
	for i := range out {
		out[i] = JoinAlphabet[int(h[i])%len(JoinAlphabet)]
	}
	return string(out)
}

// NormalizeCode lets people type the code in any case, with spaces or a dash.
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(s))
}

// MayReadJoinCode decides who sees the join code: the facilitator and the
// notulis, who put it on the projector. Participants do not, so someone
// flooding a session from inside cannot learn a code the facilitator
// changed to stop it.
func MayReadJoinCode(v Viewer) bool { return v.Role == RoleFacilitator || v.Role == RoleNotulis }
