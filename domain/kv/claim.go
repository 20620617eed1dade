package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// ClaimState is what Claim found.
type ClaimState = int

// The claim states.
const (
	// Claimed: first sighting; the caller handles the message and then calls
	// Finish (or Forget on failure).
	Claimed ClaimState = iota
	// InProgress: another delivery is being handled right now.
	InProgress
	// Done: the message was handled before.
	Done
)

const (
	claimBusy = "busy"
	claimDone = "done"
)

// Claim marks key as being handled, for at most busyTTL (a replica that dies
// mid-way releases it then), and says what it found.
func (k *KV) Claim(ctx context.Context, key string, busyTTL time.Duration) (ClaimState, error) {
	rk := k.Key("seen", key)
	ok, err := k.rdb.SetNX(ctx, rk, claimBusy, busyTTL).Result()
	if err != nil {
		return 0, fmt.Errorf("claim %s: %w", key, err)
	}
	if ok {
		return Claimed, nil
	}
	v, err := k.rdb.Get(ctx, rk).Result()
	if errors.Is(err, redis.Nil) { // expired in between: try once more
		return k.Claim(ctx, key, busyTTL)
	}
	if err != nil {
		return 0, fmt.Errorf("claim %s: %w", key, err)
	}
	if v == claimDone {
		return Done, nil
	}
	return InProgress, nil
}

// Finish marks a claimed key as handled for ttl.
func (k *KV) Finish(ctx context.Context, key string, ttl time.Duration) error {
	return k.rdb.Set(ctx, k.Key("seen", key), claimDone, ttl).Err()
}
