package server_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"rembuk/server"
	"rembuk/store"
)

// getPack starts a pack download; the caller reads and closes the body.
func (ts *testServer) getPack(id, token, query string) *http.Response {
	ts.t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+"/api/sessions/"+id+"/pack?"+query, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// packFiles reads a whole pack and returns its files by name, in order.
func packFiles(t *testing.T, body []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the pack is not a zip: %v", err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

func uploadPhoto(t testing.TB, ts *testServer, sid, tok, caption string, jpg []byte) {
	t.Helper()
	hdr := map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "image/jpeg"}
	if st, b := ts.request("POST", "/api/sessions/"+sid+"/photos?caption="+caption, hdr, jpg); st != 201 {
		t.Fatalf("upload: %d %s", st, b)
	}
}

// TestPackRights: the pack obeys the minutes' rule (facilitator and
// notulis), an unknown session is 404 whatever the token, and the letter
// carries the invitation the facilitator set.
func TestPackRights(t *testing.T) {
	ts := startServer(t, "")
	s := ts.create("zona-integritas")
	a := ts.join(s.JoinCode, "Ani")
	n := ts.join(s.JoinCode, "Nina Notulis")
	fac, _ := ts.connect(s.ID, s.FacilitatorToken, nil)
	fac.ack("participant.setRole", "r1", map[string]any{"id": n.ParticipantID, "role": "notulis"})
	fac.ack("invitation.set", "i1", map[string]any{"invitation": map[string]any{"number": "005/UND/XII/2026", "to": "Kepala Seksi Pelayanan", "signerName": "Dr. Ahmad"}})
	if f := fac.cmd("invitation.set", "i2", map[string]any{"invitation": map[string]any{"number": strings.Repeat("9", 101)}}); f["code"] != "invalid" {
		t.Fatalf("an over-long nomor: %v", f)
	}
	na, _ := ts.connect(s.ID, n.Token, nil)
	if f := na.cmd("invitation.set", "i3", map[string]any{"invitation": map[string]any{"number": "x"}}); f["code"] != "forbidden" {
		t.Fatalf("notulis sets the invitation: %v", f)
	}

	for _, c := range []struct {
		name, id, token, query string
		want                   int
	}{
		{"no token", s.ID, "", "", 401},
		{"participant", s.ID, a.Token, "", 403},
		{"unknown session", "00000000-0000-4000-8000-000000000000", s.FacilitatorToken, "", 404},
		{"unknown session, no token", "00000000-0000-4000-8000-000000000000", "", "", 404},
		{"bad lang", s.ID, s.FacilitatorToken, "lang=fr", 400},
	} {
		resp := ts.getPack(c.id, c.token, c.query)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != c.want || !bytes.Contains(b, []byte(`"error"`)) {
			t.Errorf("%s: %d %s, want %d", c.name, resp.StatusCode, b, c.want)
		}
	}
	for _, tok := range []string{s.FacilitatorToken, n.Token} {
		resp := ts.getPack(s.ID, tok, "")
		body, err := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || err != nil {
			t.Fatalf("pack: %d %v", resp.StatusCode, err)
		}
		if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "application/zip" ||
			!strings.HasPrefix(cd, `attachment; filename="paket-data-dukung-diskusi-uji-`) || !strings.HasSuffix(cd, `.zip"`) {
			t.Errorf("headers %q %q", ct, cd)
		}
		names, files := packFiles(t, body)
		want := "01-Undangan.pdf 01-Undangan.docx 02-Daftar-Hadir.pdf 03-Notulen.pdf 03-Notulen.docx 05-Rencana-Aksi.csv 05-Rencana-Aksi.pdf README.txt"
		if strings.Join(names, " ") != want {
			t.Fatalf("files %v", names)
		}
		if resp.Header.Get("X-Pack-Files") != fmt.Sprint(len(names)) {
			t.Errorf("X-Pack-Files %q for %d files", resp.Header.Get("X-Pack-Files"), len(names))
		}
		doc := docxDocument(t, files["01-Undangan.docx"])
		for _, w := range []string{"005/UND/XII/2026", "Kepala Seksi Pelayanan", "Dr. Ahmad"} {
			if !strings.Contains(doc, w) {
				t.Errorf("the letter lacks %q", w)
			}
		}
	}
	// English names for lang=en.
	names, _ := packFiles(t, mustRead(t, ts.getPack(s.ID, s.FacilitatorToken, "lang=en")))
	if names[0] != "01-Invitation.pdf" || names[len(names)-1] != "README.txt" {
		t.Errorf("en files %v", names)
	}
}

func mustRead(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("read: %d %v", resp.StatusCode, err)
	}
	return b
}

func docxDocument(t *testing.T, docx []byte) string {
	t.Helper()
	_, parts := packFiles(t, docx)
	return string(parts["word/document.xml"])
}

// gatedStore is the real store whose photo reads wait for the test: the
// pack must be on the wire before the photos are even read.
type gatedStore struct {
	*store.DB
	gate  chan struct{}
	reads atomic.Int32
}

func (g *gatedStore) PhotoData(ctx context.Context, sid, id string, thumb bool) ([]byte, error) {
	g.reads.Add(1)
	<-g.gate
	return g.DB.PhotoData(ctx, sid, id, thumb)
}

// zipWalker reads a pack as it arrives, entry by entry, the way the page
// counts files for its progress (local headers with their sizes).
type zipWalker struct{ r *bufio.Reader }

// next returns the next entry's name, or "" at the central directory.
func (z *zipWalker) next(t *testing.T) string {
	t.Helper()
	name, err := z.nextErr()
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func (z *zipWalker) nextErr() (string, error) {
	var h [30]byte
	if _, err := io.ReadFull(z.r, h[:]); err != nil {
		return "", fmt.Errorf("local header: %w", err)
	}
	switch binary.LittleEndian.Uint32(h[:4]) {
	case 0x04034b50:
	case 0x02014b50:
		return "", nil
	default:
		return "", fmt.Errorf("not a zip local header: % x", h[:4])
	}
	if binary.LittleEndian.Uint16(h[6:])&0x8 != 0 {
		return "", fmt.Errorf("entry with a data descriptor")
	}
	size := int64(binary.LittleEndian.Uint32(h[18:]))
	name := make([]byte, binary.LittleEndian.Uint16(h[26:]))
	extra := int64(binary.LittleEndian.Uint16(h[28:]))
	if _, err := io.ReadFull(z.r, name); err != nil {
		return "", err
	}
	if _, err := io.CopyN(io.Discard, z.r, extra+size); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return string(name), nil
}

// TestPackStreams: the first files arrive while the photos are still
// unread, so the zip is written as it is made, not gathered first.
func TestPackStreams(t *testing.T) {
	var g *gatedStore
	ts := startServer(t, "", func(c *server.Config) {
		g = &gatedStore{DB: c.Store.(*store.DB), gate: make(chan struct{})}
		c.Store = g
	})
	s := ts.create("zona-integritas")
	for i := range 3 {
		uploadPhoto(t, ts, s.ID, s.FacilitatorToken, fmt.Sprintf("Foto%%20%d", i+1), testJPEG(t, 160, 120))
	}
	t.Cleanup(func() {
		select {
		case <-g.gate:
		default:
			close(g.gate) // let the server finish if the test failed early
		}
	})
	// The request and the first files, in a goroutine: a server that
	// gathered the zip before sending would block here on the unread photos.
	var resp *http.Response
	var z *zipWalker
	var got []string
	arrived := make(chan struct{})
	go func() {
		defer close(arrived)
		req, _ := http.NewRequest("GET", ts.URL+"/api/sessions/"+s.ID+"/pack", nil)
		req.Header.Set("Authorization", "Bearer "+s.FacilitatorToken)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		resp, z = r, &zipWalker{r: bufio.NewReader(r.Body)}
		for range 5 { // the letter, the attendance list and the minutes come before any photo is read
			name, err := z.nextErr()
			if err != nil {
				return
			}
			got = append(got, name)
		}
	}()
	select {
	case <-arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("the first files did not arrive while the photos were unread: the pack is gathered before it is sent")
	}
	if resp == nil {
		t.Fatal("the request failed")
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength != -1 {
		t.Fatalf("status %d, length %d: want 200 and no length (streamed)", resp.StatusCode, resp.ContentLength)
	}
	if resp.Header.Get("X-Pack-Files") != "11" {
		t.Errorf("X-Pack-Files %q, want 11", resp.Header.Get("X-Pack-Files"))
	}
	if len(got) != 5 || got[4] != "03-Notulen.docx" {
		t.Fatalf("first files %v", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for g.reads.Load() == 0 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if g.reads.Load() != 1 {
		t.Fatalf("%d photo reads waiting, want 1 (the first photo, after the minutes)", g.reads.Load())
	}
	// The second photo is deleted while the pack waits on the first: it is
	// left out, and the zip stays whole.
	var list struct{ Photos []struct{ ID string } }
	if st := ts.do("GET", "/api/sessions/"+s.ID+"/photos", s.FacilitatorToken, nil, &list); st != 200 || len(list.Photos) != 3 {
		t.Fatalf("photos: %d %+v", st, list)
	}
	if st := ts.do("DELETE", "/api/sessions/"+s.ID+"/photos/"+list.Photos[1].ID, s.FacilitatorToken, nil, nil); st != 204 {
		t.Fatalf("delete photo: %d", st)
	}
	close(g.gate)
	for name := z.next(t); name != ""; name = z.next(t) {
		got = append(got, name)
	}
	want := "01-Undangan.pdf 01-Undangan.docx 02-Daftar-Hadir.pdf 03-Notulen.pdf 03-Notulen.docx 04-Dokumentasi/Foto-01-foto-1.jpg " +
		"04-Dokumentasi/Foto-03-foto-3.jpg 05-Rencana-Aksi.csv 05-Rencana-Aksi.pdf README.txt"
	if strings.Join(got, " ") != want {
		t.Fatalf("files %v", got)
	}
}
