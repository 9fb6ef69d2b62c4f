package postgres

// The host that last took a connection is tried first. With a multi-host
// URL (db1,db2 and target_session_attrs=read-write, docs/cluster.md) pgx
// tries the hosts in the URL's order for every new connection. After a
// promotion the old primary stays first; when its machine is gone without
// a reset (it hangs, or its address no longer answers), every new
// connection waits out connect_timeout on it before reaching the new
// primary, and a caller with a shorter deadline (a lease renewal) never
// gets one. So the store remembers which host passed the check last and
// puts it first; the others follow in the URL's order.

import (
	"context"
	"net"
	"strconv"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// hostOrder is the store's memory of the host that last accepted a
// connection, as the URL names it ("db2:5432").
type hostOrder struct {
	mu   sync.Mutex
	last string
}

func hostKey(host string, port uint16) string {
	return net.JoinHostPort(host, strconv.Itoa(int(port)))
}

// beforeConnect is the pool's BeforeConnect: cc is this attempt's own
// copy of the configuration.
func (h *hostOrder) beforeConnect(ctx context.Context, cc *pgx.ConnConfig) error {
	if len(cc.Fallbacks) == 0 || cc.ValidateConnect == nil {
		return nil // one host, or any host will do: nothing to choose
	}
	h.mu.Lock()
	last := h.last
	h.mu.Unlock()
	all := append([]*pgconn.FallbackConfig{{Host: cc.Host, Port: cc.Port, TLSConfig: cc.TLSConfig}}, cc.Fallbacks...)
	if last != "" && hostKey(all[0].Host, all[0].Port) != last {
		var first, rest []*pgconn.FallbackConfig
		for _, f := range all {
			if hostKey(f.Host, f.Port) == last {
				first = append(first, f) // with sslmode=prefer, a host comes twice (TLS, then not)
			} else {
				rest = append(rest, f)
			}
		}
		if len(first) > 0 {
			all = append(first, rest...)
			cc.Host, cc.Port, cc.TLSConfig, cc.Fallbacks = all[0].Host, all[0].Port, all[0].TLSConfig, all[1:]
		}
	}
	// Which host this attempt reached: pgx dials the addresses it looked
	// up, so the address dialed last, mapped back to the host looked up,
	// is the host ValidateConnect accepts.
	var mu sync.Mutex
	hosts := map[string][]string{} // ip → hosts that resolved to it
	dialed := ""
	lookup, dial, validate := cc.LookupFunc, cc.DialFunc, cc.ValidateConnect
	cc.LookupFunc = func(ctx context.Context, host string) ([]string, error) {
		ips, err := lookup(ctx, host)
		mu.Lock()
		for _, ip := range ips {
			hosts[ip] = append(hosts[ip], host)
		}
		mu.Unlock()
		return ips, err
	}
	cc.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dialed = addr
		mu.Unlock()
		return dial(ctx, network, addr)
	}
	cc.ValidateConnect = func(ctx context.Context, pc *pgconn.PgConn) error {
		if err := validate(ctx, pc); err != nil {
			return err
		}
		mu.Lock()
		ip, port, _ := net.SplitHostPort(dialed)
		names := hosts[ip]
		mu.Unlock()
		p, _ := strconv.Atoi(port)
		for _, f := range all {
			for _, n := range names {
				if f.Host == n && int(f.Port) == p {
					h.mu.Lock()
					h.last = hostKey(f.Host, f.Port)
					h.mu.Unlock()
					return nil
				}
			}
		}
		return nil
	}
	return nil
}
