package kv_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"salesbot/domain/kv"
	"salesbot/domain/kv/kvtest"
)

func TestLease(t *testing.T) {
	kvtest.ForEach(t, func(t *testing.T, k *kv.KV) {
		ctx := context.Background()
		const ttl = 300 * time.Millisecond
		a, ok, err := k.AcquireLease(ctx, "bot", ttl)
		if err != nil || !ok || a == "" {
			t.Fatalf("first acquire: %q %v %v", a, ok, err)
		}
		if _, ok, err := k.AcquireLease(ctx, "bot", ttl); err != nil || ok {
			t.Fatalf("second acquire while held: ok=%v err=%v", ok, err)
		}
		if held, err := k.RenewLease(ctx, "bot", a, ttl); err != nil || !held {
			t.Fatalf("holder renew: %v %v", held, err)
		}
		if held, err := k.RenewLease(ctx, "bot", "not-the-token", ttl); err != nil || held {
			t.Fatalf("stranger renew: %v %v", held, err)
		}
		// A stranger's release leaves it held; the holder's frees it.
		if err := k.ReleaseLease(ctx, "bot", "not-the-token"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := k.AcquireLease(ctx, "bot", ttl); ok {
			t.Fatal("taken after a stranger's release")
		}
		if err := k.ReleaseLease(ctx, "bot", a); err != nil {
			t.Fatal(err)
		}
		b, ok, err := k.AcquireLease(ctx, "bot", ttl)
		if err != nil || !ok {
			t.Fatalf("acquire after release: %v %v", ok, err)
		}
		// A holder that stops renewing loses it after ttl; its late renew
		// then fails, and the next one can take it.
		k.FastForward(2 * ttl)
		waitFree(t, k, "bot", ttl)
		if held, err := k.RenewLease(ctx, "bot", b, ttl); err != nil || held {
			t.Fatalf("renew after losing it: %v %v", held, err)
		}
	})
}

// waitFree polls until the lease can be taken (real Redis expires it in
// real time), and takes it.
func waitFree(t *testing.T, k *kv.KV, name string, ttl time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(10 * ttl)
	for {
		tok, ok, err := k.AcquireLease(context.Background(), name, ttl)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return tok
		}
		if time.Now().After(deadline) {
			t.Fatal("lease never expired")
		}
		time.Sleep(ttl / 10)
	}
}

// Many contenders at once: exactly one gets the lease.
func TestLeaseContended(t *testing.T) {
	kvtest.ForEach(t, func(t *testing.T, k *kv.KV) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, ok, err := k.AcquireLease(context.Background(), "contended", time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					won++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if won != 1 {
			t.Fatalf("%d holders, want 1", won)
		}
	})
}
