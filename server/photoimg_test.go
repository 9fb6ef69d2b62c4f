package server

import (
	"image"
	"image/color"
	"testing"
)

// TestOrientation: each EXIF orientation turns a 2×1 image [A B] the way
// the camera meant, and a little-endian EXIF tag is read too.
func TestOrientation(t *testing.T) {
	a, b := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	src := image.NewRGBA(image.Rect(0, 0, 2, 1))
	src.SetRGBA(0, 0, a)
	src.SetRGBA(1, 0, b)
	want := map[int][]color.RGBA{ // pixels in reading order of the result
		1: {a, b}, 2: {b, a}, 3: {b, a}, 4: {a, b},
		5: {a, b}, 6: {a, b}, 7: {b, a}, 8: {b, a},
	}
	for o, px := range want {
		got := orient(src, o)
		var seq []color.RGBA
		for y := 0; y < got.Rect.Dy(); y++ {
			for x := 0; x < got.Rect.Dx(); x++ {
				seq = append(seq, got.RGBAAt(x, y))
			}
		}
		if seq[0] != px[0] || seq[1] != px[1] || (o >= 5) != (got.Rect.Dy() == 2) {
			t.Errorf("orientation %d: %v (%v), want %v", o, seq, got.Rect, px)
		}
	}
	// SOI, APP1 "Exif" with a little-endian TIFF: one entry, Orientation 8.
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0}
	seg := append([]byte("Exif\x00\x00"), tiff...)
	jpg := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	jpg = append(jpg, 0xFF, 0xDA, 0, 2)
	if o := exifOrientation(jpg); o != 8 {
		t.Errorf("little-endian orientation = %d, want 8", o)
	}
	if o := exifOrientation(jpg[:12]); o != 1 {
		t.Errorf("cut EXIF = %d, want 1", o)
	}
}
