package kv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Lock is a lock held in Redis until Release or its TTL.
type Lock struct {
	k     *KV
	key   string
	token string
}

var releaseScript = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`)

// TryLock takes the named lock for ttl, or returns ErrNotHeld when another
// holder has it. Only the holder's token releases it.
func (k *KV) TryLock(ctx context.Context, name string, ttl time.Duration) (*Lock, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	l := &Lock{k: k, key: k.Key("lock", name), token: hex.EncodeToString(b[:])}
	ok, err := k.rdb.SetNX(ctx, l.key, l.token, ttl).Result()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if !ok {
		return nil, ErrNotHeld
	}
	return l, nil
}

// Release frees the lock if this holder still has it.
func (l *Lock) Release(ctx context.Context) error {
	return releaseScript.Run(ctx, l.k.rdb, []string{l.key}, l.token).Err()
}
