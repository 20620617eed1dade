package kv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// A lease gives one holder among all replicas a resource (the WeCom AI bot's
// single long connection) for as long as it keeps renewing it. The holder
// is named by a random token; only that token renews or releases it. A
// holder that dies stops renewing, and the lease is free again ttl later.

var renewScript = redis.NewScript(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`)

// AcquireLease takes the named lease for ttl (SET NX PX) and returns the
// holder's token, or ok false when someone else holds it.
func (k *KV) AcquireLease(ctx context.Context, name string, ttl time.Duration) (token string, ok bool, err error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", false, err
	}
	token = hex.EncodeToString(b[:])
	ok, err = k.rdb.SetNX(ctx, k.Key("lease", name), token, ttl).Result()
	if err != nil {
		return "", false, fmt.Errorf("lease %s: %w", name, err)
	}
	if !ok {
		return "", false, nil
	}
	return token, true, nil
}

// RenewLease extends the lease to ttl from now if token still holds it;
// held is false when the lease was lost (expired, or taken by another).
func (k *KV) RenewLease(ctx context.Context, name, token string, ttl time.Duration) (held bool, err error) {
	n, err := renewScript.Run(ctx, k.rdb, []string{k.Key("lease", name)}, token, ttl.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("renew lease %s: %w", name, err)
	}
	return n == 1, nil
}

// ReleaseLease frees the lease if token still holds it.
func (k *KV) ReleaseLease(ctx context.Context, name, token string) error {
	if err := releaseScript.Run(ctx, k.rdb, []string{k.Key("lease", name)}, token).Err(); err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}
