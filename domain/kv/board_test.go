package kv_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain/kv"
	"salesbot/domain/kv/kvtest"
)

func TestBoard(t *testing.T) {
	kvtest.ForEach(t, func(t *testing.T, k *kv.KV) {
		ctx := context.Background()
		metrics := []string{"visits", "won_amount"}
		if ok, err := k.BoardIncr(ctx, "t1:w2026-01-05", "visits", "7", 1); ok || err != nil {
			t.Fatalf("increment of an unbuilt board = %v, %v; want false", ok, err)
		}
		if _, built, err := k.BoardScores(ctx, "t1:w2026-01-05", "visits"); built || err != nil {
			t.Fatalf("unbuilt board read as built (%v)", err)
		}
		load := map[string]map[string]float64{"visits": {"7": 3, "8": 1}, "won_amount": {"8": 500000}}
		if err := k.BoardLoad(ctx, "t1:w2026-01-05", metrics, load, time.Hour); err != nil {
			t.Fatal(err)
		}
		for _, inc := range []struct {
			metric, member string
			by             float64
		}{{"visits", "7", 1}, {"visits", "9", 1}, {"won_amount", "7", 120000}} {
			if ok, err := k.BoardIncr(ctx, "t1:w2026-01-05", inc.metric, inc.member, inc.by); !ok || err != nil {
				t.Fatalf("BoardIncr = %v, %v", ok, err)
			}
		}
		got, built, err := k.BoardScores(ctx, "t1:w2026-01-05", "visits")
		if err != nil || !built {
			t.Fatalf("BoardScores: built %v, %v", built, err)
		}
		if diff := cmp.Diff(map[string]float64{"7": 4, "8": 1, "9": 1}, got); diff != "" {
			t.Errorf("visits (-want +got):\n%s", diff)
		}
		won, _, _ := k.BoardScores(ctx, "t1:w2026-01-05", "won_amount")
		if diff := cmp.Diff(map[string]float64{"7": 120000, "8": 500000}, won); diff != "" {
			t.Errorf("won (-want +got):\n%s", diff)
		}

		// Loading again replaces everything.
		if err := k.BoardLoad(ctx, "t1:w2026-01-05", metrics, map[string]map[string]float64{"visits": {"8": 2}}, time.Hour); err != nil {
			t.Fatal(err)
		}
		got, _, _ = k.BoardScores(ctx, "t1:w2026-01-05", "visits")
		if diff := cmp.Diff(map[string]float64{"8": 2}, got); diff != "" {
			t.Errorf("after reload (-want +got):\n%s", diff)
		}
		if won, _, _ := k.BoardScores(ctx, "t1:w2026-01-05", "won_amount"); len(won) != 0 {
			t.Errorf("reload kept old won amounts: %v", won)
		}

		if err := k.BoardDrop(ctx, "t1:w2026-01-05", metrics); err != nil {
			t.Fatal(err)
		}
		if _, built, _ := k.BoardScores(ctx, "t1:w2026-01-05", "visits"); built {
			t.Error("dropped board still built")
		}
	})
}

func TestAllowAtAndAcquireLock(t *testing.T) {
	kvtest.ForEach(t, func(t *testing.T, k *kv.KV) {
		ctx := context.Background()
		at := time.Date(2026, 1, 5, 20, 0, 10, 0, time.UTC)
		n := 0
		for range 25 {
			if ok, err := k.AllowAt(ctx, "robot:x", at, 20, time.Minute); err != nil {
				t.Fatal(err)
			} else if ok {
				n++
			}
		}
		if n != 20 {
			t.Errorf("allowed %d of 25 in one minute; want 20", n)
		}
		if ok, _ := k.AllowAt(ctx, "robot:x", at.Add(time.Minute), 20, time.Minute); !ok {
			t.Error("the next minute's window is full")
		}

		ok, release, err := k.AcquireLock(ctx, "job:digest:1:2026-01-05", time.Minute)
		if !ok || err != nil {
			t.Fatalf("AcquireLock = %v, %v", ok, err)
		}
		if again, _, err := k.AcquireLock(ctx, "job:digest:1:2026-01-05", time.Minute); again || err != nil {
			t.Fatalf("second AcquireLock = %v, %v; want false", again, err)
		}
		if err := release(ctx); err != nil {
			t.Fatal(err)
		}
		if again, _, _ := k.AcquireLock(ctx, "job:digest:1:2026-01-05", time.Minute); !again {
			t.Error("lock not free after release")
		}
	})
}
