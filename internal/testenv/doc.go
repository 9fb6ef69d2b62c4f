// Package testenv starts the real processes that Rembuk's end-to-end tests
// run against: the rembuk binary (built once per test process) as one or
// several nodes, nats-server, HAProxy and PostgreSQL, plus the tiny tmpfs
// of the disk-full tests. Every process listens on a free 127.0.0.1 port
// and is killed when the test that started it ends.
//
// A tool that is not installed skips the test, unless
// REMBUK_REQUIRE_TOOLS=1 (CI sets it): then it fails the test.
package testenv
