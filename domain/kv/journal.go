package kv

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// The journal is an ordered queue in one Redis stream: messages that were
// verified and acknowledged while the database could not take them wait
// here, in arrival order, until they are applied. It is as durable as Redis
// is: production Redis needs AOF (appendonly yes) for it to survive a Redis
// restart.

func (k *KV) journalKey() string { return k.Key("journal") }

// JournalAppend adds data at the end of the journal.
func (k *KV) JournalAppend(ctx context.Context, data []byte) (string, error) {
	id, err := k.rdb.XAdd(ctx, &redis.XAddArgs{Stream: k.journalKey(), Values: []any{"d", data}}).Result()
	if err != nil {
		return "", fmt.Errorf("journal append: %w", err)
	}
	return id, nil
}

// JournalLen is the number of entries waiting.
func (k *KV) JournalLen(ctx context.Context) (int64, error) {
	return k.rdb.XLen(ctx, k.journalKey()).Result()
}

// JournalFirst returns the oldest entry; ok is false when there is none.
func (k *KV) JournalFirst(ctx context.Context) (id string, data []byte, ok bool, err error) {
	msgs, err := k.rdb.XRangeN(ctx, k.journalKey(), "-", "+", 1).Result()
	if err != nil {
		return "", nil, false, fmt.Errorf("journal read: %w", err)
	}
	if len(msgs) == 0 {
		return "", nil, false, nil
	}
	s, _ := msgs[0].Values["d"].(string)
	return msgs[0].ID, []byte(s), true, nil
}

// JournalDelete removes an applied entry.
func (k *KV) JournalDelete(ctx context.Context, id string) error {
	return k.rdb.XDel(ctx, k.journalKey(), id).Err()
}
