package kv_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"salesbot/domain/kv"
	"salesbot/domain/kv/kvtest"
)

func TestClaim(t *testing.T) {
	kvtest.ForEach(t, func(t *testing.T, k *kv.KV) {
		ctx := context.Background()
		st, err := k.Claim(ctx, "wecom:1", time.Minute)
		if err != nil || st != kv.Claimed {
			t.Fatalf("first claim = %v, %v; want Claimed", st, err)
		}
		if st, _ := k.Claim(ctx, "wecom:1", time.Minute); st != kv.InProgress {
			t.Fatalf("second claim while busy = %v; want InProgress", st)
		}
		if err := k.Finish(ctx, "wecom:1", time.Hour); err != nil {
			t.Fatal(err)
		}
		if st, _ := k.Claim(ctx, "wecom:1", time.Minute); st != kv.Done {
			t.Fatalf("claim after finish = %v; want Done", st)
		}
		// A failed handling is forgotten so the platform's retry is handled.
		k.Claim(ctx, "wecom:2", time.Minute)
		if err := k.Forget(ctx, "wecom:2"); err != nil {
			t.Fatal(err)
		}
		if st, _ := k.Claim(ctx, "wecom:2", time.Minute); st != kv.Claimed {
			t.Fatalf("claim after forget = %v; want Claimed", st)
		}
	})
}

func TestClaimConcurrent(t *testing.T) {
	kvtest.ForEach(t, func(t *testing.T, k *kv.KV) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		claimed := 0
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, err := k.Claim(context.Background(), "dingtalk:x", time.Minute)
				if err != nil {
					t.Error(err)
				}
				if st == kv.Claimed {
					mu.Lock()
					claimed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if claimed != 1 {
			t.Fatalf("%d deliveries claimed the message; want 1", claimed)
		}
	})
}

func TestLock(t *testing.T) {
	kvtest.ForEach(t, func(t *testing.T, k *kv.KV) {
		ctx := context.Background()
		l, err := k.TryLock(ctx, "digest:1:2026-01-05", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.TryLock(ctx, "digest:1:2026-01-05", time.Minute); !errors.Is(err, kv.ErrNotHeld) {
			t.Fatalf("second lock: err = %v; want ErrNotHeld", err)
		}
		if err := l.Release(ctx); err != nil {
			t.Fatal(err)
		}
		l2, err := k.TryLock(ctx, "digest:1:2026-01-05", time.Minute)
		if err != nil {
			t.Fatalf("lock after release: %v", err)
		}
		// A stale holder's release must not free the new holder's lock.
		if err := l.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := k.TryLock(ctx, "digest:1:2026-01-05", time.Minute); !errors.Is(err, kv.ErrNotHeld) {
			t.Fatalf("stale release freed the lock: %v", err)
		}
		l2.Release(ctx)
	})
}

func TestStateAndRate(t *testing.T) {
	kvtest.ForEach(t, func(t *testing.T, k *kv.KV) {
		ctx := context.Background()
		if _, ok, err := k.GetState(ctx, "conv:a"); ok || err != nil {
			t.Fatalf("empty state: ok=%v err=%v", ok, err)
		}
		if err := k.SetState(ctx, "conv:a", []byte(`{"ask":"customer"}`), time.Minute); err != nil {
			t.Fatal(err)
		}
		v, ok, err := k.GetState(ctx, "conv:a")
		if !ok || err != nil || string(v) != `{"ask":"customer"}` {
			t.Fatalf("state = %q %v %v", v, ok, err)
		}
		if err := k.DeleteState(ctx, "conv:a"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := k.GetState(ctx, "conv:a"); ok {
			t.Fatal("state survived delete")
		}
		allowed := 0
		for i := 0; i < 25; i++ {
			ok, err := k.Allow(ctx, "robot:x", 20, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				allowed++
			}
		}
		if allowed != 20 {
			t.Fatalf("allowed %d of 25 with limit 20", allowed)
		}
	})
}
