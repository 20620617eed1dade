package bot_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/domain"
)

// deadlockedStore is a database whose transactions all end in a deadlock
// while busy is set, as MySQL's do under heavy contention.
type deadlockedStore struct {
	domain.Store
	busy  *atomic.Bool
	tries *atomic.Int32
}

func (s deadlockedStore) InTx(ctx context.Context, fn func(tx domain.Store) error) error {
	if s.busy.Load() {
		s.tries.Add(1)
		return fmt.Errorf("%w: Error 1213: Deadlock found when trying to get lock (injected)", domain.ErrRetry)
	}
	return s.Store.InTx(ctx, fn)
}

// A report the database kept refusing with deadlocks, after the service's
// own retries, is not acknowledged: the adapter gets the error (so the
// platform delivers it again) instead of a "busy" reply that would end the
// delivery with nothing stored. The redelivery then stores it once.
func TestReportRefusedByDeadlocksIsNotAcknowledged(t *testing.T) {
	var busy atomic.Bool
	var tries atomic.Int32
	busy.Store(true)
	s := bottest.New(t, bottest.Options{WrapStore: func(st domain.Store) domain.Store {
		return deadlockedStore{Store: st, busy: &busy, tries: &tries}
	}})
	lina := s.Demo.Member("李娜")
	m := bot.Message{Platform: domain.PlatformSim, ID: "dl-1", UserID: lina.SimUserID,
		Text: "今天拜访金石重工张总，聊了设备联网，已发报价50万", At: s.Clock.Now()}

	replies, err := s.Router.Handle(context.Background(), m)
	if !errors.Is(err, domain.ErrRetry) {
		t.Fatalf("Handle = %v, %q; want the retry error, not a reply", err, text(replies))
	}
	if tries.Load() < 2 {
		t.Errorf("the service tried %d times; want its retries first", tries.Load())
	}
	if vs := visitsOf(t, s, lina); len(vs) != 0 {
		t.Fatalf("stored %d visits while every transaction failed", len(vs))
	}

	busy.Store(false)
	replies, err = s.Router.Handle(context.Background(), m) // the platform's redelivery
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, text(replies), "已记录拜访", "金石重工股份有限公司")
	if vs := visitsOf(t, s, lina); len(vs) != 1 {
		t.Fatalf("after the redelivery: %d visits, want 1", len(vs))
	}
}
