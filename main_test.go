package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rembuk/store"
)

// The binary refuses to serve a database file whose page 2 is overwritten:
// run returns an error (main exits 1) that names the file and the fix, and
// nothing is listening.
func TestRefusesDamagedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rembuk.db")
	db, err := store.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0x5a}, 4096), 4096); err != nil { // page 2 of 4 KiB pages
		t.Fatal(err)
	}
	f.Close()
	var stdout, stderr bytes.Buffer
	err = run([]string{"-addr", "127.0.0.1:0", "-db", path}, &stdout, &stderr)
	if err == nil {
		t.Fatal("run served a damaged database")
	}
	msg := err.Error()
	for _, want := range []string{"damaged", path, "backup", ".recover", "docs/operations.md"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(stdout.String(), "listening") {
		t.Errorf("stdout %q: it listened", stdout.String())
	}
}

// `rembuk backup` on a PostgreSQL URL refuses (main exits 1) and says what
// to use instead, without showing the password.
func TestBackupPostgresSaysPgDump(t *testing.T) {
	var stdout bytes.Buffer
	err := run([]string{"backup", "-db", "postgres://rembuk:rahasia@db.example:5432/rembuk", "-out", filepath.Join(t.TempDir(), "x")}, &stdout, &stdout)
	if err == nil {
		t.Fatal("backup of a PostgreSQL database succeeded")
	}
	for _, want := range []string{"PostgreSQL", "pg_dump", "pg_restore", "docs/cluster.md", "db.example"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "rahasia") {
		t.Errorf("error shows the password: %q", err)
	}
}

// A broker without PostgreSQL refuses to start, saying why, before
// anything is opened or listening.
func TestBrokerNeedsPostgres(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rembuk.db")
	var stdout, stderr bytes.Buffer
	err := run([]string{"-addr", "127.0.0.1:0", "-db", path, "-broker", "nats://127.0.0.1:4222"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "postgres://") || !strings.Contains(err.Error(), "-broker") {
		t.Fatalf("run: %v, want a refusal naming -broker and postgres://", err)
	}
	if _, serr := os.Stat(path); serr == nil {
		t.Errorf("the SQLite file was created before refusing")
	}
	if strings.Contains(stdout.String(), "listening") {
		t.Errorf("stdout %q: it listened", stdout.String())
	}
}

func TestDefaultNodeID(t *testing.T) {
	host, _ := os.Hostname()
	for addr, want := range map[string]string{
		"127.0.0.1:8081": "127-0-0-1:8081",
		":8080":          strings.ReplaceAll(host, ".", "-") + ":8080",
	} {
		if got := defaultNodeID(addr); got != want {
			t.Errorf("defaultNodeID(%q) = %q, want %q", addr, got, want)
		}
	}
}

// A negative -command-rate is refused before anything is opened.
func TestCommandRateMustNotBeNegative(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rembuk.db")
	var stdout, stderr bytes.Buffer
	err := run([]string{"-addr", "127.0.0.1:0", "-db", path, "-command-rate", "-1"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "-command-rate") {
		t.Fatalf("run: %v, want a refusal naming -command-rate", err)
	}
	if _, serr := os.Stat(path); serr == nil {
		t.Errorf("the database was created before refusing")
	}
}
