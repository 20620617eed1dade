package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// GetState reads a value saved with SetState; ok is false when there is none
// (or it expired).
func (k *KV) GetState(ctx context.Context, key string) (val []byte, ok bool, err error) {
	b, err := k.rdb.Get(ctx, k.Key("state", key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("get state %s: %w", key, err)
	}
	return b, true, nil
}

// SetState saves a value for ttl (conversation state any replica can read).
func (k *KV) SetState(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return k.rdb.Set(ctx, k.Key("state", key), val, ttl).Err()
}

// DeleteState removes a saved value.
func (k *KV) DeleteState(ctx context.Context, key string) error {
	return k.rdb.Del(ctx, k.Key("state", key)).Err()
}

// Allow is a fixed-window rate limit: it counts one event for key and reports
// whether it fits within limit events per window.
func (k *KV) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	slot := time.Now().UnixNano() / int64(window)
	rk := k.Key("rate", key, fmt.Sprint(slot))
	n, err := k.rdb.Incr(ctx, rk).Result()
	if err != nil {
		return false, fmt.Errorf("rate %s: %w", key, err)
	}
	if n == 1 {
		k.rdb.Expire(ctx, rk, window+time.Second)
	}
	return n <= int64(limit), nil
}
