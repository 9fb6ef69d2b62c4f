package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgRuns numbers the databases this invocation creates.
var pgRuns atomic.Int64

// checkLoopbackPG refuses a PostgreSQL server that is not on this machine.
func checkLoopbackPG(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("-postgres: %w", err)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-postgres: %s is not a loopback address; this tool only measures this machine", host)
	}
	return nil
}

// pgDatabase creates a fresh database on the server at admin (a URL of
// any database on it) and returns its URL and a function that drops it.
func pgDatabase(admin string) (string, func(), error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	name := fmt.Sprintf("rembuk_bench_%d_%d", os.Getpid(), pgRuns.Add(1))
	if err := pgExec(ctx, admin, `CREATE DATABASE `+name); err != nil {
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := pgExec(ctx, admin, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			fmt.Fprintln(os.Stderr, "bench: drop database:", err)
		}
	}
	return u.String(), drop, nil
}

func pgExec(ctx context.Context, dsn, sql string) error {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql)
	return err
}
