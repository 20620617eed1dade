// Package kvtest helps tests run against every kind of Redis salesbot
// supports: the in-process stand-in, a single Redis and a Redis Cluster,
// each test under its own key prefix.
package kvtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"salesbot/domain/kv"
)

// The kinds of Redis a test can run on.
const (
	Embedded = "embedded" // miniredis, in process
	Redis    = "redis"    // $SALESBOT_TEST_REDIS_URL
	Cluster  = "cluster"  // $SALESBOT_TEST_REDIS_CLUSTER_URL
)

// Kinds lists every kind, in the order ForEach runs them.
func Kinds() []string { return []string{Embedded, Redis, Cluster} }

// The servers used when the variables are unset (what .ci/run starts).
const (
	DefaultRedisURL   = "redis://127.0.0.1:6379/15"
	DefaultClusterURL = "redis+cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002"
)

// URL is where a kind of Redis is found; "" for the stand-in.
func URL(kind string) string {
	env := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	switch kind {
	case Redis:
		return env("SALESBOT_TEST_REDIS_URL", DefaultRedisURL)
	case Cluster:
		return env("SALESBOT_TEST_REDIS_CLUSTER_URL", DefaultClusterURL)
	}
	return ""
}

// ForEach runs fn as a subtest per kind, each with its own prefix.
func ForEach(t *testing.T, fn func(t *testing.T, k *kv.KV)) {
	t.Helper()
	for _, kind := range Kinds() {
		t.Run(kind, func(t *testing.T) { fn(t, MustOpen(t, kind)) })
	}
}

// MustOpen opens a kind of Redis under a fresh key prefix, and when the test
// ends deletes the prefix's keys and closes it. A server that cannot be
// reached skips the test, or fails it when $CI is set.
func MustOpen(tb testing.TB, kind string) *kv.KV {
	tb.Helper()
	k, err := kv.Open(context.Background(), kv.Config{URL: URL(kind), Prefix: NewPrefix()})
	if err != nil {
		if os.Getenv("CI") == "" {
			tb.Skipf("%s not reachable: %v", kind, err)
		}
		tb.Fatalf("%s required in CI: %v", kind, err)
	}
	tb.Cleanup(func() {
		Flush(tb, k)
		k.Close()
	})
	return k
}

// NewPrefix is a key prefix no other test uses.
func NewPrefix() string {
	var b [6]byte
	rand.Read(b[:])
	return "salesbot-test-" + hex.EncodeToString(b[:]) + ":"
}

// Flush deletes every key under k's prefix: Redis "loses" everything.
func Flush(tb testing.TB, k *kv.KV) {
	tb.Helper()
	if _, err := k.DeleteMatching(context.Background(), "*"); err != nil {
		tb.Fatal(err)
	}
}

// OpenOrEmbedded is MustOpen, except that outside CI an unreachable server
// gives the in-process stand-in rather than a skip, so that suites that are
// about more than Redis still run on a bare machine.
func OpenOrEmbedded(tb testing.TB, kind string) *kv.KV {
	tb.Helper()
	if os.Getenv("CI") == "" {
		k, err := kv.Open(context.Background(), kv.Config{URL: URL(kind)})
		if err != nil {
			tb.Logf("%s not reachable (%v): using the in-process stand-in", kind, err)
			kind = Embedded
		} else {
			k.Close()
		}
	}
	return MustOpen(tb, kind)
}
