package server

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"rembuk/board"
)

// socketPair is a real TCP connection on 127.0.0.1: the server's end (as
// the outbox writes to it) and the client's.
func socketPair(t *testing.T) (srv, cli net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	acc := make(chan net.Conn, 1)
	go func() { c, _ := ln.Accept(); acc <- c }()
	cli, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	srv = <-acc
	if srv == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { srv.Close(); cli.Close() })
	return srv, cli
}

// readText reads one unmasked text frame as the server writes them.
func readText(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	h := make([]byte, 2)
	if _, err := io.ReadFull(r, h); err != nil {
		t.Fatal(err)
	}
	if h[0] != 0x81 {
		t.Fatalf("not a final text frame: %#x", h[0])
	}
	n := int(h[1])
	switch n {
	case 126:
		x := make([]byte, 2)
		io.ReadFull(r, x)
		n = int(x[0])<<8 | int(x[1])
	case 127:
		x := make([]byte, 8)
		io.ReadFull(r, x)
		n = 0
		for _, c := range x {
			n = n<<8 | int(c)
		}
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		t.Fatal(err)
	}
	return string(p)
}

func woken(o *outbox) bool {
	select {
	case <-o.notify:
		return true
	default:
		return false
	}
}

// TestSendNowWritesWithoutTheWriter: frames queued quietly go out on the
// socket, in order, from sendNow itself; the writer is not woken.
func TestSendNowWritesWithoutTheWriter(t *testing.T) {
	srv, cli := socketPair(t)
	o := newOutbox()
	if o.raw = rawConnOf(srv); o.raw == nil {
		t.Fatal("no raw socket under a TCP connection")
	}
	o.pushQuiet(frame{b: []byte(`{"type":"note.added","seq":7}`)})
	o.pushQuiet(frame{b: []byte(`{"type":"ack","seq":7}`)})
	if woken(o) {
		t.Fatal("a quiet push woke the writer")
	}
	o.sendNow()
	if woken(o) {
		t.Fatal("the writer was woken for frames written directly")
	}
	if len(o.frames) != 0 || o.bytes != 0 || o.rest != nil {
		t.Fatalf("queue after a direct write: %d frames, %d bytes, rest %d", len(o.frames), o.bytes, len(o.rest))
	}
	cli.SetReadDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(cli)
	if got := readText(t, r); got != `{"type":"note.added","seq":7}` {
		t.Fatalf("first frame %q", got)
	}
	if got := readText(t, r); got != `{"type":"ack","seq":7}` {
		t.Fatalf("second frame %q", got)
	}
}

// TestSendNowLeavesToTheWriter: while the writer writes, or for a frame in
// parts or a closed outbox, sendNow writes nothing and wakes the writer,
// which then gets every frame in order.
func TestSendNowLeavesToTheWriter(t *testing.T) {
	srv, _ := socketPair(t)
	o := newOutbox()
	o.raw = rawConnOf(srv)
	o.hold()
	o.pushQuiet(frame{b: []byte("a")})
	o.sendNow()
	if !woken(o) || len(o.frames) != 1 {
		t.Fatalf("busy writer: woken=%v, %d frames queued", woken(o), len(o.frames))
	}
	o.release()
	o.pushQuiet(frame{parts: [][]byte{[]byte("b1"), []byte("b2")}})
	o.sendNow()
	if !woken(o) {
		t.Fatal("a frame in parts was not left to the writer")
	}
	_, frames, _, _, _ := o.claim(nil)
	if len(frames) != 2 || string(frames[0].b) != "a" || frames[1].size() != 4 {
		t.Fatalf("the writer got %d frames", len(frames))
	}
	if !o.busy {
		t.Fatal("claim did not mark the writer busy")
	}
	o.release()
	o.close(1000, "")
	woken(o)
	o.pushQuiet(frame{b: []byte("c")})
	o.sendNow()
	if !woken(o) {
		t.Fatal("a closed outbox did not wake its writer")
	}
}

// TestSendNowPartialWrite: a reader that stops reading fills the socket;
// a direct write then takes what the kernel takes and the writer gets the
// rest of that frame first, so the stream stays whole; later frames are
// queued behind it, and none of it ever blocks sendNow.
func TestSendNowPartialWrite(t *testing.T) {
	srv, cli := socketPair(t)
	srv.(*net.TCPConn).SetWriteBuffer(4096)
	cli.(*net.TCPConn).SetReadBuffer(4096)
	o := newOutbox()
	o.raw = rawConnOf(srv)
	payload := strings.Repeat("x", 8000)
	var sent []string
	start := time.Now()
	for i := 0; o.rest == nil && len(o.frames) == 0; i++ {
		if i > 10000 || time.Since(start) > 10*time.Second {
			t.Fatal("the socket never filled")
		}
		p := payload[:7000+i%900]
		sent = append(sent, p)
		o.pushQuiet(frame{b: []byte(p)})
		o.sendNow()
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("sendNow waited for the socket")
	}
	t.Logf("socket full after %d frames: rest of a frame %d bytes, %d frames queued", len(sent), len(o.rest), len(o.frames))
	woken(o)
	o.pushQuiet(frame{b: []byte("after")})
	o.sendNow() // rest pending: queued, not written
	if len(o.frames) == 0 {
		t.Fatal("a frame was written while the rest of another was pending")
	}
	sent = append(sent, "after")
	// The writer's part, as socketWriter does it, while the client reads.
	done := make(chan error, 1)
	go func() {
		nc := &lazyDeadline{Conn: srv}
		rest, frames, _, _, _ := o.claim(nil)
		err := writeRest(nc, rest)
		if err == nil {
			err = writeFrames(nc, frames)
		}
		o.release()
		done <- err
	}()
	cli.SetReadDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(cli)
	for i, want := range sent {
		if got := readText(t, r); got != want {
			t.Fatalf("frame %d: %d bytes, want %d", i, len(got), len(want))
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestLazyDeadline: the deadline moves only when less than
// writeWait-deadlineSlack of it is left, and always after forget.
func TestLazyDeadline(t *testing.T) {
	srv, _ := socketPair(t)
	c := &lazyDeadline{Conn: srv}
	t0 := time.Now()
	c.SetWriteDeadline(t0.Add(writeWait))
	c.SetWriteDeadline(t0.Add(writeWait + deadlineSlack/2))
	if !c.until.Equal(t0.Add(writeWait)) {
		t.Fatal("the deadline moved by less than the slack")
	}
	c.SetWriteDeadline(t0.Add(writeWait + deadlineSlack))
	if !c.until.Equal(t0.Add(writeWait + deadlineSlack)) {
		t.Fatal("the deadline did not move by the slack")
	}
	c.forget()
	c.SetWriteDeadline(t0)
	if !c.until.Equal(t0) {
		t.Fatal("forget did not make the next deadline count")
	}
	if _, err := c.Write([]byte("x")); err == nil || !bytes.Contains([]byte(err.Error()), []byte("timeout")) {
		t.Fatalf("a past deadline did not stop the write: %v", err)
	}
}

// TestRoomFlushWritesDirect: in a room of up to directMaxClients, a
// note.add's event reaches every connection's socket, and the sender's
// ack after its event, from the room itself, with no writer woken; in a
// bigger room every writer is woken and nothing is written by the room.
func TestRoomFlushWritesDirect(t *testing.T) {
	for _, n := range []int{20, directMaxClients + 1} {
		r, clients := perfRoom(t, n, board.DefaultSettings())
		peers := make([]*bufio.Reader, n)
		for i, cl := range clients {
			srv, cli := socketPair(t)
			cl.out.raw = rawConnOf(srv)
			cli.SetReadDeadline(time.Now().Add(5 * time.Second))
			peers[i] = bufio.NewReader(cli)
		}
		text := "Antrean loket pelayanan terlalu panjang"
		r.handle([]any{commandMsg{cl: clients[3], cmd: board.Command{Type: "note.add", Ref: "r1", ColumnID: "col1", Text: &text}}})
		for i, cl := range clients {
			if n > directMaxClients {
				if !woken(cl.out) || len(cl.out.frames) == 0 {
					t.Fatalf("room of %d: client %d not left to its writer", n, i)
				}
				continue
			}
			if woken(cl.out) || len(cl.out.frames) != 0 {
				t.Fatalf("room of %d: client %d woken or queued", n, i)
			}
			if got := readText(t, peers[i]); !strings.Contains(got, `"note.added"`) {
				t.Fatalf("client %d got %q first", i, got)
			}
			if i == 3 {
				if got := readText(t, peers[i]); !strings.HasPrefix(got, `{"type":"ack","ref":"r1"`) {
					t.Fatalf("the sender got %q after its event", got)
				}
			}
		}
	}
}

// TestRoomBusyLeavesToWriters: with work waiting in its inbox (a paste),
// a room hands what it fanned out to the writers instead of writing it.
func TestRoomBusyLeavesToWriters(t *testing.T) {
	r, clients := perfRoom(t, 20, board.DefaultSettings())
	for _, cl := range clients {
		srv, _ := socketPair(t)
		cl.out.raw = rawConnOf(srv)
	}
	r.inbox <- detachMsg{cl: &client{}} // something waiting
	text := "Antrean loket pelayanan terlalu panjang"
	r.handle([]any{commandMsg{cl: clients[3], cmd: board.Command{Type: "note.add", Ref: "r1", ColumnID: "col1", Text: &text}}})
	for i, cl := range clients {
		if !woken(cl.out) || len(cl.out.frames) == 0 {
			t.Fatalf("client %d: not left to its writer while the room had work waiting", i)
		}
	}
}

// TestRoomQuickFlushLeavesToWriters: a flush that follows the room's last
// one within directMinGap leaves its frames to the writers (which batch
// consecutive flushes); one after the gap is written by the room again.
func TestRoomQuickFlushLeavesToWriters(t *testing.T) {
	r, clients := perfRoom(t, 20, board.DefaultSettings())
	now := perfNow
	r.deps.now = func() time.Time { return now }
	for _, cl := range clients {
		srv, cli := socketPair(t)
		cl.out.raw = rawConnOf(srv)
		go io.Copy(io.Discard, cli)
	}
	text := "Antrean loket pelayanan terlalu panjang"
	add := func(ref string) {
		r.handle([]any{commandMsg{cl: clients[3], cmd: board.Command{Type: "note.add", Ref: ref, ColumnID: "col1", Text: &text}}})
	}
	add("r1") // the room's first flush: written directly
	for i, cl := range clients {
		if woken(cl.out) || len(cl.out.frames) != 0 {
			t.Fatalf("first flush: client %d woken or queued", i)
		}
	}
	now = now.Add(directMinGap / 2)
	add("r2")
	for i, cl := range clients {
		if !woken(cl.out) || len(cl.out.frames) == 0 {
			t.Fatalf("quick second flush: client %d not left to its writer", i)
		}
		cl.out.claim(nil)
		cl.out.release()
	}
	now = now.Add(directMinGap)
	add("r3")
	for i, cl := range clients {
		if woken(cl.out) || len(cl.out.frames) != 0 {
			t.Fatalf("flush after the gap: client %d woken or queued", i)
		}
	}
}
