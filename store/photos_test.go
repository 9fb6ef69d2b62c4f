package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"rembuk/board"
	"rembuk/store/storetest"
)

func testPhoto(sess, id string) Photo {
	return Photo{SessionID: sess, ID: id, Caption: "Foto " + id, MIME: "image/jpeg", Width: 640, Height: 480,
		Bytes: []byte("\xff\xd8jpeg-" + id), Thumb: []byte("\xff\xd8thumb-" + id), CreatedBy: "fac", CreatedAt: t0.Add(time.Minute)}
}

func TestPhotosAddListCapDelete(t *testing.T) {
	db := MustOpenDB(t)
	defer MustClose(t, db)
	storetest.Create(t, db, "s1", "KODE01")
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if err := db.AddPhoto(ctx, testPhoto("s1", string(rune('a'+i))), 3); err != nil {
			t.Fatal(err)
		}
	}
	err := db.AddPhoto(ctx, testPhoto("s1", "d"), 3)
	if board.ErrorCode(err) != board.CodeConflict {
		t.Fatalf("fourth photo past a cap of 3: %v, want conflict", err)
	}
	if err := db.AddPhoto(ctx, testPhoto("nope", "x"), 3); err != ErrNotFound {
		t.Fatalf("photo of an unknown session: %v", err)
	}
	list, err := db.Photos(ctx, "s1", false)
	if err != nil || len(list) != 3 || list[0].Bytes != nil || list[0].Caption != "Foto a" || list[0].Width != 640 {
		t.Fatalf("list = %+v, %v", list, err)
	}
	full, _ := db.Photos(ctx, "s1", true)
	if !bytes.Equal(full[1].Bytes, []byte("\xff\xd8jpeg-b")) || !bytes.Equal(full[1].Thumb, []byte("\xff\xd8thumb-b")) {
		t.Fatalf("blobs = %q %q", full[1].Bytes, full[1].Thumb)
	}
	if b, err := db.PhotoData(ctx, "s1", "c", true); err != nil || string(b) != "\xff\xd8thumb-c" {
		t.Fatalf("thumb = %q, %v", b, err)
	}
	if err := db.DeletePhoto(ctx, "s1", "a"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeletePhoto(ctx, "s1", "a"); err != ErrPhotoNotFound {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := db.PhotoData(ctx, "s1", "a", false); err != ErrPhotoNotFound {
		t.Fatalf("deleted photo: %v", err)
	}
	if err := db.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.reader.QueryRow(`SELECT count(*) FROM photos`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("photos left after the session was deleted: %d, %v", n, err)
	}
}

// TestBackupHoldsPhotos: VACUUM INTO copies blobs, so a backup restores
// the photos with the session.
func TestBackupHoldsPhotos(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rembuk.db")
	db := MustOpenDBAt(t, path)
	storetest.Create(t, db, "s1", "KODE01")
	p := testPhoto("s1", "p1")
	p.Bytes = bytes.Repeat([]byte{0xAB}, 300_000)
	if err := db.AddPhoto(context.Background(), p, board.MaxPhotosPerSess); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backup.db")
	if err := BackupFile(context.Background(), path, out); err != nil {
		t.Fatal(err)
	}
	MustClose(t, db)
	os.Remove(path)
	restored := MustOpenDBAt(t, out)
	defer MustClose(t, restored)
	got, err := restored.PhotoData(context.Background(), "s1", "p1", false)
	if err != nil || !bytes.Equal(got, p.Bytes) {
		t.Fatalf("restored photo: %d bytes, %v", len(got), err)
	}
}

// TestMigratePhotosOnOldDatabase opens the database written before 0003
// (testdata/pre0003.db), which today's code migrates through every step up
// to the photos table: the sessions load as they did, and a photo added
// afterwards changes none of them.
func TestMigratePhotosOnOldDatabase(t *testing.T) {
	raw, err := os.ReadFile(fixtureDB)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	db := MustOpenDBAt(t, path)
	defer MustClose(t, db)
	names, err := db.Migrations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !containsName(names, "0010_photos.sql") {
		t.Fatalf("migrations = %v", names)
	}
	before := map[string]string{}
	for _, id := range fixtureSessions {
		before[id] = string(dumpSession(t, db, id))
	}
	if err := db.AddPhoto(context.Background(), testPhoto("s1", "p1"), board.MaxPhotosPerSess); err != nil {
		t.Fatal(err)
	}
	if err := db.AddPhoto(context.Background(), testPhoto("gone", "p1"), board.MaxPhotosPerSess); err != ErrNotFound {
		t.Fatalf("photo of the deleted session: %v", err)
	}
	for _, id := range fixtureSessions {
		if got := string(dumpSession(t, db, id)); got != before[id] {
			t.Errorf("session %s changed after a photo was added", id)
		}
	}
	if list, err := db.Photos(context.Background(), "s1", false); err != nil || len(list) != 1 {
		t.Fatalf("photos of s1 = %v, %v", list, err)
	}
}

func containsName(names []string, n string) bool {
	for _, x := range names {
		if x == n {
			return true
		}
	}
	return false
}
