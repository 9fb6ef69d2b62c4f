package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"rembuk/board"
)

func testPhoto(sess, id string, at time.Time) board.Photo {
	return board.Photo{SessionID: sess, ID: id, Caption: "Foto " + id, MIME: "image/jpeg", Width: 640, Height: 480,
		Bytes: []byte("\xff\xd8jpeg-" + id + "\x00\x01"), Thumb: []byte("\xff\xd8thumb-" + id), CreatedBy: "fac", CreatedAt: at}
}

func testPhotos(t *testing.T, st Store) {
	db, ok := st.(PhotoStore)
	if !ok {
		t.Skip("this store keeps no photos")
	}
	ctx := context.Background()
	Create(t, st, "s1", "KODE01")
	// Upload order is the list's order, whatever the ids.
	for i, id := range []string{"c", "a", "b"} {
		if err := db.AddPhoto(ctx, testPhoto("s1", id, T0.Add(time.Duration(i)*time.Minute)), 3); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddPhoto(ctx, testPhoto("s1", "d", T0), 3); board.ErrorCode(err) != board.CodeConflict {
		t.Fatalf("fourth photo past a cap of 3: %v, want conflict", err)
	}
	if err := db.AddPhoto(ctx, testPhoto("nope", "x", T0), 3); board.ErrorCode(err) != board.CodeNotFound {
		t.Fatalf("photo of an unknown session: %v, want not_found", err)
	}
	list, err := db.Photos(ctx, "s1", false)
	if err != nil || len(list) != 3 || list[0].ID != "c" || list[2].ID != "b" || list[0].Bytes != nil || list[0].Thumb != nil ||
		list[0].Caption != "Foto c" || list[0].Width != 640 || list[0].Height != 480 || list[0].MIME != "image/jpeg" ||
		list[0].CreatedBy != "fac" || list[0].SessionID != "s1" || !list[0].CreatedAt.Truncate(time.Microsecond).Equal(T0.Truncate(time.Microsecond)) {
		t.Fatalf("list = %+v, %v", list, err)
	}
	full, err := db.Photos(ctx, "s1", true)
	if err != nil || len(full) != 3 || !bytes.Equal(full[1].Bytes, []byte("\xff\xd8jpeg-a\x00\x01")) || !bytes.Equal(full[1].Thumb, []byte("\xff\xd8thumb-a")) {
		t.Fatalf("blobs = %+v %v", full, err)
	}
	if b, err := db.PhotoData(ctx, "s1", "b", true); err != nil || string(b) != "\xff\xd8thumb-b" {
		t.Fatalf("thumb = %q, %v", b, err)
	}
	if b, err := db.PhotoData(ctx, "s1", "b", false); err != nil || string(b) != "\xff\xd8jpeg-b\x00\x01" {
		t.Fatalf("photo = %q, %v", b, err)
	}
	if err := db.DeletePhoto(ctx, "s1", "a"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeletePhoto(ctx, "s1", "a"); board.ErrorCode(err) != board.CodeNotFound {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := db.PhotoData(ctx, "s1", "a", false); board.ErrorCode(err) != board.CodeNotFound {
		t.Fatalf("deleted photo: %v", err)
	}
	if err := st.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if list, err := db.Photos(ctx, "s1", false); err != nil || len(list) != 0 {
		t.Fatalf("photos of a deleted session = %d %v", len(list), err)
	}
}
