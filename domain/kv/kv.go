// Package kv keeps what must be fast or shared between replicas in Redis:
// message de-duplication, job locks, rate limits, conversation state, live
// leaderboards and token caches. With no Redis URL it runs an in-process
// Redis (miniredis) so that one go-redis code path serves both cases.
package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// KV is a Redis client with salesbot's operations. All keys carry a prefix so
// that several deployments can share one Redis.
type KV struct {
	rdb    *redis.Client
	mini   *miniredis.Miniredis // the in-process stand-in, when used
	prefix string
}

// Config says which Redis to use.
type Config struct {
	URL    string // redis://host:6379/0; empty: in-process stand-in
	Prefix string // key prefix, default "salesbot:"
}

// Open connects to Redis, or starts the in-process stand-in.
func Open(ctx context.Context, cfg Config) (*KV, error) {
	k := &KV{prefix: cfg.Prefix}
	if k.prefix == "" {
		k.prefix = "salesbot:"
	}
	if cfg.URL == "" {
		m := miniredis.NewMiniRedis()
		if err := m.Start(); err != nil {
			return nil, fmt.Errorf("start in-process redis: %w", err)
		}
		k.mini = m
		k.rdb = redis.NewClient(&redis.Options{Addr: m.Addr()})
		return k, nil
	}
	opt, err := redis.ParseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("parse SALESBOT_REDIS_URL: %w", err)
	}
	k.rdb = redis.NewClient(opt)
	if err := k.rdb.Ping(ctx).Err(); err != nil {
		k.rdb.Close()
		return nil, fmt.Errorf("connect to redis: %w", err)
	}
	return k, nil
}

// Close disconnects (and stops the in-process stand-in).
func (k *KV) Close() error {
	err := k.rdb.Close()
	if k.mini != nil {
		k.mini.Close()
	}
	return err
}

// Ping checks Redis is reachable.
func (k *KV) Ping(ctx context.Context) error { return k.rdb.Ping(ctx).Err() }

// Client exposes the go-redis client for adapters that need a raw command
// (e.g. the WeCom token cache).
func (k *KV) Client() *redis.Client { return k.rdb }

// Key prefixes a key.
func (k *KV) Key(parts ...string) string {
	s := k.prefix
	for i, p := range parts {
		if i > 0 {
			s += ":"
		}
		s += p
	}
	return s
}

// Embedded reports whether this is the in-process stand-in.
func (k *KV) Embedded() bool { return k.mini != nil }

// FastForward moves the in-process stand-in's clock (TTLs) in tests; no-op on
// real Redis.
func (k *KV) FastForward(d time.Duration) {
	if k.mini != nil {
		k.mini.FastForward(d)
	}
}

// Forget removes a Claim mark, so that a message whose handling failed can
// be handled again when the platform retries.
func (k *KV) Forget(ctx context.Context, key string) error {
	return k.rdb.Del(ctx, k.Key("seen", key)).Err()
}

// ErrNotHeld: a lock is held by someone else.
var ErrNotHeld = errors.New("lock held elsewhere")
