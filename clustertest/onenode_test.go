package clustertest

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"rembuk/internal/testenv"
)

// The driver and the checks on the default deployment (one node, SQLite,
// no broker): killed with SIGKILL twice under load and restarted on the
// same port, the clients resume with their last seq and every event joins
// up (half of them come back late, so the
// resume replays events); every acked ref is stored once at its acked seq. This one needs no
// tool beyond the binary.
func TestOneNodeKillResume(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rembuk.db")
	n := testenv.StartNode(t, testenv.NodeConfig{Name: "node", Args: []string{"-db", db, "-sessions-per-hour", "0"}})
	seats := setupSessions(t, []string{n.URL}, 2, 4)
	l := startLoad(t, seats, 5, func(int) func() string { return func() string { return n.URL } })
	for cycle := 1; cycle <= 2; cycle++ {
		at := time.Now()
		waitFor(t, 10*time.Second, "acks", func() bool { return acksSince(l.clients, at) >= 20 })
		// Half the clients of each session come back late, so their
		// resume replays what the others wrote meanwhile.
		for _, c := range l.clients {
			if c.n%2 == 1 {
				c.hold(time.Hour)
			}
		}
		n.Kill()
		n.Restart(t)
		at = time.Now()
		waitFor(t, 10*time.Second, "acks after the restart", func() bool { return acksSince(l.clients, at) >= 10 })
		for _, c := range l.clients {
			c.hold(0)
		}
	}
	drain(t, l.clients, 15*time.Second)
	l.halt()
	if _, err := n.Stop(5 * time.Second); err != nil {
		t.Fatalf("SIGTERM: %v; log:\n%s", err, n.Tail(3000))
	}
	sdb, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	acked := checkLog(t, &logDB{sqlite: sdb}, l.clients, true)
	if acked == 0 {
		t.Fatal("nothing was acked")
	}
	t.Logf("%s; %d acked refs checked against the database", summary(l.clients), acked)
}
