package server_test

// The kit's checks of answers and of what a viewer received: the error
// shapes, no internals in an answer, no secret or hidden author in any
// frame, a hidden note's form.

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// checkErrorBody checks an HTTP error answer: the status, exactly
// {"error":{"code","message"}} with the code, and no internal text.
func checkErrorBody(t *testing.T, label string, status int, body []byte, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("%s: status %d, want %d (body %s)", label, status, wantStatus, body)
	}
	var eb struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&eb); err != nil {
		t.Errorf("%s: body %q is not {\"error\":{\"code\",\"message\"}}: %v", label, body, err)
		return
	}
	if eb.Error.Code != wantCode {
		t.Errorf("%s: code %q, want %q", label, eb.Error.Code, wantCode)
	}
	if eb.Error.Message == "" {
		t.Errorf("%s: empty message", label)
	}
	checkNoInternals(t, label, body)
}

// internalTexts are fragments of Go, SQL and framework error texts that must
// never reach a client.
var internalTexts = []string{"sql", "sqlite", "constraint", "no such", "syntax error", "json:", "invalid character",
	"cannot unmarshal", "unexpected end", "goroutine", "runtime error", "panic", ".go:", "fiber", "fasthttp",
	"nil pointer", "context deadline", "errors.", "database", "closed pool"}

func checkNoInternals(t *testing.T, label string, body []byte) {
	t.Helper()
	low := strings.ToLower(string(body))
	for _, s := range internalTexts {
		if strings.Contains(low, s) {
			t.Errorf("%s: answer %q contains internal text %q", label, body, s)
		}
	}
}

// stripParticipants removes from a decoded frame the places that legitimately name
// participants (presence, participant events, the board's participant
// list); nil means the whole frame is such a place.
func stripParticipants(f map[string]any) map[string]any {
	switch f["type"] {
	case "presence":
		return nil
	case "event":
		if name, _ := f["event"].(string); strings.HasPrefix(name, "participant.") {
			return nil
		}
	}
	out := map[string]any{}
	for k, v := range f {
		out[k] = v
	}
	delete(out, "participants")
	if b, ok := out["board"].(map[string]any); ok {
		cp := map[string]any{}
		for k, v := range b {
			cp[k] = v
		}
		delete(cp, "participants")
		out["board"] = cp
	}
	if evs, ok := out["events"].([]any); ok {
		var keep []any
		for _, e := range evs {
			if m, ok := e.(map[string]any); ok {
				if s := stripParticipants(m); s != nil {
					keep = append(keep, s)
				}
			}
		}
		out["events"] = keep
	}
	return out
}

// assertNoLeak scans every frame in raw (newline-separated JSON, or one
// JSON body): no secret may appear anywhere, and no hidden value (an
// author's id or name) outside the participant listings.
func assertNoLeak(t *testing.T, label string, raw []byte, secrets, hidden []string) {
	t.Helper()
	for i, line := range bytes.Split(raw, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		for _, s := range secrets {
			if bytes.Contains(line, []byte(s)) {
				t.Errorf("%s: frame %d carries the secret %q: %s", label, i, s, line)
			}
		}
		var f map[string]any
		if err := json.Unmarshal(line, &f); err != nil {
			t.Errorf("%s: frame %d: %v", label, i, err)
			continue
		}
		st := stripParticipants(f)
		if st == nil {
			continue
		}
		enc, _ := json.Marshal(st)
		for _, h := range hidden {
			if bytes.Contains(enc, []byte(h)) {
				t.Errorf("%s: frame %d carries the hidden author %q: %s", label, i, h, line)
			}
		}
	}
}

// noteViews finds every object describing note id in a decoded JSON
// value (events, notes lists, snapshots, welcome replays).
func noteViews(v any, id string) []map[string]any {
	var out []map[string]any
	switch x := v.(type) {
	case map[string]any:
		if x["id"] == id {
			if _, ok := x["columnId"]; ok {
				out = append(out, x)
			}
		}
		for _, c := range x {
			out = append(out, noteViews(c, id)...)
		}
	case []any:
		for _, c := range x {
			out = append(out, noteViews(c, id)...)
		}
	}
	return out
}

// assertHiddenForm checks that every view of note id in raw is exactly
// {"id","columnId","hidden":true}; it returns how many views it saw.
func assertHiddenForm(t *testing.T, label string, raw []byte, id string) int {
	t.Helper()
	n := 0
	for _, line := range bytes.Split(raw, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		var f any
		if json.Unmarshal(line, &f) != nil {
			continue
		}
		for _, nv := range noteViews(f, id) {
			n++
			if len(nv) != 3 || nv["hidden"] != true {
				t.Errorf("%s: note %s reached the viewer as %v, want only id, columnId, hidden", label, id, nv)
			}
		}
	}
	return n
}

// checkCommandError checks an error answer of POST /commands: the
// contract's {"error":{code,message}} and the WebSocket error frame's
// type/code/message, both with the given code.
func checkCommandError(t *testing.T, name string, out map[string]any, code string) {
	t.Helper()
	e, ok := out["error"].(map[string]any)
	if !ok || e["code"] != code || e["message"] == nil || e["message"] == "" {
		t.Errorf("%s: body %v, want {\"error\":{\"code\":%q,...}}", name, out, code)
	}
	if out["type"] != "error" || out["code"] != code {
		t.Errorf("%s: body %v, want an error frame with code %q", name, out, code)
	}
}
