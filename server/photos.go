package server

import (
	"context"
	"mime"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
	"rembuk/minutes"
)

// PhotoStore is what the photo endpoints need of storage (store.DB has
// it). It is apart from Store so a store without photos still serves the
// rest; the endpoints then answer unavailable.
type PhotoStore interface {
	AddPhoto(ctx context.Context, p board.Photo, max int) error
	DeletePhoto(ctx context.Context, sessionID, id string) error
	Photos(ctx context.Context, sessionID string, blobs bool) ([]board.Photo, error)
	PhotoData(ctx context.Context, sessionID, id string, thumb bool) ([]byte, error)
}

// photoProcessing bounds the decodes running at once: a 40-MP photo takes
// some 200 MB while it is turned into JPEGs.
const photoProcessing = 2

var photoUploadPath = regexp.MustCompile(`^/api/sessions/[^/]+/photos/?$`)

// isPhotoUpload: the one request allowed a body over board.MaxRequestBody.
func isPhotoUpload(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && photoUploadPath.MatchString(c.Path())
}

func (s *Server) photoRoutes() {
	a := s.app
	a.Post("/api/sessions/:id/photos", s.uploadPhoto)
	a.Get("/api/sessions/:id/photos", s.listPhotos)
	a.Get("/api/sessions/:id/photos/:pid", s.photoData)
	a.Get("/api/sessions/:id/photos/:pid/thumb", s.photoData)
	a.Delete("/api/sessions/:id/photos/:pid", s.deletePhoto)
}

// smallBodies keeps board.MaxRequestBody on every request but the photo
// upload: the app's limit is a photo's, so Fiber no longer refuses the
// others before routing.
func (s *Server) smallBodies(c *fiber.Ctx) error {
	if len(c.Request().Body()) > board.MaxRequestBody && !isPhotoUpload(c) {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}

func (s *Server) photoStore() (PhotoStore, error) {
	ps, ok := s.store.(PhotoStore)
	if !ok {
		return nil, board.Errorf(board.CodeUnavailable, "this server keeps no photos")
	}
	return ps, nil
}

// photoAs finds the photo store, authenticates the request's token and
// applies rule to its participant, returning the store and the session and
// participant ids: the start of every photo handler.
func (s *Server) photoAs(c *fiber.Ctx, rule func(*board.Participant) error) (ps PhotoStore, sid, pid string, err error) {
	if ps, err = s.photoStore(); err != nil {
		return nil, "", "", err
	}
	err = s.withState(c, func(st *board.State, p *board.Participant, _ func(string) bool) error {
		sid, pid = st.Session.ID, p.ID
		return rule(p)
	})
	return ps, sid, pid, err
}

// uploadPhoto takes one image as the raw body (image/jpeg or image/png;
// the content decides, the type only keeps foreign forms out) with an
// optional ?caption=.
func (s *Server) uploadPhoto(c *fiber.Ctx) error {
	ps, sid, pid, err := s.photoAs(c, board.MayManagePhotos)
	if err != nil {
		return s.writeError(c, err)
	}
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if mt != "image/jpeg" && mt != "image/png" {
		return c.Status(fiber.StatusUnsupportedMediaType).JSON(errorBody{errorDetail{board.CodeInvalid, "Content-Type must be image/jpeg or image/png"}})
	}
	caption, err := board.CleanText("caption", strings.Clone(c.Query("caption")), 0, board.MaxPhotoCaption)
	if err != nil {
		return s.writeError(c, err)
	}
	body := c.Request().Body()
	if len(body) == 0 {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "the photo is empty"))
	}
	if len(body) > board.MaxPhotoBytes {
		return s.writeError(c, errPhotoTooLarge)
	}
	s.photoSem <- struct{}{}
	ph, err := processPhoto(body)
	<-s.photoSem
	if err != nil {
		return s.writeError(c, err)
	}
	p := board.Photo{SessionID: sid, ID: s.newID(), Caption: caption, MIME: "image/jpeg", Width: ph.width, Height: ph.height,
		Bytes: ph.full, Thumb: ph.thumb, CreatedBy: pid, CreatedAt: s.now()}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	if err := ps.AddPhoto(ctx, p, board.MaxPhotosPerSess); err != nil {
		return s.writeError(c, err)
	}
	s.notifyPhotos(sid, ps)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(p)
}

var errPhotoTooLarge = board.Errorf(board.CodeTooLarge, "a photo may be at most %d MB", board.MaxPhotoBytes>>20)

func (s *Server) listPhotos(c *fiber.Ctx) error {
	ps, sid, _, err := s.photoAs(c, board.MayViewPhotos)
	if err != nil {
		return s.writeError(c, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	list, err := ps.Photos(ctx, sid, false)
	if err != nil {
		return s.writeError(c, err)
	}
	if list == nil {
		list = []board.Photo{}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(map[string]any{"photos": list, "max": board.MaxPhotosPerSess, "maxBytes": board.MaxPhotoBytes})
}

// photoData serves a photo's JPEG or, under /thumb, its thumbnail.
// Private: the photos are part of the record, not public assets.
func (s *Server) photoData(c *fiber.Ctx) error {
	ps, sid, _, err := s.photoAs(c, board.MayViewPhotos)
	if err != nil {
		return s.writeError(c, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	b, err := ps.PhotoData(ctx, sid, strings.Clone(c.Params("pid")), strings.HasSuffix(c.Path(), "/thumb"))
	if err != nil {
		return s.writeError(c, err)
	}
	c.Set(fiber.HeaderContentType, "image/jpeg")
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.Send(b)
}

func (s *Server) deletePhoto(c *fiber.Ctx) error {
	ps, sid, _, err := s.photoAs(c, board.MayManagePhotos)
	if err != nil {
		return s.writeError(c, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	if err := ps.DeletePhoto(ctx, sid, strings.Clone(c.Params("pid"))); err != nil {
		return s.writeError(c, err)
	}
	s.notifyPhotos(sid, ps)
	return c.SendStatus(fiber.StatusNoContent)
}

// minutesPhotos are the Dokumentasi appendix of a session's minutes (none
// from a store without photos).
func (s *Server) minutesPhotos(sessionID string) ([]minutes.Photo, error) {
	ps, ok := s.store.(PhotoStore)
	if !ok {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	list, err := ps.Photos(ctx, sessionID, true)
	if err != nil {
		return nil, err
	}
	out := make([]minutes.Photo, 0, len(list))
	for i, p := range list {
		out = append(out, minutes.Photo{No: i + 1, Caption: p.Caption, Width: p.Width, Height: p.Height, JPEG: p.Bytes})
	}
	return out, nil
}

// photosMsg tells a session's room that its photos changed, so it sends
// the staff's pages a "photos" frame (they read the list again). Photos
// are not board state: no event, no seq, nothing to resume.
type photosMsg struct{ count int }

// photosChanged pushes {"type":"photos","count":N} to the facilitator's
// and notulis's connections (the ones who may see the photos).
func (r *room) photosChanged(m photosMsg) {
	frame := encode(photosFrame{Type: "photos", Count: m.count})
	for cl := range r.clients {
		if p := r.st.Participants[cl.participantID]; p != nil && board.MayViewPhotos(p) == nil {
			r.pushTo(cl, frame)
		}
	}
}

type photosFrame struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// notifyPhotos tells the room after an upload or a delete; a failure only
// costs the other pages their refresh.
func (s *Server) notifyPhotos(sessionID string, ps PhotoStore) {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	list, err := ps.Photos(ctx, sessionID, false)
	if err != nil {
		return
	}
	if err := s.hub.photos(ctx, sessionID, len(list)); err != nil {
		s.log.Debug("photos frame not sent", "err", err)
	}
}
