package server

import (
	"errors"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// addressesAnswer is GET /api/addresses: where phones can open this server.
type addressesAnswer struct {
	// PublicURL is the operator's -public-url; when set, every join link
	// and QR code uses it.
	PublicURL string `json:"publicUrl"`
	// LAN lists http://IP:PORT of this machine on its networks, for a page
	// opened on the machine itself (localhost), whose own address no phone
	// can open.
	LAN []string `json:"lan"`
}

// addresses tells the page which base to put in join links and QR codes.
// The LAN list goes only to a request made on this machine (from and to a
// loopback address): only that page needs it, and a server on the internet
// does not describe its internal network to whoever asks.
func (s *Server) addresses(c *fiber.Ctx) error {
	out := addressesAnswer{PublicURL: s.cfg.PublicURL, LAN: []string{}}
	if out.PublicURL == "" && isLoopbackHost(c.Hostname()) && isLoopbackIP(c.IP()) {
		out.LAN = s.lanURLs()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

// lanURLs is this machine's LAN addresses with the listening port: the
// configured ones (-lan-addrs), else every interface's when the server
// listens on all of them, else the one it listens on unless that is
// loopback (a server on 127.0.0.1 cannot be reached by a phone at all).
func (s *Server) lanURLs() []string {
	s.lnMu.Lock()
	ln := s.ln
	s.lnMu.Unlock()
	if ln == nil {
		return []string{}
	}
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return []string{}
	}
	return LANURLs(tcp, s.cfg.LANAddrs, interfaceIPs)
}

// LANURLs is lanURLs for a listener address: fixed (when not empty) wins,
// then the listener's own IP, then the interfaces' IPs for a wildcard
// listener. IPv4 only, no loopback or link-local: what a phone on the same
// Wi-Fi can type or scan.
func LANURLs(ln *net.TCPAddr, fixed []string, ifaces func() []net.IP) []string {
	port := strconv.Itoa(ln.Port)
	out := []string{}
	if len(fixed) > 0 {
		for _, h := range fixed {
			out = append(out, "http://"+net.JoinHostPort(h, port))
		}
		return out
	}
	var ips []net.IP
	switch {
	case ln.IP == nil || ln.IP.IsUnspecified():
		ips = ifaces()
	case ln.IP.IsLoopback():
		return out
	default:
		ips = []net.IP{ln.IP}
	}
	for _, ip := range ips {
		if ip.To4() == nil || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() {
			continue
		}
		u := "http://" + net.JoinHostPort(ip.String(), port)
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// interfaceIPs lists this machine's interface addresses (read per request:
// a laptop changes networks).
func interfaceIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			ips = append(ips, n.IP)
		}
	}
	return ips
}

func isLoopbackHost(h string) bool {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	return isLoopbackIP(h)
}

func isLoopbackIP(s string) bool {
	ip := net.ParseIP(s)
	return ip != nil && ip.IsLoopback()
}

// CleanPublicURL checks a -public-url: absolute http(s) with a host, no
// query or fragment; the trailing slash is dropped so links are base+"/join/CODE".
func CleanPublicURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", errors.New("-public-url must be an http(s) address like https://rembuk.example.go.id")
	}
	return strings.TrimRight(u.String(), "/"), nil
}
