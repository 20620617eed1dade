package bot

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"salesbot/domain"
)

// A message's replies are sent at once, while the rep waits and within the
// platform's answer window. When a send fails with an error a later attempt
// may cure (the platform is down, rate-limited, the connection dropped),
// that reply and the ones after it go to a ReplyQueue (the outbox), which
// sends them with the same retries, rate limits and deadline as pushes. A
// queued reply is keyed by its message and its place among the message's
// replies, so a redelivered message cannot queue it twice.

// ReplyQueue keeps replies that could not be sent now (jobs.ReplyQueue).
type ReplyQueue interface {
	// QueueReply stores r unless a reply with its key is stored already.
	QueueReply(ctx context.Context, r QueuedReply) error
}

// QueuedReply is one reply handed to a ReplyQueue.
type QueuedReply struct {
	Platform  domain.Platform
	MessageID string // the message it answers
	Index     int    // its place among the message's replies
	From      string // the message's sender (platform user id)
	// Reply goes to a lasting address: one-off handles (a response_url, a
	// sessionWebhook, a frame's req_id) are left out, since they expire
	// before a late send; the reply then goes as a new message.
	Reply Reply
	Err   error // why it was not sent now
}

// Key names the reply: platform, message id and index.
func (q QueuedReply) Key() string {
	return "reply|" + string(q.Platform) + "|" + q.MessageID + "|" + strconv.Itoa(q.Index)
}

// Replier sends a message's replies now, and queues those it cannot.
type Replier struct {
	Sender Sender
	Queue  ReplyQueue // nil: a reply not sent is only logged
	// Lasting, when set, turns a reply into one that can be sent later
	// (no one-off handle).
	Lasting func(Reply) Reply
	Log     *slog.Logger
}

// queueTimeout bounds storing one reply.
const queueTimeout = 10 * time.Second

// Deliver sends replies to m in order. After the first that fails with a
// temporary error, it and all later ones are queued unsent, so that they
// keep their order and a platform that is down is not asked again at once.
// It goes on when ctx ends: the message is stored and its replies are due.
func (p Replier) Deliver(ctx context.Context, m Message, replies []Reply) {
	log := p.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var cause error
	for i, r := range replies {
		if cause == nil {
			err := p.Sender.Send(ctx, r)
			if err == nil {
				continue
			}
			if p.Queue == nil || Permanent(err) {
				log.Error(string(m.Platform)+" reply not sent", "index", i, "err", err)
				continue
			}
			cause = err
		}
		if p.Lasting != nil {
			r = p.Lasting(r)
		}
		q := QueuedReply{Platform: m.Platform, MessageID: m.ID, Index: i, From: m.UserID, Reply: r, Err: cause}
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), queueTimeout)
		err := p.Queue.QueueReply(qctx, q)
		cancel()
		if err != nil {
			log.Error(string(m.Platform)+" reply not sent and not queued: lost", "index", i, "send_err", cause, "err", err)
			continue
		}
		log.Warn(string(m.Platform)+" reply not sent now; queued in the outbox", "index", i, "err", cause)
	}
}

// Permanent reports an error that sending again will not cure: one that
// says it is not temporary (a platform's error code for a bad request, an
// unknown user), or a platform that cannot do it at all.
func Permanent(err error) bool {
	var t interface{ Temporary() bool }
	if errors.As(err, &t) {
		return !t.Temporary()
	}
	return errors.Is(err, ErrNotSupported)
}
