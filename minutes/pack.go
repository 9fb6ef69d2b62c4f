package minutes

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"slices"
	"strings"
	"time"
)

// The evidence pack (paket data dukung): one zip a session, named so an
// LKE evaluator finds things — 01-Undangan, 02-Daftar-Hadir, 03-Notulen,
// 04-Dokumentasi, 05-Rencana-Aksi and a README.txt index saying which of
// the six areas perubahan each file touches.
//
// The pack is streamed: entries are rendered (or loaded) one at a time
// and written to the response as they are done, so the server holds one
// file, never the whole zip. Each entry is written with its sizes and
// CRC in its local header (no data descriptor): a reader of the stream —
// the page's progress bar — can walk it file by file as it arrives.

// PackEntry is one file of a pack. Body renders or loads it when it is
// written, so nothing of a pack is in memory before its turn.
type PackEntry struct {
	Name  string // path inside the zip, "/"-separated
	About string // what the file is, for README.txt
	Areas []int  // the areas (1–6) its content touches
	Body  func() ([]byte, error)
}

// ErrSkip, returned by an entry's Body, leaves the file out: a photo
// deleted between listing and writing is not worth a broken zip.
var ErrSkip = errors.New("minutes: pack entry gone")

// PackWriter writes entries into a zip on w as they come.
type PackWriter struct {
	w     io.Writer
	zw    *zip.Writer
	made  time.Time
	files []PackEntry
	// Wrote, if set, is called after each file with its name and the
	// bytes of the zip written so far (the server extends its write
	// deadline there).
	Wrote func(name string, total int64)
	count *countingWriter
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// flusher is a writer that can push what it holds to the network.
type flusher interface{ Flush() error }

// NewPackWriter starts a zip on w; entries are dated made.
func NewPackWriter(w io.Writer, made time.Time) *PackWriter {
	cw := &countingWriter{w: w}
	return &PackWriter{w: w, zw: zip.NewWriter(cw), made: made, count: cw}
}

// Add renders e and writes it: deflated when that helps (text, PDF), stored
// when it is compressed already (JPEG, DOCX).
func (p *PackWriter) Add(e PackEntry) error {
	body, err := e.Body()
	if errors.Is(err, ErrSkip) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("minutes: pack %s: %w", e.Name, err)
	}
	fh := &zip.FileHeader{Name: e.Name, Modified: p.made, Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(body), UncompressedSize64: uint64(len(body))}
	data := body
	if compressible(e.Name) {
		var buf bytes.Buffer
		fw, _ := flate.NewWriter(&buf, flate.DefaultCompression) // the level is valid
		if _, err := fw.Write(body); err != nil {
			return err
		}
		if err := fw.Close(); err != nil {
			return err
		}
		if buf.Len() < len(body) {
			fh.Method, data = zip.Deflate, buf.Bytes()
		}
	}
	fh.CompressedSize64 = uint64(len(data))
	w, err := p.zw.CreateRaw(fh)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := p.zw.Flush(); err != nil {
		return err
	}
	if f, ok := p.w.(flusher); ok {
		if err := f.Flush(); err != nil {
			return err
		}
	}
	e.Body = nil
	p.files = append(p.files, e)
	if p.Wrote != nil {
		p.Wrote(e.Name, p.count.n)
	}
	return nil
}

func compressible(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".docx", ".zip":
		return false
	}
	return true
}

// Files are the entries written so far (without their bodies).
func (p *PackWriter) Files() []PackEntry { return p.files }

// Close ends the zip (its central directory) and flushes it.
func (p *PackWriter) Close() error {
	if err := p.zw.Close(); err != nil {
		return err
	}
	if f, ok := p.w.(flusher); ok {
		return f.Flush()
	}
	return nil
}

// PackFilename names a pack's zip: paket-data-dukung-<slug of title>-<yyyy-mm-dd>.zip
// (evidence-pack-… in English), plain ASCII like Filename.
func PackFilename(lang, title, day string) string {
	name := "paket-data-dukung"
	if Lang(lang) == "en" {
		name = "evidence-pack"
	}
	if s := slug(title); s != "" {
		name += "-" + s
	}
	if day != "" {
		name += "-" + day
	}
	return name + ".zip"
}

// readmeText are README.txt's words.
var readmeText = map[string]struct{ Head, Intro, Areas, Touches, None, Made string }{
	"id": {Head: "PAKET DATA DUKUNG", Intro: "Daftar berkas dan area perubahan Zona Integritas yang didukung oleh isinya.",
		Areas: "Area perubahan (PermenPANRB No. 90 Tahun 2021):", Touches: "Area", None: "-", Made: "Dibuat dengan Rembuk pada %s."},
	"en": {Head: "EVIDENCE PACK", Intro: "The files, and the Zona Integritas change areas their content supports.",
		Areas: "Change areas (PermenPANRB No. 90 of 2021):", Touches: "Areas", None: "-", Made: "Made with Rembuk on %s."},
}

// Readme is README.txt for files: a heading per pack, each file with what
// it is and the areas its content touches, and the six areas' names.
// CRLF line ends: the evaluator most likely opens it in Notepad.
func Readme(lang, title string, made time.Time, files []PackEntry) []byte {
	lang = Lang(lang)
	rt := readmeText[lang]
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\r\n") }
	line(rt.Head)
	line(oneLine(title))
	line("")
	line(rt.Intro)
	line("")
	for _, f := range files {
		line(f.Name)
		if f.About != "" {
			line("    " + oneLine(f.About))
		}
		line("    " + rt.Touches + ": " + areaList(f.Areas, rt.None))
	}
	line("")
	line(rt.Areas)
	for i, a := range ZIAreas {
		line(fmt.Sprintf("  %d. %s", i+1, a))
	}
	line("")
	line(fmt.Sprintf(rt.Made, made.UTC().Format("2006-01-02 15:04 UTC")))
	return []byte(b.String())
}

// areaList writes areas as "1. Manajemen Perubahan; 6. Peningkatan …".
func areaList(areas []int, none string) string {
	var parts []string
	for _, n := range areas {
		if n >= 1 && n <= 6 {
			parts = append(parts, fmt.Sprintf("%d. %s", n, ZIAreas[n-1]))
		}
	}
	if len(parts) == 0 {
		return none
	}
	return strings.Join(parts, "; ")
}

// unionAreas is the sorted union of area numbers.
func unionAreas(sets ...[]int) []int {
	var out []int
	for _, s := range sets {
		for _, n := range s {
			if n >= 1 && n <= 6 && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}
