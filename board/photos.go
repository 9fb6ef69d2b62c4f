package board

import "time"

// Photo limits (issue 14, Dokumentasi): each upload's size, the photos of
// one session, the decoded pixels (a small file may decode to a huge
// image), and the caption.
const (
	MaxPhotoBytes    = 8 << 20
	MaxPhotosPerSess = 30
	MaxPhotoPixels   = 40_000_000
	MaxPhotoCaption  = 200
	PhotoThumbWidth  = 320
	PhotoJPEGQuality = 85
)

// Photo is one photo of a session as the store keeps it: the re-encoded
// JPEG and its thumbnail (both left out of JSON), and what the list shows.
type Photo struct {
	SessionID string    `json:"-"`
	ID        string    `json:"id"`
	Caption   string    `json:"caption"`
	MIME      string    `json:"mime"`
	Width     int       `json:"width"`
	Height    int       `json:"height"`
	CreatedBy string    `json:"-"`
	CreatedAt time.Time `json:"uploadedAt"`
	Bytes     []byte    `json:"-"`
	Thumb     []byte    `json:"-"`
}

// MayManagePhotos decides who uploads and deletes the meeting's photos:
// the facilitator and the notulis, who keep the record.
func MayManagePhotos(p *Participant) error {
	if p.Role != RoleFacilitator && p.Role != RoleNotulis {
		return Errorf(CodeForbidden, "only the facilitator or the notulis may add or remove photos")
	}
	return nil
}

// MayViewPhotos: the photos belong to the record, so whoever may read the
// minutes may see them.
func MayViewPhotos(p *Participant) error { return MayReadMinutes(p) }
