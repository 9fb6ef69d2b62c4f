package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"rembuk/board"
	"rembuk/static"
)

// Caching rules. A fingerprinted name changes with its content, so it is
// kept for a year; everything else is revalidated on each use (ETag → 304).
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// Assets is the page as the server sends it: every file with its content
// type, ETag, caching rule and brotli and gzip forms made once, up front.
type Assets struct {
	files  map[string]*asset // by URL path: "/assets/…"
	index  *asset
	worker *asset
}

type asset struct {
	body, br, gz []byte
	ctype, etag  string
	cache        string
}

// NewAssets prepares the page. In production (dev false) the modules and
// stylesheets are bundled and minified with esbuild, fingerprinted under
// /assets/b/ and cached for a year, and a service worker keeps them for
// offline reloads. With dev true the sources are served as they are, each
// module its own file, revalidated on every load, and /sw.js is a worker
// that removes itself (a browser that ran the bundle before must not keep
// answering from its cache).
func NewAssets(dev bool) (*Assets, error) {
	files := static.FS()
	a := &Assets{files: map[string]*asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || name == "sw.js" {
			return err
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		// Production serves the sources too (anything that links them
		// directly keeps working) but does not spend start-up compressing
		// them: the page itself refers only to the bundle.
		a.files["/assets/"+name] = newAsset(name, body, cacheRevalidate, dev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if dev {
		a.index = newAsset("index.html", withTemplates(a.files["/assets/index.html"].body), cacheRevalidate, true)
		a.worker = newAsset("sw.js", []byte(devWorker), cacheRevalidate, false)
		return a, nil
	}
	b, err := static.Build()
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	built := make([]*asset, len(b.Files))
	for i, f := range b.Files {
		wg.Add(1)
		go func() { defer wg.Done(); built[i] = newAsset(f.Path, f.Body, cacheImmutable, true) }()
	}
	wg.Wait()
	for i, f := range b.Files {
		a.files[f.Path] = built[i]
	}
	a.index = newAsset("index.html", withTemplates(b.Index), cacheRevalidate, true)
	a.worker = newAsset("sw.js", b.Worker, cacheRevalidate, true)
	return a, nil
}

// withTemplates puts the session templates into the page as a JSON data
// block (not a script: the CSP stays "script-src 'self'"), so the landing
// page draws its template list in its first frame instead of after a
// request — one round trip less, and no layout shift when it arrives.
func withTemplates(index []byte) []byte {
	data, err := json.Marshal(board.Templates()) // escapes <, > and &
	if err != nil {
		return index
	}
	block := `<script type="application/json" id="templates-data">` + string(data) + "</script>\n</head>"
	return bytes.Replace(index, []byte("</head>"), []byte(block), 1)
}

// devWorker replaces a worker installed by a production build.
const devWorker = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.registration.unregister()));
`

func newAsset(name string, body []byte, cache string, compress bool) *asset {
	ct := mime.TypeByExtension(path.Ext(name))
	switch {
	case strings.HasSuffix(name, ".js"):
		ct = "text/javascript; charset=utf-8"
	case ct == "":
		ct = "application/octet-stream"
	}
	sum := sha256.Sum256(body)
	a := &asset{body: body, ctype: ct, cache: cache, etag: `"` + hex.EncodeToString(sum[:])[:20] + `"`}
	// Images other than SVG are compressed already; tiny files gain nothing.
	if compress && len(body) > 256 && (strings.HasPrefix(ct, "text/") || strings.Contains(ct, "svg") || strings.Contains(ct, "json")) {
		a.br = keepIfSmaller(body, brotliBytes(body))
		a.gz = keepIfSmaller(body, gzipBytes(body))
	}
	return a
}

func keepIfSmaller(body, packed []byte) []byte {
	if len(packed) >= len(body) {
		return nil
	}
	return packed
}

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	_, _ = w.Write(b) // writes to memory do not fail
	_ = w.Close()
	return buf.Bytes()
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

// staticRoutes serves the page: index.html for the app's routes, the
// service worker at the root (its scope is the whole site), the assets by
// path. Everything comes from the binary.
func (s *Server) staticRoutes() {
	index := func(c *fiber.Ctx) error { return s.assets().index.send(c) }
	s.app.Get("/", index)
	s.app.Get("/join/:code", index)
	s.app.Get("/s/:id", index)
	s.app.Get("/sw.js", func(c *fiber.Ctx) error { return s.assets().worker.send(c) })
	s.app.Get("/assets/*", func(c *fiber.Ctx) error {
		f := s.assets().files["/assets/"+path.Clean(c.Params("*"))]
		if f == nil {
			return fiber.ErrNotFound
		}
		return f.send(c)
	})
}

// assets returns the prepared page: the one main made at start, or else
// one prepared on first use (tests that never load the page skip the
// bundling). A page that does not build falls back to the sources, logged.
func (s *Server) assets() *Assets {
	s.assetsOnce.Do(func() {
		if s.cfg.Assets != nil {
			s.page = s.cfg.Assets
			return
		}
		a, err := NewAssets(false)
		if err != nil {
			s.log.Error("bundling the page failed; serving the sources", "err", err)
			a, err = NewAssets(true)
		}
		if err != nil {
			panic(fmt.Sprintf("static files: %v", err)) // the embedded folder is part of the binary
		}
		s.page = a
	})
	return s.page
}

// send answers with the best encoding the client accepts, or 304 when it
// already holds this version.
func (a *asset) send(c *fiber.Ctx) error {
	body, enc, etag := a.body, "", a.etag
	if a.br != nil || a.gz != nil {
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
		accept := c.Get(fiber.HeaderAcceptEncoding)
		switch {
		case a.br != nil && accepts(accept, "br"):
			body, enc = a.br, "br"
		case a.gz != nil && accepts(accept, "gzip"):
			body, enc = a.gz, "gzip"
		}
	}
	if enc != "" {
		// Each encoding is its own representation, so its own tag.
		etag = strings.TrimSuffix(etag, `"`) + "-" + enc + `"`
	}
	c.Set(fiber.HeaderCacheControl, a.cache)
	c.Set(fiber.HeaderETag, etag)
	if matchesETag(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if enc != "" {
		c.Set(fiber.HeaderContentEncoding, enc)
	}
	c.Set(fiber.HeaderContentType, a.ctype)
	return c.Send(body)
}

// accepts reports whether an Accept-Encoding header allows coding (a
// q of 0 refuses it).
func accepts(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// matchesETag reports whether If-None-Match names etag (weakly compared, as
// RFC 9110 asks for If-None-Match).
func matchesETag(header, etag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == etag {
			return true
		}
	}
	return false
}
