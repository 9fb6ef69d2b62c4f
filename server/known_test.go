package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"rembuk/store"
)

// A request without a token learns whether a session exists (401 against
// 404) from the store, without loading the session's room: a stranger
// probing session ids must not make the server load whole boards.
func TestSessionKnownDoesNotLoadTheRoom(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "rembuk.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	// One server creates the session; a second one, on the same database
	// and with no room loaded yet, answers the requests.
	maker := New(Config{Store: db})
	t.Cleanup(func() { maker.hub.shutdown(context.Background()); db.Close() })

	body, _ := json.Marshal(map[string]any{"title": "Rapat", "template": "kosong", "facilitatorName": "Fasilitator"})
	req := httptest.NewRequest("POST", "/api/sessions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := maker.app.Test(req, -1)
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("create: %v %v", res, err)
	}
	var created struct{ ID string }
	if err := json.NewDecoder(res.Body).Decode(&created); err != nil {
		t.Fatal(err)
	}
	s := New(Config{Store: db})
	t.Cleanup(func() { s.hub.shutdown(context.Background()) })

	for path, want := range map[string]int{
		"/api/sessions/" + created.ID + "/board":                   401,
		"/api/sessions/00000000-0000-4000-8000-000000000000/board": 404,
	} {
		res, err := s.app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil || res.StatusCode != want {
			t.Fatalf("GET %s: %v %v, want %d", path, res.StatusCode, err, want)
		}
	}
	s.hub.mu.Lock()
	n := len(s.hub.rooms)
	s.hub.mu.Unlock()
	if n != 0 {
		t.Errorf("%d rooms loaded to answer requests without a token, want 0", n)
	}
}
