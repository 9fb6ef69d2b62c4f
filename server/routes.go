package server

import (
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// routes wires every endpoint. Security headers go on every answer.
func (s *Server) routes() {
	a := s.app
	a.Use(s.recoverHTTP, securityHeaders)
	// The command endpoint answers every refusal in its own shape, its
	// body limit, content type and a panic included (commandErrors), so
	// it is routed before the body limit every other request passes.
	a.Post("/api/sessions/:id/commands", s.commandErrors, s.recoverHTTP, s.smallBodies, s.requireJSON, s.postCommand)
	a.Use(s.smallBodies)
	a.Get("/healthz", s.healthz)
	a.Get("/api/templates", s.templates)
	a.Get("/api/qr", s.qr)
	a.Get("/api/addresses", s.addresses)
	a.Post("/api/sessions", s.requireJSON, s.createSession)
	a.Post("/api/join", s.requireJSON, s.joinSession)
	a.Get("/api/sessions/:id/board", s.getBoard)
	a.Delete("/api/sessions/:id", s.deleteSession)
	a.Get("/api/sessions/:id/events", s.sseEvents)
	a.Get("/api/sessions/:id/minutes", s.getMinutes)
	a.Get("/api/sessions/:id/pack", s.getPack)
	a.Get("/api/sessions/:id/diagram", s.getDiagram)
	a.Get("/ws/sessions/:id", s.upgradeCheck, s.websocketHandler())
	s.photoRoutes()
	s.rejoinRoutes()
	s.programmeRoutes()
	s.staticRoutes()
	a.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// securityHeaders: no inline script or style anywhere, no framing, no
// sniffing, no referrer (join links carry codes).
func securityHeaders(c *fiber.Ctx) error {
	setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders sets the headers of every answer. writeError sets
// them too: refusals made before routing (a body over the limit) reach the
// error handler without passing the middleware.
func setSecurityHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Frame-Options", "DENY")
}

// recoverHTTP turns a panic in a handler into an internal error (a 500
// without its text), written like every other error its chain returns.
func (s *Server) recoverHTTP(c *fiber.Ctx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic in HTTP handler", "panic", v, "path", c.Path())
			err = errPanic
		}
	}()
	return c.Next()
}

// requireJSON refuses a POST body not declared application/json (415).
// A browser sends a cross-site form or text/plain POST without asking
// first; a JSON one needs a CORS preflight, which Rembuk never grants.
func (s *Server) requireJSON(c *fiber.Ctx) error {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || !strings.EqualFold(mt, fiber.MIMEApplicationJSON) {
		return errNotJSON
	}
	return c.Next()
}
