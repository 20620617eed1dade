package kv

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Boards are live leaderboards: per board (a team and a period) one sorted
// set per metric, member ids scored by their figure, and a "built" mark set
// when the board was loaded from the database. Increments only land on a
// built board: one that Redis lost is rebuilt whole rather than half counted.
// A board's keys share the hash tag {board}: its script and transactions
// touch them together, which a Redis Cluster allows only within one slot.

func (k *KV) boardKey(board, metric string) string { return k.Key("board", hashTag(board), metric) }
func (k *KV) boardMark(board string) string        { return k.Key("board", hashTag(board), "built") }

// incrScript: ZINCRBY only when the board's mark exists.
// The set then expires with the mark.
var incrScript = redis.NewScript(`
local ttl = redis.call("pttl", KEYS[1])
if ttl == -2 then return 0 end
redis.call("zincrby", KEYS[2], ARGV[1], ARGV[2])
if ttl > 0 then redis.call("pexpire", KEYS[2], ttl) end
return 1`)

// BoardIncr adds by to member's figure for metric on a built board and
// reports whether the board was built (false: nothing changed).
func (k *KV) BoardIncr(ctx context.Context, board, metric, member string, by float64) (bool, error) {
	n, err := incrScript.Run(ctx, k.rdb, []string{k.boardMark(board), k.boardKey(board, metric)},
		strconv.FormatFloat(by, 'f', -1, 64), member).Int()
	if err != nil {
		return false, fmt.Errorf("board %s %s: %w", board, metric, err)
	}
	return n == 1, nil
}

// BoardLoad replaces a board with scores (metric → member → figure) and
// marks it built, atomically; it and its mark expire after ttl.
func (k *KV) BoardLoad(ctx context.Context, board string, metrics []string, scores map[string]map[string]float64, ttl time.Duration) error {
	_, err := k.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, m := range metrics {
			key := k.boardKey(board, m)
			p.Del(ctx, key)
			var zs []redis.Z
			for member, score := range scores[m] {
				zs = append(zs, redis.Z{Score: score, Member: member})
			}
			if len(zs) > 0 {
				p.ZAdd(ctx, key, zs...)
				p.Expire(ctx, key, ttl)
			}
		}
		p.Set(ctx, k.boardMark(board), "1", ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load board %s: %w", board, err)
	}
	return nil
}

// BoardScores reads every figure of a metric on a board; built is false
// when the board is missing (never loaded, expired or lost).
func (k *KV) BoardScores(ctx context.Context, board, metric string) (scores map[string]float64, built bool, err error) {
	var mark *redis.IntCmd
	var zs *redis.ZSliceCmd
	_, err = k.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		mark = p.Exists(ctx, k.boardMark(board))
		zs = p.ZRangeWithScores(ctx, k.boardKey(board, metric), 0, -1)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("read board %s %s: %w", board, metric, err)
	}
	if mark.Val() == 0 {
		return nil, false, nil
	}
	scores = make(map[string]float64, len(zs.Val()))
	for _, z := range zs.Val() {
		scores[fmt.Sprint(z.Member)] = z.Score
	}
	return scores, true, nil
}

// BoardDrop forgets a board, so that the next read rebuilds it.
func (k *KV) BoardDrop(ctx context.Context, board string, metrics []string) error {
	keys := []string{k.boardMark(board)}
	for _, m := range metrics {
		keys = append(keys, k.boardKey(board, m))
	}
	return k.rdb.Del(ctx, keys...).Err()
}
