package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/url"
	"testing"
)

// testJPEG is a w×h JPEG of noise-like colours (so it does not compress to
// nothing and a cut leaves the scan incomplete).
func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x*7 ^ y*13), uint8(x*y + 3), uint8(y * 5), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withEXIF inserts after the SOI an APP1 Exif segment (big-endian TIFF,
// one IFD entry: Orientation = orient) followed by a marker text that must
// not survive the re-encoding.
func withEXIF(jpg []byte, orient uint16, marker string) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{orient, 0})
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	tiff.WriteString(marker)
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

func photoHdr(tok, ctype string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + tok, "Content-Type": ctype}
}

type photoJSON struct {
	ID, Caption, MIME string
	Width, Height     int
	UploadedAt        string
}

func (tr *trio) photos(tok string) []photoJSON {
	tr.t.Helper()
	st, b := tr.ts.request("GET", "/api/sessions/"+tr.s.ID+"/photos", photoHdr(tok, ""), nil)
	var out struct{ Photos []photoJSON }
	if st != 200 || json.Unmarshal(b, &out) != nil {
		tr.t.Fatalf("list photos: %d %s", st, b)
	}
	return out.Photos
}

func TestPhotoUploadStripsEXIFAndTurnsUpright(t *testing.T) {
	tr := newTrio(t, "kosong")
	base := "/api/sessions/" + tr.s.ID + "/photos"
	body := withEXIF(testJPEG(t, 64, 48), 6, "RAHASIA-GPS-LOKASI")
	body = append(body, []byte("TRAILING-PAYLOAD")...)
	st, b := tr.ts.request("POST", base+"?caption="+url.QueryEscape("Sesi pleno\u0007 pagi"), photoHdr(tr.s.FacilitatorToken, "image/jpeg"), body)
	var p photoJSON
	if st != 201 || json.Unmarshal(b, &p) != nil {
		t.Fatalf("upload: %d %s", st, b)
	}
	if p.Width != 48 || p.Height != 64 || p.Caption != "Sesi pleno pagi" || p.MIME != "image/jpeg" || p.UploadedAt == "" {
		t.Errorf("photo = %+v, want 48×64 (orientation 6 turned upright) and the cleaned caption", p)
	}
	// The notulis may upload too; a PNG comes back as JPEG.
	var pb bytes.Buffer
	png.Encode(&pb, image.NewRGBA(image.Rect(0, 0, 400, 100)))
	if st, b := tr.ts.request("POST", base, photoHdr(tr.notTok, "image/png"), pb.Bytes()); st != 201 {
		t.Fatalf("notulis PNG upload: %d %s", st, b)
	}
	st, full := tr.ts.request("GET", base+"/"+p.ID, photoHdr(tr.notTok, ""), nil)
	if st != 200 {
		t.Fatalf("get photo: %d %s", st, full)
	}
	for _, s := range []string{"Exif", "RAHASIA", "TRAILING"} {
		if bytes.Contains(full, []byte(s)) {
			t.Errorf("the served photo still holds %q", s)
		}
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(full)); err != nil || cfg.Width != 48 || cfg.Height != 64 {
		t.Errorf("served photo: %+v, %v", cfg, err)
	}
	st, th := tr.ts.request("GET", base+"/"+p.ID+"/thumb", photoHdr(tr.s.FacilitatorToken, ""), nil)
	if _, err := jpeg.DecodeConfig(bytes.NewReader(th)); st != 200 || err != nil {
		t.Errorf("thumb: %d, %v", st, err)
	}
	list := tr.photos(tr.s.FacilitatorToken)
	if len(list) != 2 || list[0].ID != p.ID || list[1].Width != 400 {
		t.Errorf("list = %+v", list)
	}
	// Rights: a participant neither uploads, lists, reads nor deletes.
	st, b = tr.ts.request("POST", base, photoHdr(tr.parTok, "image/jpeg"), body)
	checkErrorBody(t, "participant upload", st, b, 403, "forbidden")
	st, b = tr.ts.request("GET", base, photoHdr(tr.parTok, ""), nil)
	checkErrorBody(t, "participant list", st, b, 403, "forbidden")
	st, b = tr.ts.request("GET", base+"/"+p.ID, photoHdr(tr.parTok, ""), nil)
	checkErrorBody(t, "participant get", st, b, 403, "forbidden")
	st, b = tr.ts.request("DELETE", base+"/"+p.ID, photoHdr(tr.parTok, ""), nil)
	checkErrorBody(t, "participant delete", st, b, 403, "forbidden")
	st, b = tr.ts.request("GET", base+"/"+p.ID, nil, nil)
	checkErrorBody(t, "no token", st, b, 401, "unauthorized")
	// The notulis deletes; the photo is gone.
	if st, b := tr.ts.request("DELETE", base+"/"+p.ID, photoHdr(tr.notTok, ""), nil); st != 204 {
		t.Fatalf("delete: %d %s", st, b)
	}
	st, b = tr.ts.request("GET", base+"/"+p.ID, photoHdr(tr.notTok, ""), nil)
	checkErrorBody(t, "deleted photo", st, b, 404, "not_found")
	if n := len(tr.photos(tr.notTok)); n != 1 {
		t.Errorf("%d photos after the delete, want 1", n)
	}
}

// Each refused upload answers a clear error and stores nothing.
func TestPhotoUploadRefusals(t *testing.T) {
	tr := newTrio(t, "kosong")
	base := "/api/sessions/" + tr.s.ID + "/photos"
	fac := tr.s.FacilitatorToken
	good := testJPEG(t, 200, 200)
	cases := []struct {
		label, ctype string
		body         []byte
		status       int
		code, msg    string
	}{
		{"text renamed .jpg", "image/jpeg", []byte("ini bukan foto, hanya teks\n"), 400, "invalid", "not a JPEG or PNG"},
		{"truncated JPEG", "image/jpeg", good[:len(good)/2], 400, "invalid", "damaged or incomplete"},
		{"GIF", "image/png", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 400, "invalid", "not a JPEG or PNG"},
		{"empty", "image/jpeg", nil, 400, "invalid", "empty"},
		{"not an image type", "text/plain", good, 415, "invalid", "Content-Type"},
	}
	for _, c := range cases {
		st, b := tr.ts.request("POST", base, photoHdr(fac, c.ctype), c.body)
		checkErrorBody(t, c.label, st, b, c.status, c.code)
		if !bytes.Contains(b, []byte(c.msg)) {
			t.Errorf("%s: message %s does not say %q", c.label, b, c.msg)
		}
	}
	// Over 8 MB (a valid JPEG start, then padding): refused before decoding.
	st, b := tr.ts.postDeclared(base, photoHdr(fac, "image/jpeg"), len(good)+8<<20, good)
	checkErrorBody(t, "over 8 MB", st, b, 413, "too_large")
	if !bytes.Contains(b, []byte("8 MB")) {
		t.Errorf("oversize message %s does not name the limit", b)
	}
	// A small file that claims a huge image: refused by its header.
	bomb := make([]byte, 0, 64)
	var pb bytes.Buffer
	png.Encode(&pb, image.NewGray(image.Rect(0, 0, 1, 1)))
	bomb = append(bomb, pb.Bytes()...)
	binary.BigEndian.PutUint32(bomb[16:], 10000) // IHDR width
	binary.BigEndian.PutUint32(bomb[20:], 10000) // IHDR height
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))
	st, b = tr.ts.request("POST", base, photoHdr(fac, "image/png"), bomb)
	checkErrorBody(t, "100-MP header", st, b, 413, "too_large")
	if n := len(tr.photos(fac)); n != 0 {
		t.Fatalf("%d photos stored after refusals", n)
	}
	// Other routes keep their 64 KiB limit.
	st, b = tr.ts.postBig("/api/join", map[string]string{"Content-Type": "application/json"}, make([]byte, 70<<10))
	checkErrorBody(t, "join over 64 KiB", st, b, 413, "too_large")
}

// The 31st photo of a session is refused with conflict and not stored.
func TestPhotoCapPerSession(t *testing.T) {
	tr := newTrio(t, "kosong")
	base := "/api/sessions/" + tr.s.ID + "/photos"
	small := testJPEG(t, 16, 16)
	for i := 0; i < 30; i++ {
		if st, b := tr.ts.request("POST", base, photoHdr(tr.s.FacilitatorToken, "image/jpeg"), small); st != 201 {
			t.Fatalf("photo %d: %d %s", i+1, st, b)
		}
	}
	st, b := tr.ts.request("POST", base, photoHdr(tr.notTok, "image/jpeg"), small)
	checkErrorBody(t, "31st photo", st, b, 409, "conflict")
	if !bytes.Contains(b, []byte("at most 30")) {
		t.Errorf("31st photo message: %s", b)
	}
	if n := len(tr.photos(tr.notTok)); n != 30 {
		t.Errorf("%d photos, want 30", n)
	}
}

// The minutes carry the photos in their appendix; deleting the session
// removes them.
func TestPhotoInMinutesAndGoneWithSession(t *testing.T) {
	tr := newTrio(t, "kosong")
	base := "/api/sessions/" + tr.s.ID + "/photos"
	if st, b := tr.ts.request("POST", base+"?caption=Foto%20bersama", photoHdr(tr.notTok, "image/jpeg"), testJPEG(t, 120, 90)); st != 201 {
		t.Fatalf("upload: %d %s", st, b)
	}
	st, _, h := tr.ts.minutes(tr.s.ID, tr.s.FacilitatorToken, "format=html")
	if st != 200 || !bytes.Contains(h, []byte("<h2>Dokumentasi</h2>")) || !bytes.Contains(h, []byte(`src="data:image/jpeg;base64,`)) || !bytes.Contains(h, []byte("Foto 1 — Foto bersama")) {
		t.Errorf("html minutes without the photo (status %d)", st)
	}
	_, _, js := tr.ts.minutes(tr.s.ID, tr.notTok, "format=json&lang=en")
	if !bytes.Contains(js, []byte(`"photos":[{"no":1,"caption":"Foto bersama","width":120,"height":90}]`)) {
		t.Errorf("json minutes: %.300s", js[max(0, len(js)-300):])
	}
	_, _, pdf := tr.ts.minutes(tr.s.ID, tr.notTok, "format=pdf")
	if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
		t.Error("pdf minutes without an image")
	}
	if st := tr.ts.do("DELETE", "/api/sessions/"+tr.s.ID, tr.s.FacilitatorToken, nil, nil); st != 204 && st != 200 {
		t.Fatalf("delete session: %d", st)
	}
	if list, err := tr.ts.DB.Photos(context.Background(), tr.s.ID, false); err != nil || len(list) != 0 {
		t.Errorf("photos after the session was deleted: %v, %v", list, err)
	}
}

// nextPhotos skips the frames before the next "photos" frame.
func nextPhotos(w *wsClient) map[string]any {
	for {
		if m := w.next(); m["type"] == "photos" {
			return m
		}
	}
}

// An upload or a delete sends the staff's pages a "photos" frame with the
// new count; a participant's page gets none.
func TestPhotoFrameToStaffOnly(t *testing.T) {
	tr := newTrio(t, "kosong")
	base := "/api/sessions/" + tr.s.ID + "/photos"
	st, b := tr.ts.request("POST", base, photoHdr(tr.s.FacilitatorToken, "image/jpeg"), testJPEG(t, 32, 32))
	var p photoJSON
	if st != 201 || json.Unmarshal(b, &p) != nil {
		t.Fatalf("upload: %d %s", st, b)
	}
	for _, w := range []*wsClient{tr.fac, tr.not} {
		if f := nextPhotos(w); num(f["count"]) != 1 {
			t.Errorf("photos frame after the upload: %v", f)
		}
	}
	if st, b := tr.ts.request("DELETE", base+"/"+p.ID, photoHdr(tr.notTok, ""), nil); st != 204 {
		t.Fatalf("delete: %d %s", st, b)
	}
	if f := nextPhotos(tr.not); num(f["count"]) != 0 {
		t.Errorf("photos frame after the delete: %v", f)
	}
	// The participant's connection goes on; the frames it got before its
	// ack (sent after both photo changes) hold no photos frame.
	tr.id(tr.par, "note.add", map[string]any{"columnId": tr.colIDs[0], "text": "setelah foto"})
	if bytes.Contains(tr.par.raw.Bytes(), []byte(`"type":"photos"`)) {
		t.Error("a participant received a photos frame")
	}
}
