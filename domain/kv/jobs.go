package kv

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AcquireLock takes the named lock for ttl. ok is false when another holder
// has it; otherwise release frees it (only if still ours). It is TryLock
// for callers that cannot name *Lock (the jobs package).
func (k *KV) AcquireLock(ctx context.Context, name string, ttl time.Duration) (ok bool, release func(context.Context) error, err error) {
	l, err := k.TryLock(ctx, name, ttl)
	if errors.Is(err, ErrNotHeld) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, err
	}
	return true, l.Release, nil
}

// AllowAt is Allow with the window chosen by at rather than the wall clock,
// for callers that run on an injected clock: it counts one event for key
// and reports whether it fits within limit events in at's window.
func (k *KV) AllowAt(ctx context.Context, key string, at time.Time, limit int, window time.Duration) (bool, error) {
	slot := at.UnixNano() / int64(window)
	rk := k.Key("rate", key, fmt.Sprint(slot))
	n, err := k.rdb.Incr(ctx, rk).Result()
	if err != nil {
		return false, fmt.Errorf("rate %s: %w", key, err)
	}
	if n == 1 {
		k.rdb.Expire(ctx, rk, window+time.Minute)
	}
	return n <= int64(limit), nil
}
