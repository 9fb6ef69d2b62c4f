package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPhotoUpload: the facilitator picks a text file named .jpg (refused
// with the Indonesian message, nothing added), then a real JPEG, whose
// thumbnail appears in the Dokumentasi grid.
func TestPhotoUpload(t *testing.T) {
	base := startServer(t)
	fac := newBrowser(t, "fac", 1280, 900, false)
	createSession(t, fac, base, "Rapat Foto", "Fasilitator")
	dir := t.TempDir()
	fake := filepath.Join(dir, "bukan-foto.jpg")
	if err := os.WriteFile(fake, []byte("ini hanya teks\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for x := 0; x < 640; x++ {
		img.Set(x, x%480, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, nil)
	real := filepath.Join(dir, "rapat.jpg")
	if err := os.WriteFile(real, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	input := css(`[data-testid=photo-input]`)
	fac.do("open the conclusions tab", click(css(`[data-testid=tab-notes]`)), waitVisible(css(`[data-testid=photos]`)))
	fac.do("pick the fake photo", chromedp.SetUploadFiles(input, []string{fake}, chromedp.NodeReady))
	fac.waitJS("the refusal shows", `document.querySelector('[data-testid=photo-error]')?.textContent.includes('bukan foto JPEG atau PNG')`)
	fac.do("pick the real photo", chromedp.SetUploadFiles(input, []string{real}, chromedp.NodeReady))
	fac.waitJS("the thumbnail shows", `(() => { const i = document.querySelector('.photo-grid img'); return !!i && i.complete && i.naturalWidth === 320; })()`)
	if n := eval[int](fac, `document.querySelectorAll('.photo-grid li').length`); n != 1 {
		t.Errorf("%d photos in the grid, want 1", n)
	}
	t.Run("axe", func(t *testing.T) { axeCheck(t, fac, axeSource(t), "the Dokumentasi panel with a photo and an error") })
}
