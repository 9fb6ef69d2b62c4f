package server_test

import (
	"encoding/json"
	"net"
	"reflect"
	"strings"
	"testing"

	"rembuk/server"
)

type addressesBody struct {
	PublicURL string   `json:"publicUrl"`
	LAN       []string `json:"lan"`
}

func getAddresses(t *testing.T, ts *testServer, host string) addressesBody {
	t.Helper()
	var hdr map[string]string
	if host != "" {
		hdr = map[string]string{"Host": host}
	}
	res, body := ts.raw("GET", "/api/addresses", hdr, nil)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store (a laptop changes networks)", cc)
	}
	var b addressesBody
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	if b.LAN == nil {
		t.Errorf("lan is null, want a list")
	}
	return b
}

func port(ts *testServer) string { return ts.URL[strings.LastIndex(ts.URL, ":")+1:] }

// TestAddressesPublicURL: -public-url is the base of every link, and no
// LAN address is offered beside it.
func TestAddressesPublicURL(t *testing.T) {
	ts := startServer(t, "", func(c *server.Config) {
		c.PublicURL = "https://rembuk.example.go.id"
		c.LANAddrs = []string{"192.0.2.10"}
	})
	got := getAddresses(t, ts, "")
	if got.PublicURL != "https://rembuk.example.go.id" || len(got.LAN) != 0 {
		t.Errorf("got %+v, want the public URL and no LAN list", got)
	}
}

// TestAddressesLAN: a page opened on this machine is offered its LAN
// addresses with the listening port; a request naming another host is not.
func TestAddressesLAN(t *testing.T) {
	ts := startServer(t, "", func(c *server.Config) { c.LANAddrs = []string{"192.0.2.10", "192.0.2.11"} })
	want := []string{"http://192.0.2.10:" + port(ts), "http://192.0.2.11:" + port(ts)}
	for _, host := range []string{"", "localhost:" + port(ts), "[::1]:" + port(ts)} {
		if got := getAddresses(t, ts, host); got.PublicURL != "" || !reflect.DeepEqual(got.LAN, want) {
			t.Errorf("Host %q: got %+v, want lan %q", host, got, want)
		}
	}
	if got := getAddresses(t, ts, "rembuk.example.go.id"); len(got.LAN) != 0 {
		t.Errorf("a request for another host got the LAN list %q", got.LAN)
	}
}

// TestAddressesLoopbackListener: a server listening on 127.0.0.1 only is
// out of a phone's reach: no LAN address is offered (the page says so).
func TestAddressesLoopbackListener(t *testing.T) {
	ts := startServer(t, "")
	if got := getAddresses(t, ts, ""); got.PublicURL != "" || len(got.LAN) != 0 {
		t.Errorf("got %+v, want nothing", got)
	}
}

func TestLANURLs(t *testing.T) {
	ifaces := func() []net.IP {
		return []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("192.168.1.20"), net.ParseIP("fe80::1"),
			net.ParseIP("169.254.3.4"), net.ParseIP("10.0.0.5"), net.ParseIP("::1"), net.ParseIP("192.168.1.20")}
	}
	cases := []struct {
		name  string
		ln    *net.TCPAddr
		fixed []string
		want  []string
	}{
		{"all interfaces", &net.TCPAddr{IP: net.IPv4zero, Port: 8080}, nil, []string{"http://192.168.1.20:8080", "http://10.0.0.5:8080"}},
		{"all interfaces, IPv6 wildcard", &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, nil, []string{"http://192.168.1.20:8080", "http://10.0.0.5:8080"}},
		{"one address", &net.TCPAddr{IP: net.ParseIP("10.0.0.5"), Port: 9000}, nil, []string{"http://10.0.0.5:9000"}},
		{"loopback only", &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8080}, nil, []string{}},
		{"fixed hosts win", &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8080}, []string{"192.0.2.7"}, []string{"http://192.0.2.7:8080"}},
	}
	for _, c := range cases {
		if got := server.LANURLs(c.ln, c.fixed, ifaces); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCleanPublicURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		"https://rembuk.example.go.id/": "https://rembuk.example.go.id",
		" http://10.0.0.5:8080 ":        "http://10.0.0.5:8080",
	} {
		if got, err := server.CleanPublicURL(in); err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"rembuk.example.go.id", "ftp://x", "https://", "https://x/?a=1", "https://x/#f", "https://u:p@x", "javascript:alert(1)"} {
		if got, err := server.CleanPublicURL(bad); err == nil {
			t.Errorf("%q accepted as %q", bad, got)
		}
	}
}
