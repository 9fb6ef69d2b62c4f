package store

// Checkpoints: the writer connection runs without SQLite's automatic
// checkpoint; the checkpointer copies the WAL into the database file beside
// the writer, off the commit path.

import (
	"database/sql"
	"os"
	"time"

	"github.com/mattn/go-sqlite3"
)

// checkpointEvery is how often the checkpointer copies what the WAL holds
// into the database file, when something was committed since.
const checkpointEvery = 50 * time.Millisecond

// walCap is the WAL size past which the writer itself checkpoints between
// two batches. The background checkpoint runs beside the writer's commits,
// so under a load without pauses it seldom copies the last frames, and
// SQLite reuses the WAL from its start only after a checkpoint that did:
// at W2's 1,000 changes/s the WAL stays near 20-40 MB. The cap is high
// because each such checkpoint stalls the writer (a 64 MB cap cost W2
// most of what moving the checkpoint gained).
const walCap = 256 << 20

// writerDriver is the SQLite driver of the writer connection: it turns off
// SQLite's automatic checkpoint, which runs inside the commit that crosses
// 1,000 WAL pages and so adds the copy and two more fsyncs to that batch's
// latency (about 3-4 ms of W2's p99 on this machine). The checkpointer
// goroutine does it instead, off the commit path (docs/performance.md).
const writerDriver = "sqlite3-rembuk-writer"

func init() {
	sql.Register(writerDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint=0", nil)
		return err
	}})
}

// checkpointer copies committed WAL frames into the database file in the
// background (PASSIVE: it never waits for, nor blocks, the writer), so
// that commits do not pay for it and the WAL is reused from its start.
func (db *DB) checkpointer() {
	defer close(db.cpDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.q.Quit():
			return
		case <-t.C:
		}
		if db.commits.Swap(0) == 0 || db.failed.Load() != nil {
			continue
		}
		if _, err := db.reader.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
			db.log.Warn("checkpoint failed", "err", err)
		}
		if st, err := os.Stat(db.path + "-wal"); err == nil && st.Size() > walCap {
			select {
			case db.cpNow <- struct{}{}:
			default:
			}
		}
	}
}
