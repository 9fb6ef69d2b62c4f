package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"rembuk/board"
)

// AddPhoto stores p if the session exists and holds fewer than max photos.
// The count and the insert run under the session's advisory lock, so two
// uploads at once (on two nodes) cannot pass the cap together; the
// session's row itself is left to the writer.
func (db *DB) AddPhoto(ctx context.Context, p board.Photo, max int) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var known bool
		if err := tx.QueryRow(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('photos:' || $1, 0)),
			EXISTS (SELECT 1 FROM sessions WHERE id = $1)`, p.SessionID).Scan(nil, &known); err != nil {
			return err
		}
		if !known {
			return ErrNotFound
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM photos WHERE session_id = $1`, p.SessionID).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return board.Errorf(board.CodeConflict, "a session holds at most %d photos", max)
		}
		_, err := tx.Exec(ctx, `INSERT INTO photos (session_id, id, caption, mime, width, height, bytes, thumb, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, p.SessionID, p.ID, p.Caption, p.MIME, p.Width, p.Height,
			nonNil(p.Bytes), nonNil(p.Thumb), p.CreatedBy, p.CreatedAt)
		return err
	})
}

// DeletePhoto removes one photo.
func (db *DB) DeletePhoto(ctx context.Context, sessionID, id string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM photos WHERE session_id = $1 AND id = $2`, sessionID, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrPhotoNotFound
	}
	return nil
}

// Photos lists a session's photos in upload order; with blobs false the
// image bytes are left out (the list endpoint), with true they are read
// (the minutes).
func (db *DB) Photos(ctx context.Context, sessionID string, blobs bool) ([]board.Photo, error) {
	q := `SELECT id, caption, mime, width, height, NULL::bytea, NULL::bytea, created_by, created_at FROM photos WHERE session_id = $1 ORDER BY created_at, id`
	if blobs {
		q = `SELECT id, caption, mime, width, height, bytes, thumb, created_by, created_at FROM photos WHERE session_id = $1 ORDER BY created_at, id`
	}
	rows, err := db.pool.Query(ctx, q, sessionID)
	if err != nil {
		return nil, err
	}
	var out []board.Photo
	p := board.Photo{SessionID: sessionID}
	_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.Caption, &p.MIME, &p.Width, &p.Height, &p.Bytes, &p.Thumb, &p.CreatedBy, &p.CreatedAt}, func() error {
		q := p
		q.CreatedAt = q.CreatedAt.UTC()
		out = append(out, q)
		return nil
	})
	return out, err
}

// PhotoData returns one photo's JPEG, or its thumbnail.
func (db *DB) PhotoData(ctx context.Context, sessionID, id string, thumb bool) ([]byte, error) {
	col := "bytes"
	if thumb {
		col = "thumb"
	}
	var b []byte
	err := db.pool.QueryRow(ctx, `SELECT `+col+` FROM photos WHERE session_id = $1 AND id = $2`, sessionID, id).Scan(&b)
	if err != nil {
		return nil, notFound(err, ErrPhotoNotFound)
	}
	return b, nil
}
