// Package kv keeps what must be fast or shared between replicas in Redis:
// message de-duplication, job locks, rate limits, conversation state, live
// leaderboards and token caches. With no Redis URL it runs an in-process
// Redis (miniredis) so that one go-redis code path serves both cases.
package kv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// KV is a Redis client with salesbot's operations. All keys carry a prefix so
// that several deployments can share one Redis. One code path serves a
// single Redis and a Redis Cluster: keys that a script or a transaction
// touches together share a hash tag ({...}), so they live in one slot.
type KV struct {
	rdb    redis.UniversalClient
	mini   *miniredis.Miniredis // the in-process stand-in, when used
	prefix string
}

// Config says which Redis to use.
type Config struct {
	// URL is redis://host:6379/0, or a cluster as
	// redis+cluster://host1:7000,host2:7001 (rediss+cluster:// for TLS);
	// empty: the in-process stand-in.
	URL    string
	Prefix string // key prefix, default "salesbot:"; no braces
}

// DefaultPrefix starts every key unless Config.Prefix says otherwise.
const DefaultPrefix = "salesbot:"

// CheckPrefix refuses a key prefix with a brace: it would become the hash
// tag of every key and put them all in one cluster slot.
func CheckPrefix(p string) error {
	if strings.ContainsAny(p, "{}") {
		return fmt.Errorf("redis key prefix %q must not contain { or }", p)
	}
	return nil
}

// Open connects to Redis or a Redis Cluster, or starts the in-process
// stand-in.
func Open(ctx context.Context, cfg Config) (*KV, error) {
	k := &KV{prefix: cfg.Prefix}
	if k.prefix == "" {
		k.prefix = DefaultPrefix
	}
	if err := CheckPrefix(k.prefix); err != nil {
		return nil, err
	}
	switch {
	case cfg.URL == "":
		m := miniredis.NewMiniRedis()
		if err := m.Start(); err != nil {
			return nil, fmt.Errorf("start in-process redis: %w", err)
		}
		k.mini = m
		k.rdb = redis.NewClient(&redis.Options{Addr: m.Addr()})
		return k, nil
	case strings.Contains(cfg.URL, "+cluster://"):
		opt, err := parseClusterURL(cfg.URL)
		if err != nil {
			return nil, fmt.Errorf("parse SALESBOT_REDIS_URL: %w", err)
		}
		k.rdb = redis.NewClusterClient(opt)
	default:
		opt, err := redis.ParseURL(cfg.URL)
		if err != nil {
			return nil, fmt.Errorf("parse SALESBOT_REDIS_URL: %w", err)
		}
		k.rdb = redis.NewClient(opt)
	}
	if err := k.rdb.Ping(ctx).Err(); err != nil {
		k.rdb.Close()
		return nil, fmt.Errorf("connect to redis: %w", err)
	}
	return k, nil
}

// parseClusterURL reads redis+cluster://[user:pass@]host1:7000,host2:7001[?options]
// (rediss+cluster:// for TLS): go-redis's cluster URL names one seed host
// and the others as addr= options.
func parseClusterURL(raw string) (*redis.ClusterOptions, error) {
	scheme, rest, _ := strings.Cut(raw, "://")
	switch scheme {
	case "redis+cluster":
		scheme = "redis"
	case "rediss+cluster":
		scheme = "rediss"
	default:
		return nil, fmt.Errorf("scheme %q: want redis+cluster or rediss+cluster", scheme)
	}
	rest, query, _ := strings.Cut(rest, "?")
	hostsPart := rest
	user := ""
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		user, hostsPart = rest[:at+1], rest[at+1:]
	}
	hostsPart = strings.TrimSuffix(hostsPart, "/")
	var hosts []string
	for _, h := range strings.Split(hostsPart, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	if len(hosts) == 0 {
		return nil, errors.New("no cluster hosts")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, err
	}
	for _, h := range hosts[1:] {
		q.Add("addr", h)
	}
	u := scheme + "://" + user + hosts[0]
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return redis.ParseClusterURL(u)
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

// hashTag makes s the part of a key that Redis Cluster hashes, so that keys
// with the same tag live in one slot.
func hashTag(s string) string { return "{" + s + "}" }

// DeleteMatching deletes the keys under the prefix that match pattern (a
// SCAN pattern such as "state:job:*") on every node, and says how many.
func (k *KV) DeleteMatching(ctx context.Context, pattern string) (int, error) {
	var mu sync.Mutex
	n := 0
	del := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, k.Key(pattern), 1000).Iterator()
		for iter.Next(ctx) {
			// One key per DEL: keys of one node may still sit in different slots.
			d, err := c.Del(ctx, iter.Val()).Result()
			if err != nil {
				return err
			}
			mu.Lock()
			n += int(d)
			mu.Unlock()
		}
		return iter.Err()
	}
	var err error
	switch c := k.rdb.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, del)
	case *redis.Client:
		err = del(ctx, c)
	}
	if err != nil {
		return n, fmt.Errorf("delete %s: %w", pattern, err)
	}
	return n, nil
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
