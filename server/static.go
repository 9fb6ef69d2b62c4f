package server

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rembuk/static"
)

// staticRoutes serves the page: index.html for the app's routes, the
// assets by path. Everything comes from the binary.
func (s *Server) staticRoutes() {
	files := static.FS()
	index := func(c *fiber.Ctx) error { return sendFile(c, files, "index.html") }
	s.app.Get("/", index)
	s.app.Get("/join/:code", index)
	s.app.Get("/s/:id", index)
	s.app.Get("/assets/*", func(c *fiber.Ctx) error {
		name := path.Clean(strings.Clone(c.Params("*")))
		if strings.HasPrefix(name, "..") || strings.HasPrefix(name, "/") {
			return fiber.ErrNotFound
		}
		return sendFile(c, files, name)
	})
}

func sendFile(c *fiber.Ctx, files fs.FS, name string) error {
	b, err := fs.ReadFile(files, name)
	if err != nil {
		return fiber.ErrNotFound
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	if strings.HasSuffix(name, ".js") {
		ct = "text/javascript; charset=utf-8"
	}
	c.Set(fiber.HeaderContentType, ct)
	// The page is small and changes with each release: revalidate always.
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(b)
}
