package board

import (
	"strconv"
	"strings"
	"time"
)

// The signed attendance list (daftar hadir). Each participant signs for
// themself, on their own device, while the session is open (after it is
// closed the board is read-only; the facilitator asks everyone to sign
// before closing, with attendance.request). Signing and the NIP/jabatan
// are exempt from the lock, which facilitators often set at the end.
//
// A signature is a vector path in a SignatureWidth×SignatureHeight box, in
// a subset of SVG path syntax: strokes of integer points, "M12 30L14 31L15
// 33M40 50L41 52". The server parses it, checks every point is inside the
// box and the size limits, and stores its canonical re-encoding, so what
// the minutes draw (and the HTML minutes embed as an SVG path) is only
// ever integers and the letters M and L.

// AttendanceData is the facilitator's request that everyone sign.
type AttendanceData struct {
	At time.Time `json:"at"`
}

// Point is one point of a signature stroke.
type Point struct{ X, Y int }

// ParseSignature parses and checks a signature path and returns its
// strokes and canonical encoding.
func ParseSignature(path string) ([][]Point, string, error) {
	if len(path) > MaxSignatureBytes {
		return nil, "", Errorf(CodeTooLarge, "the signature is larger than %d bytes; draw it simpler or clear and sign again", MaxSignatureBytes)
	}
	var strokes [][]Point
	var nums []int
	points := 0
	cmd := byte(0)
	flush := func() error {
		if cmd == 0 {
			if len(nums) > 0 {
				return Errorf(CodeInvalid, "the signature path must start with M")
			}
			return nil
		}
		if len(nums) == 0 || len(nums)%2 != 0 {
			return Errorf(CodeInvalid, "the signature path needs x and y for every point")
		}
		for i := 0; i < len(nums); i += 2 {
			x, y := nums[i], nums[i+1]
			if x < 0 || x > SignatureWidth || y < 0 || y > SignatureHeight {
				return Errorf(CodeInvalid, "a signature point lies outside the %d×%d box", SignatureWidth, SignatureHeight)
			}
			if cmd == 'M' && i == 0 {
				strokes = append(strokes, nil)
			}
			strokes[len(strokes)-1] = append(strokes[len(strokes)-1], Point{x, y})
			points++
		}
		if points > MaxSignaturePoints {
			return Errorf(CodeTooLarge, "the signature has more than %d points; draw it simpler or clear and sign again", MaxSignaturePoints)
		}
		nums = nums[:0]
		return nil
	}
	for i := 0; i < len(path); {
		c := path[i]
		switch {
		case c == 'M' || c == 'L':
			if err := flush(); err != nil {
				return nil, "", err
			}
			if c == 'L' && len(strokes) == 0 {
				return nil, "", Errorf(CodeInvalid, "the signature path must start with M")
			}
			cmd = c
			i++
		case c == ' ' || c == ',':
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(path) && path[j] >= '0' && path[j] <= '9' {
				j++
			}
			n := SignatureWidth + 1 // a long number is outside the box
			if j-i <= 4 {
				n, _ = strconv.Atoi(path[i:j])
			}
			nums = append(nums, n)
			i = j
		default:
			return nil, "", Errorf(CodeInvalid, "the signature path may hold only M, L and whole numbers")
		}
	}
	if err := flush(); err != nil {
		return nil, "", err
	}
	if points == 0 {
		return nil, "", Errorf(CodeInvalid, "the signature is empty")
	}
	return strokes, EncodeSignature(strokes), nil
}

// EncodeSignature writes strokes in the canonical path syntax.
func EncodeSignature(strokes [][]Point) string {
	var b strings.Builder
	for _, st := range strokes {
		for i, p := range st {
			if i == 0 {
				b.WriteByte('M')
			} else {
				b.WriteByte('L')
			}
			b.WriteString(strconv.Itoa(p.X))
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(p.Y))
		}
	}
	return b.String()
}

// SignatureStrokes returns the strokes of a stored (canonical) signature,
// or nil when there is none.
func SignatureStrokes(path string) [][]Point {
	if path == "" {
		return nil
	}
	st, _, err := ParseSignature(path)
	if err != nil {
		return nil
	}
	return st
}

// participantSign stores the actor's own signature; signing again replaces it.
func participantSign(x *exec) (string, any, error) {
	if x.cmd.Path == nil {
		return "", nil, Errorf(CodeInvalid, "path is required")
	}
	_, canon, err := ParseSignature(*x.cmd.Path)
	if err != nil {
		return "", nil, err
	}
	p := x.actor
	p.Signature, p.SignedAt = canon, x.now
	x.s.putParticipant(p)
	return "participant.signed", ParticipantData{Participant: *p}, nil
}

// participantUpdate sets the actor's own NIP and jabatan; an absent field
// stays, an empty one clears it.
func participantUpdate(x *exec) (string, any, error) {
	c := x.cmd
	if c.NIP == nil && c.Jabatan == nil {
		return "", nil, Errorf(CodeInvalid, "nip or jabatan is required")
	}
	p := *x.actor // decided on a copy, applied below
	if c.NIP != nil {
		nip, err := CleanText("nip", *c.NIP, 0, MaxParticipantNIP)
		if err != nil {
			return "", nil, err
		}
		for _, r := range nip {
			if (r < '0' || r > '9') && r != ' ' {
				return "", nil, Errorf(CodeInvalid, "nip may hold only digits and spaces")
			}
		}
		p.NIP = nip
	}
	if c.Jabatan != nil {
		j, err := CleanText("jabatan", *c.Jabatan, 0, MaxJabatan)
		if err != nil {
			return "", nil, err
		}
		p.Jabatan = j
	}
	x.actor.NIP, x.actor.Jabatan = p.NIP, p.Jabatan
	x.s.putParticipant(x.actor)
	return "participant.changed", ParticipantData{Participant: *x.actor}, nil
}

// attendanceRequest asks every participant's page to open the signature
// dialog. The page reacts to the live event only (once, dismissible); the
// session keeps when it was asked, for the record.
func attendanceRequest(x *exec) (string, any, error) {
	x.s.Session.AttendanceRequestedAt = x.now
	x.s.putSession()
	return "attendance.requested", AttendanceData{At: x.now}, nil
}

// MaySeePersonal decides who sees a participant's signature and NIP: the
// participant themself, the facilitator and the notulis (who keep the
// attendance list). Everyone else learns only that they signed, and their
// jabatan (a job title, which the minutes print for everyone anyway).
func MaySeePersonal(owner string, v Viewer) bool {
	return v.ID == owner || v.Role == RoleFacilitator || v.Role == RoleNotulis
}
