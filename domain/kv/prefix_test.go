package kv_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"salesbot/domain/kv"
	"salesbot/domain/kv/kvtest"
)

// Two deployments sharing one Redis under different prefixes see none of
// each other's keys: state, claims, locks, boards, and deleting one's keys
// leaves the other's.
func TestPrefixesDoNotMeet(t *testing.T) {
	for _, kind := range kvtest.Kinds()[1:] { // two clients on one real server
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			a, b := kvtest.MustOpen(t, kind), kvtest.MustOpen(t, kind)
			if err := a.SetState(ctx, "conv:1", []byte("a's"), time.Minute); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := b.GetState(ctx, "conv:1"); ok || err != nil {
				t.Errorf("b reads a's state: ok=%v err=%v", ok, err)
			}
			if st, _ := a.Claim(ctx, "wecom:9", time.Minute); st != kv.Claimed {
				t.Fatalf("a's claim = %v", st)
			}
			if st, err := b.Claim(ctx, "wecom:9", time.Minute); st != kv.Claimed || err != nil {
				t.Errorf("b's claim of the same message = %v, %v; want Claimed", st, err)
			}
			if _, err := a.TryLock(ctx, "digest:1", time.Minute); err != nil {
				t.Fatal(err)
			}
			if _, err := b.TryLock(ctx, "digest:1", time.Minute); err != nil {
				t.Errorf("b's lock blocked by a's: %v", err)
			}
			if err := a.BoardLoad(ctx, "t1:w1", []string{"visits"}, map[string]map[string]float64{"visits": {"7": 3}}, time.Minute); err != nil {
				t.Fatal(err)
			}
			if _, built, err := b.BoardScores(ctx, "t1:w1", "visits"); built || err != nil {
				t.Errorf("b sees a's board: built=%v err=%v", built, err)
			}
			n, err := b.DeleteMatching(ctx, "*")
			if err != nil || n != 2 { // b's claim and lock
				t.Errorf("b deleted %d keys (%v); want its own 2", n, err)
			}
			if v, ok, _ := a.GetState(ctx, "conv:1"); !ok || string(v) != "a's" {
				t.Errorf("a's state after b's delete: %q %v", v, ok)
			}
			if !strings.HasPrefix(a.Key("x"), "salesbot-test-") {
				t.Errorf("key %q lacks the prefix", a.Key("x"))
			}
		})
	}
}

func TestOpenRefusesBadConfig(t *testing.T) {
	for _, tt := range []struct{ name, url, prefix, want string }{
		{"BraceInPrefix", "", "salesbot:{x}:", "must not contain"},
		{"ClusterWithoutHosts", "redis+cluster://", "", "no cluster hosts"},
		{"UnknownClusterScheme", "http+cluster://h:7000", "", "scheme"},
		{"BadClusterOption", "redis+cluster://127.0.0.1:7000?dial_timeout=soon", "", "dial_timeout"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k, err := kv.Open(context.Background(), kv.Config{URL: tt.url, Prefix: tt.prefix})
			if err == nil {
				k.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %q; want it to mention %q", err, tt.want)
			}
		})
	}
}
