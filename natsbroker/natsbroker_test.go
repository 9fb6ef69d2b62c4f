package natsbroker_test

import (
	"context"
	"errors"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"

	"rembuk/natsbroker"
	"rembuk/server"
)

var _ server.Broker = (*natsbroker.Broker)(nil)

// startNATS runs a nats-server inside the test process on 127.0.0.1.
func startNATS(t *testing.T) string {
	t.Helper()
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(ns.Shutdown)
	return ns.ClientURL()
}

func TestRequestReplyAndNoResponders(t *testing.T) {
	url := startNATS(t)
	a, err := natsbroker.Dial(url, "a", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := natsbroker.Dial(url, "b", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	_, err = a.Request(ctx, "rembuk.cmd.x", []byte("hi"))
	var nr server.NoResponders
	if !errors.As(err, &nr) || !nr.NoResponders() {
		t.Fatalf("request with nobody listening: %v, want no responders", err)
	}
	unsub, err := b.Subscribe("rembuk.cmd.x", func(d []byte, reply func([]byte) error) {
		reply(append([]byte("re:"), d...))
	})
	if err != nil {
		t.Fatal(err)
	}
	b.Flush()
	got, err := a.Request(ctx, "rembuk.cmd.x", []byte("hi"))
	if err != nil || string(got) != "re:hi" {
		t.Fatalf("request: %q, %v", got, err)
	}
	unsub()
	b.Flush()
	if _, err := a.Request(ctx, "rembuk.cmd.x", nil); !errors.As(err, &nr) {
		t.Fatalf("after unsubscribe: %v, want no responders", err)
	}
}

func TestPublishKeepsOrder(t *testing.T) {
	url := startNATS(t)
	a, _ := natsbroker.Dial(url, "a", nil)
	defer a.Close()
	b, _ := natsbroker.Dial(url, "b", nil)
	defer b.Close()
	got := make(chan byte, 1000)
	if _, err := b.Subscribe("rembuk.node.b", func(d []byte, _ func([]byte) error) { got <- d[0] }); err != nil {
		t.Fatal(err)
	}
	b.Flush()
	for i := 0; i < 1000; i++ {
		a.Publish("rembuk.node.b", []byte{byte(i)})
	}
	for i := 0; i < 1000; i++ {
		select {
		case v := <-got:
			if v != byte(i) {
				t.Fatalf("message %d: got %d", i, v)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("message %d never came", i)
		}
	}
	if a.MaxPayload() < 1<<20 {
		t.Fatalf("max payload %d", a.MaxPayload())
	}
}
