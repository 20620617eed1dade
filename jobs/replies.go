package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// Replies the platform did not take at once (bot.Replier) are queued in the
// outbox beside the pushes, as job "reply", and the Outbox sends them with
// the same claims, retries, rate limits and deadline. Like a push, a queued
// reply names where it goes by reference: the rep by member id (or, for a
// sender who is no member, the platform user id), or the group chat by its
// id, with the kind of destination. One-off handles (response_url,
// sessionWebhook, req_id) are never stored: they expire, and a late reply
// goes as a new message instead. A card update names the card; the adapter
// updates it in place while its code is valid, else sends it anew
// (bot.VoidNote).

// JobReply is the outbox job of queued replies.
const JobReply = "reply"

// OutcomeQueued: a reply was queued (reported to the observer).
const OutcomeQueued = "queued"

// ReplyStore is where replies are queued (*store.Store).
type ReplyStore interface {
	EnqueuePush(ctx context.Context, p *domain.Push) (bool, error)
	ImageStore
	MemberByPlatformID(ctx context.Context, p domain.Platform, userID string) (domain.Member, error)
}

// ReplyQueue queues replies in the outbox; it implements bot.ReplyQueue.
type ReplyQueue struct {
	st      ReplyStore
	cfg     Config
	now     func() time.Time
	observe func(job, outcome string)
}

var _ bot.ReplyQueue = (*ReplyQueue)(nil)

// ReplyQueueDeps are the ReplyQueue's collaborators.
type ReplyQueueDeps struct {
	Store   ReplyStore
	Now     func() time.Time          // nil: time.Now
	Observe func(job, outcome string) // nil: nobody (metrics)
}

// NewReplyQueue builds a ReplyQueue; cfg's retry and deadline settings are
// those of the Outbox that sends the replies.
func NewReplyQueue(d ReplyQueueDeps, cfg Config) *ReplyQueue {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Observe == nil {
		d.Observe = func(string, string) {}
	}
	return &ReplyQueue{st: d.Store, cfg: cfg.withDefaults(), now: d.Now, observe: d.Observe}
}

// QueueReply stores the reply as a pending push. The failed send counts as
// its first attempt: the next is after the first backoff (or when the
// platform said to come back). A reply with the same key (the same message
// delivered again) is left as it is.
func (q *ReplyQueue) QueueReply(ctx context.Context, qr bot.QueuedReply) error {
	r := qr.Reply
	if r.To.Platform == "" {
		r.To.Platform = qr.Platform
	}
	to, recipient, teamID, err := q.targetOf(ctx, qr.From, r.To)
	if err != nil {
		return fmt.Errorf("queue reply %s: %w", qr.Key(), err)
	}
	now := q.now()
	payload, hash, err := encodeTo(ctx, q.st, to, r, now)
	if err != nil {
		return fmt.Errorf("queue reply %s: %w", qr.Key(), err)
	}
	reason := "not sent at once"
	if qr.Err != nil {
		reason = qr.Err.Error()
	}
	p := domain.Push{
		Key: replyKey(qr), Job: JobReply, TeamID: teamID, Period: now.UTC().Format(time.DateOnly), Recipient: recipient,
		Payload: payload, ImageHash: hash, Status: domain.PushPending, Attempts: 1,
		NextAt: now.Add(backoff(q.cfg, 1, qr.Err)), Deadline: now.Add(q.cfg.DeliveryDeadline), LastError: reason, CreatedAt: now,
	}
	created, err := q.st.EnqueuePush(ctx, &p)
	if err != nil {
		return err
	}
	if created {
		q.observe(JobReply, OutcomeQueued)
	}
	return nil
}

// targetOf names a reply's destination by reference: the sender by member
// id when the reply is private to them, a group chat by its id, a team's
// robot by the sender's team.
func (q *ReplyQueue) targetOf(ctx context.Context, from string, d bot.Destination) (t target, recipient string, teamID int64, err error) {
	k, ok := kindOf(d)
	if !ok {
		return t, "", 0, fmt.Errorf("a %s reply with no user, chat or robot", d.Platform)
	}
	var sender domain.Member
	if from != "" {
		m, err := q.st.MemberByPlatformID(ctx, d.Platform, from)
		switch {
		case err == nil:
			sender = m
		case domain.ErrorCode(err) != domain.ENOTFOUND:
			return t, "", 0, err
		}
	}
	switch {
	case k.member() && sender.ID != 0 && d.UserID == from:
		return target{Kind: k, Member: sender.ID}, fmt.Sprintf("m%d", sender.ID), sender.TeamID, nil
	case k.member():
		return target{Kind: k, User: d.UserID}, "u", sender.TeamID, nil
	case d.RobotURL != "":
		if sender.TeamID == 0 {
			return t, "", 0, fmt.Errorf("a robot reply for a sender with no team")
		}
		return target{Kind: k, Team: sender.TeamID}, "g", sender.TeamID, nil
	}
	return target{Kind: k, Chat: d.ChatID}, "g", sender.TeamID, nil
}

// replyKey is the outbox key of a queued reply; a long message id is
// replaced by its digest to fit the key column.
func replyKey(qr bot.QueuedReply) string {
	k := qr.Key()
	if len(k) <= 160 {
		return k
	}
	sum := sha256.Sum256([]byte(qr.MessageID))
	qr.MessageID = hex.EncodeToString(sum[:16])
	return qr.Key()
}

// replyBehind keeps a message's replies in order: a reply whose previous
// one is still to be sent waits for it (until the previous one's next try,
// or a moment while it is due or another sender has it), without counting
// an attempt.
func (o *Outbox) replyBehind(ctx context.Context, p domain.Push, now time.Time) (time.Time, bool) {
	if p.Job != JobReply {
		return time.Time{}, false
	}
	prevKey, ok := previousReply(p.Key)
	if !ok {
		return time.Time{}, false
	}
	prev, err := o.st.PushByKey(ctx, prevKey)
	if err != nil {
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			o.log.Warn("read the reply before", "key", prevKey, "err", err)
		}
		return time.Time{}, false
	}
	switch {
	case prev.Status == domain.PushPending && prev.NextAt.After(now):
		return prev.NextAt, true
	case prev.Status == domain.PushPending || prev.Status == domain.PushSending:
		return now.Add(replyWait), true
	}
	return time.Time{}, false
}

// replyWait is how long a reply waits for the one before it while that
// one is due or being sent.
const replyWait = 5 * time.Second

// previousReply is the key of the reply before the one keyed key, if any.
func previousReply(key string) (string, bool) {
	i := strings.LastIndexByte(key, '|')
	if i < 0 || !strings.HasPrefix(key, "reply|") {
		return "", false
	}
	n, err := strconv.Atoi(key[i+1:])
	if err != nil || n <= 0 {
		return "", false
	}
	return key[:i+1] + strconv.Itoa(n-1), true
}
