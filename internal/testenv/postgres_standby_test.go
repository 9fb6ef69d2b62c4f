package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestSynchronousStandbyPromotion: with a synchronous standby, a commit
// the primary made while the standby could not confirm it is not
// answered; what was answered is on the standby, which after the
// primary's power cut is promoted and found through the multi-host URL.
func TestSynchronousStandbyPromotion(t *testing.T) {
	ctx := context.Background()
	sb, url := StartReplicated(t, true, "standby")
	pg := sb.Primary
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, `CREATE TABLE x (n int); INSERT INTO x VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	resume, err := sb.FreezeSender()
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	_, err = c.Exec(short, `INSERT INTO x VALUES (2)`)
	cancel()
	if err == nil {
		t.Fatal("a commit was answered while the synchronous standby could not confirm it")
	}
	c.Close(ctx)
	if err := pg.Kill(); err != nil {
		t.Fatal(err)
	}
	resume() // the walsender is gone: nothing to resume
	if in, err := sb.InRecovery(); err != nil || !in {
		t.Fatalf("standby before promotion: in recovery %v, %v", in, err)
	}
	if err := sb.Promote(); err != nil {
		t.Fatal(err)
	}
	c, err = pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("multi-host URL after the promotion: %v", err)
	}
	defer c.Close(ctx)
	var port int
	if err := c.QueryRow(ctx, `SELECT current_setting('port')::int`).Scan(&port); err != nil || port != sb.Port {
		t.Fatalf("connected to port %d (%v), want the promoted standby's %d", port, err, sb.Port)
	}
	if _, err := c.Exec(ctx, `INSERT INTO x VALUES (3)`); err != nil {
		t.Fatalf("write on the promoted standby: %v", err)
	}
	var n int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM x WHERE n IN (1, 3)`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows 1 and 3 on the promoted standby: %d %v, want 2", n, err)
	}
}
