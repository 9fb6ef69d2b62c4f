package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"rembuk/board"
)

// A room call (roomFn: rejoin requests, device links) runs a closure on
// the room, which cannot travel to another node. For a session another
// node owns, the HTTP request itself goes there instead: its method, path,
// the headers the handlers read, its body and the client's address; the
// owner serves it through its own handlers and the answer comes back as it
// is (docs/cluster.md, "Nodes and broker").

// remoteRoomError is a room call for a session another node owns.
type remoteRoomError struct{ id string }

func (e *remoteRoomError) Error() string { return "the session is served by another node" }

// Headers the owner adds to a forwarded request (never trusted from a
// client: the key is this process's own secret).
const (
	hdrForwardKey  = "X-Rembuk-Forward-Key"
	hdrForwardAddr = "X-Rembuk-Forward-Addr"
)

// forwardedHeaders are the request headers the room calls' handlers read.
var forwardedHeaders = []string{fiber.HeaderAuthorization, fiber.HeaderContentType}

// answerHeaders are the response headers that go back.
var answerHeaders = []string{fiber.HeaderContentType, fiber.HeaderCacheControl, fiber.HeaderRetryAfter}

func newForwardKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// forwardedAddr is the client address of a request another node forwarded
// here (ok false for any other request).
func (s *Server) forwardedAddr(c *fiber.Ctx) (string, bool) {
	if s.cluster == nil {
		return "", false
	}
	k := c.Get(hdrForwardKey)
	if k == "" || subtle.ConstantTimeCompare([]byte(k), []byte(s.cluster.key)) != 1 {
		return "", false
	}
	return c.Get(hdrForwardAddr), true
}

// forwardHTTP sends the request to the session's owner and writes its
// answer. A request forwarded once is not forwarded again (the owner
// changed meanwhile): it is answered unavailable, to be tried again.
func (c *cluster) forwardHTTP(fc *fiber.Ctx, id string) error {
	s := c.srv
	if _, fwd := s.forwardedAddr(fc); fwd || c.cfg.Broker == nil {
		return s.writeErrorBody(fc, errElsewhere)
	}
	req := cmdRequest{Kind: kindRaw, Method: fc.Method(), URI: string(fc.Request().RequestURI()),
		Headers: map[string]string{}, Body: fc.Body(), Addr: s.clientAddr(fc)}
	for _, h := range forwardedHeaders {
		if v := fc.Get(h); v != "" {
			req.Headers[h] = v
		}
	}
	c.mu.Lock()
	p := c.proxies[id]
	c.mu.Unlock()
	if p == nil {
		p = c.proxyTo(id, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	resp, err := p.request(ctx, req)
	if errors.Is(err, errReroute) {
		err = board.Errorf(board.CodeUnavailable, "the session is moving to another node; try again")
	}
	if err != nil {
		return s.writeErrorBody(fc, err)
	}
	for h, v := range resp.Headers {
		fc.Set(h, v)
	}
	return fc.Status(resp.Status).Send(resp.Body)
}

// serveForwarded runs a forwarded request through this node's handlers.
func (o *ownership) serveForwarded(req cmdRequest) cmdResponse {
	var fr fasthttp.Request
	fr.Header.SetMethod(req.Method)
	fr.SetRequestURI(req.URI)
	for h, v := range req.Headers {
		fr.Header.Set(h, v)
	}
	fr.Header.Set(hdrForwardKey, o.c.key)
	fr.Header.Set(hdrForwardAddr, req.Addr)
	fr.SetBody(req.Body)
	var rc fasthttp.RequestCtx
	rc.Init(&fr, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, nil)
	o.c.handler(&rc)
	resp := cmdResponse{Status: rc.Response.StatusCode(), Body: append([]byte(nil), rc.Response.Body()...), Headers: map[string]string{}}
	for _, h := range answerHeaders {
		if v := rc.Response.Header.Peek(h); len(v) > 0 {
			resp.Headers[h] = string(v)
		}
	}
	return resp
}
