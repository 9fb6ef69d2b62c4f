package board

// The invitation letter (undangan) of a session: the parts of an
// Indonesian official letter the session itself does not hold. The
// facilitator fills them in (invitation.set); the evidence pack prints
// the letter from them and from the session (date, time, place, agenda).
// A letter goes to every invitee, so every member of the session may read
// its fields.

// Invitation limits, in code points.
const (
	MaxInvNumber  = 100  // "005/UND/BP3KP.J2/XII/2026"
	MaxInvNature  = 40   // sifat: "Biasa", "Segera", "Penting"
	MaxInvAttach  = 80   // lampiran: "-", "1 (satu) berkas"
	MaxInvSubject = 200  // perihal
	MaxInvTo      = 1000 // kepada: one addressee a line
	MaxInvPlace   = 200  // tempat; empty: the session's place
	MaxInvAgenda  = 1000 // acara; empty: the session's agenda
	MaxInvTitle   = 120  // the signer's jabatan
)

// Invitation holds what the letter needs beyond the session. Every field
// may be empty: the letter then leaves a dotted line, or (Place, Agenda)
// takes the session's own.
type Invitation struct {
	Number      string `json:"number"`
	Nature      string `json:"nature"`     // sifat
	Attachment  string `json:"attachment"` // lampiran
	Subject     string `json:"subject"`    // perihal
	To          string `json:"to"`         // kepada (Yth. …), one a line
	Place       string `json:"place"`      // tempat
	Agenda      string `json:"agenda"`     // acara
	SignerTitle string `json:"signerTitle"`
	SignerName  string `json:"signerName"`
	SignerNIP   string `json:"signerNip"`
}

// InvitationData is the event data of invitation.changed.
type InvitationData struct {
	Invitation Invitation `json:"invitation"`
}

// invitationSet replaces the session's invitation fields with the
// command's, each cleaned and length-checked; a field left out is emptied.
func invitationSet(x *exec) (string, any, error) {
	in := x.cmd.Invitation
	if in == nil {
		return "", nil, Errorf(CodeInvalid, "invitation is required")
	}
	var out Invitation
	fields := []struct {
		dst, src  *string
		name      string
		max       int
		multiline bool
	}{
		{&out.Number, &in.Number, "number", MaxInvNumber, false},
		{&out.Nature, &in.Nature, "nature", MaxInvNature, false},
		{&out.Attachment, &in.Attachment, "attachment", MaxInvAttach, false},
		{&out.Subject, &in.Subject, "subject", MaxInvSubject, false},
		{&out.To, &in.To, "to", MaxInvTo, true},
		{&out.Place, &in.Place, "place", MaxInvPlace, false},
		{&out.Agenda, &in.Agenda, "agenda", MaxInvAgenda, true},
		{&out.SignerTitle, &in.SignerTitle, "signerTitle", MaxInvTitle, false},
		{&out.SignerName, &in.SignerName, "signerName", MaxName, false},
		{&out.SignerNIP, &in.SignerNIP, "signerNip", MaxNIP, false},
	}
	for _, f := range fields {
		clean := CleanText
		if f.multiline {
			clean = CleanLines
		}
		v, err := clean(f.name, *f.src, 0, f.max)
		if err != nil {
			return "", nil, err
		}
		*f.dst = v
	}
	x.s.Session.Invitation = &out
	x.s.putSession()
	return "invitation.changed", InvitationData{Invitation: out}, nil
}
