package server

import (
	"sync"
	"time"
)

// The writers of both transports (socketWriter, streamEvents) put frames
// on the wire here: small ones batched into one write, the big shared
// parts of a welcome or a reveal written from where they lie.

// writeBatchBytes bounds one write: the frames of a queue are framed into
// one buffer and written with one system call (and one deadline) per this
// many bytes, rather than one call per frame. A part of a frame at least
// this big (a welcome's shared notes) is written from where it lies, in
// writeChunkBytes pieces, never copied into the buffer.
const (
	writeBatchBytes = 64 << 10
	writeChunkBytes = 256 << 10
)

// batchPool lends the writers their framing buffers.
var batchPool = sync.Pool{New: func() any { b := make([]byte, 0, writeBatchBytes); return &b }}

// writeFrames writes frames as text frames, in as few writes as the batch
// bound allows. Only the connection's writer goroutine calls it, and no
// other goroutine writes to the socket (see the handlers in serveSocket).
func writeFrames(nc *lazyDeadline, frames []frame) error {
	if len(frames) == 0 {
		return nil
	}
	bp := batchPool.Get().(*[]byte)
	defer func() {
		*bp = (*bp)[:0]
		batchPool.Put(bp)
	}()
	return writeBatched(nc, bp, frames, appendTextHeader, nil)
}

// writeBatched writes each frame as head(size) then its bytes, batching
// small pieces in *bp and writing big parts in place; tail, if any,
// follows each frame (SSE's blank line).
func writeBatched(nc interface {
	Write([]byte) (int, error)
	SetWriteDeadline(time.Time) error
}, bp *[]byte, frames []frame, head func([]byte, int) []byte, tail []byte) error {
	b := (*bp)[:0]
	defer func() { *bp = b[:0] }()
	flush := func() error {
		if len(b) == 0 {
			return nil
		}
		nc.SetWriteDeadline(time.Now().Add(writeWait))
		_, err := nc.Write(b)
		b = b[:0]
		return err
	}
	add := func(p []byte) error {
		if len(p) >= writeBatchBytes {
			if err := flush(); err != nil {
				return err
			}
			for len(p) > 0 { // each piece gets its deadline: a slow but moving link is not cut
				n := min(len(p), writeChunkBytes)
				nc.SetWriteDeadline(time.Now().Add(writeWait))
				if _, err := nc.Write(p[:n]); err != nil {
					return err
				}
				p = p[n:]
			}
			return nil
		}
		if len(b)+len(p) > writeBatchBytes {
			if err := flush(); err != nil {
				return err
			}
		}
		b = append(b, p...)
		return nil
	}
	var one [1][]byte
	for _, f := range frames {
		if len(b) > 0 && len(b)+f.size() > writeBatchBytes {
			if err := flush(); err != nil {
				return err
			}
		}
		b = head(b, f.size())
		parts := f.parts
		if parts == nil {
			one[0] = f.b
			parts = one[:]
		}
		for _, p := range parts {
			if err := add(p); err != nil {
				return err
			}
		}
		if tail != nil {
			b = append(b, tail...)
		}
	}
	return flush()
}
