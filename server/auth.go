package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
)

// newToken returns a bearer token of 128 random bits.
func newToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how a token is stored and looked up: SHA-256, never the token.
func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// hashPasscode binds a session passcode to its session, so equal passcodes
// of two sessions do not share a hash.
func hashPasscode(sessionID, pass string) []byte {
	if pass == "" {
		return nil
	}
	h := sha256.Sum256([]byte(sessionID + "\x00" + pass))
	return h[:]
}

// passcodeOK compares in constant time.
func passcodeOK(stored []byte, sessionID, given string) bool {
	if len(stored) == 0 {
		return true
	}
	return subtle.ConstantTimeCompare(stored, hashPasscode(sessionID, given)) == 1
}

// newJoinCode draws a join code (board.JoinCodeFrom; the alphabet has no
// look-alikes).
func newJoinCode() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return board.JoinCodeFrom(b)
}

// bearer returns the token of an Authorization: Bearer header. Fiber's
// header value is reused after the handler; the string is copied.
func bearer(c *fiber.Ctx) (string, error) {
	h := c.Get(fiber.HeaderAuthorization)
	const p = "Bearer "
	if len(h) <= len(p) || !strings.EqualFold(h[:len(p)], p) {
		return "", board.Errorf(board.CodeUnauthorized, "a bearer token is required")
	}
	return strings.Clone(strings.TrimSpace(h[len(p):])), nil
}
