package server

import (
	"testing"

	"rembuk/board"
)

// A room another node owns is, for a client, unavailable (try again), not
// an internal error: every failover would log one per request otherwise.
func TestNotOwnerIsUnavailable(t *testing.T) {
	err := error(&notOwnerError{owner: "n2"})
	if got := board.ErrorCode(err); got != board.CodeUnavailable {
		t.Fatalf("code %q, want unavailable", got)
	}
	if !isNotOwner(err) {
		t.Fatal("isNotOwner lost the error")
	}
}
