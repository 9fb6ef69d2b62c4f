package board

import (
	"strings"
	"time"
)

// A programme (program ZI) is the year-long work of one unit towards WBK or
// WBBM: its sessions, and the action register (rencana aksi) they feed
// (register.go). Whoever holds the programme's key manages it; the key is
// the server's business, the programme here is only its header.

// Programme targets.
const (
	TargetWBK  = "WBK"
	TargetWBBM = "WBBM"
)

// Programme limits.
const (
	MinProgrammeYear = 2000
	MaxProgrammeYear = 2100
	MaxKopLine       = 200
)

// Programme is a programme's header: the unit, the year, the target, the
// letterhead (kop) and the chair and secretary of its TPI ZI (tim
// pembangunan integritas). Sessions created in it take the letterhead and
// the people (ProgrammeRef).
type Programme struct {
	ID        string    `json:"id"`
	Unit      string    `json:"unit"`
	Year      int       `json:"year"`
	Target    string    `json:"target"`
	Kop       Kop       `json:"kop"`
	Chair     Official  `json:"chair"`
	Secretary Official  `json:"secretary"`
	CreatedAt time.Time `json:"createdAt"`
}

// Kop is the letterhead: up to three lines (the agency, the unit, the
// address); each may be empty.
type Kop struct {
	Instansi string `json:"instansi"`
	Unit     string `json:"unit"`
	Alamat   string `json:"alamat"`
}

// Official is a named person with a NIP (either may be empty: a line to
// fill in by hand).
type Official struct {
	Name string `json:"name"`
	NIP  string `json:"nip"`
}

// ProgrammeRef is what a session created in a programme carries of it:
// the link back, the letterhead and the TPI's chair and secretary, copied
// at creation so the minutes and the pack of that session need no second
// lookup and stay as they were signed.
type ProgrammeRef struct {
	ID        string   `json:"id"`
	Unit      string   `json:"unit"`
	Year      int      `json:"year"`
	Target    string   `json:"target"`
	Kop       Kop      `json:"kop"`
	Chair     Official `json:"chair"`
	Secretary Official `json:"secretary"`
}

// Ref is the programme as its sessions carry it.
func (p Programme) Ref() *ProgrammeRef {
	return &ProgrammeRef{ID: p.ID, Unit: p.Unit, Year: p.Year, Target: p.Target, Kop: p.Kop, Chair: p.Chair, Secretary: p.Secretary}
}

// Clean validates and sanitises a programme's fields in place (all but ID
// and CreatedAt): unit 1–MaxUnit, year MinProgrammeYear–MaxProgrammeYear,
// target WBK or WBBM (case-insensitive), kop lines up to MaxKopLine,
// names up to MaxName, NIPs up to MaxNIP.
func (p *Programme) Clean() error {
	var err error
	if p.Unit, err = CleanText("unit", p.Unit, 1, MaxUnit); err != nil {
		return err
	}
	if p.Year < MinProgrammeYear || p.Year > MaxProgrammeYear {
		return Errorf(CodeInvalid, "year must be from %d to %d", MinProgrammeYear, MaxProgrammeYear)
	}
	switch strings.ToUpper(strings.TrimSpace(p.Target)) {
	case TargetWBK:
		p.Target = TargetWBK
	case TargetWBBM:
		p.Target = TargetWBBM
	default:
		return Errorf(CodeInvalid, "target must be WBK or WBBM")
	}
	fields := []struct {
		dst  *string
		name string
		max  int
	}{
		{&p.Kop.Instansi, "kop.instansi", MaxKopLine}, {&p.Kop.Unit, "kop.unit", MaxKopLine}, {&p.Kop.Alamat, "kop.alamat", MaxKopLine},
		{&p.Chair.Name, "chair.name", MaxName}, {&p.Chair.NIP, "chair.nip", MaxNIP},
		{&p.Secretary.Name, "secretary.name", MaxName}, {&p.Secretary.NIP, "secretary.nip", MaxNIP},
	}
	for _, f := range fields {
		if *f.dst, err = CleanText(f.name, *f.dst, 0, f.max); err != nil {
			return err
		}
	}
	return nil
}
