package domain

import (
	"context"
	"errors"
	"time"
)

// Service holds the use cases. Each method takes the acting member
// explicitly and checks permissions first.
type Service struct {
	store   Store
	loc     *time.Location
	now     func() time.Time
	members *memberCache // recent Identify results
}

// NewService builds a Service. loc is SALESBOT_TZ; now is the clock (tests
// pass a fake one).
func NewService(store Store, loc *time.Location, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, loc: loc, now: now, members: &memberCache{}}
}

// Location is the time zone every calendar date is computed in.
func (s *Service) Location() *time.Location { return s.loc }

// Today is the current calendar day.
func (s *Service) Today() Date { return DateOf(s.now(), s.loc) }

// inTx runs fn in a transaction, retrying when the database asks for it
// (deadlock, busy file). With retryConflict a unique-key race is retried too:
// the second attempt sees the row the other writer committed.
func (s *Service) inTx(ctx context.Context, retryConflict bool, fn func(tx Store) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = s.store.InTx(ctx, fn)
		retry := errors.Is(err, ErrRetry) || retryConflict && errors.Is(err, ErrConflict)
		if !retry {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}
