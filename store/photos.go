package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"rembuk/board"
)

// Photo is one photo of a session (the Dokumentasi appendix). Bytes and
// Thumb are the server's re-encoded JPEGs; the list leaves them out.
type Photo = board.Photo

// ErrPhotoNotFound is the answer for an unknown photo id.
var ErrPhotoNotFound = board.Errorf(board.CodeNotFound, "photo not found")

// AddPhoto stores p if the session exists and holds fewer than max photos;
// the count and the insert share the writer's transaction, so two uploads
// at once cannot pass the cap together.
func (db *DB) AddPhoto(ctx context.Context, p Photo, max int) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var n, known int
		if err := tx.QueryRow(`SELECT count(*) FROM sessions WHERE id = ?`, p.SessionID).Scan(&known); err != nil {
			return err
		}
		if known == 0 {
			return ErrNotFound
		}
		if err := tx.QueryRow(`SELECT count(*) FROM photos WHERE session_id = ?`, p.SessionID).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return board.Errorf(board.CodeConflict, "a session holds at most %d photos", max)
		}
		_, err := tx.Exec(`INSERT INTO photos (session_id, id, caption, mime, width, height, bytes, thumb, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.SessionID, p.ID, p.Caption, p.MIME, p.Width, p.Height, p.Bytes, p.Thumb,
			p.CreatedBy, p.CreatedAt.UTC().Format(timeFormat))
		return err
	})
}

// DeletePhoto removes one photo.
func (db *DB) DeletePhoto(ctx context.Context, sessionID, id string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM photos WHERE session_id = ? AND id = ?`, sessionID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrPhotoNotFound
		}
		return nil
	})
}

// Photos lists a session's photos in upload order; with blobs false the
// image bytes are left out (the list endpoint), with true they are read
// (the minutes).
func (db *DB) Photos(ctx context.Context, sessionID string, blobs bool) ([]Photo, error) {
	q := `SELECT id, caption, mime, width, height, X'', X'', created_by, created_at FROM photos WHERE session_id = ? ORDER BY created_at, id`
	if blobs {
		q = `SELECT id, caption, mime, width, height, bytes, thumb, created_by, created_at FROM photos WHERE session_id = ? ORDER BY created_at, id`
	}
	rows, err := db.reader.QueryContext(ctx, q, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Photo
	for rows.Next() {
		p := Photo{SessionID: sessionID}
		var at string
		if err := rows.Scan(&p.ID, &p.Caption, &p.MIME, &p.Width, &p.Height, &p.Bytes, &p.Thumb, &p.CreatedBy, &at); err != nil {
			return nil, err
		}
		if !blobs {
			p.Bytes, p.Thumb = nil, nil
		}
		p.CreatedAt, _ = time.Parse(timeFormat, at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// PhotoData returns one photo's JPEG, or its thumbnail.
func (db *DB) PhotoData(ctx context.Context, sessionID, id string, thumb bool) ([]byte, error) {
	col := "bytes"
	if thumb {
		col = "thumb"
	}
	var b []byte
	err := db.reader.QueryRowContext(ctx, `SELECT `+col+` FROM photos WHERE session_id = ? AND id = ?`, sessionID, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrPhotoNotFound
	}
	return b, err
}
