package bot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"salesbot/domain"
)

// Journal is an ordered, durable queue (a Redis stream, domain/kv): messages
// that were verified and acknowledged while the database could not take
// them wait there until it is back.
type Journal interface {
	JournalAppend(ctx context.Context, data []byte) (id string, err error)
	JournalLen(ctx context.Context) (int64, error)
	JournalFirst(ctx context.Context) (id string, data []byte, ok bool, err error)
	JournalDelete(ctx context.Context, id string) error
}

// Pinger says whether the database is reachable.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Busy is the answer to a message journaled during a database outage.
const Busy = "已收到，系统繁忙，稍后确认"

// Journaled rides out a database outage: a message the database cannot take
// is journaled, acknowledged and answered with Busy; Run applies the
// journal in order, exactly once, when the database is back, and sends the
// normal replies. If the journal cannot be written either (Redis down too),
// the error goes back to the platform, which retries.
type Journaled struct {
	h      Handler
	j      Journal
	db     Pinger
	claims Claims // one replica applies at a time
	send   Sender
	log    *slog.Logger
	// Poll is how often Run looks at the journal; Turn is how long one
	// replica may apply before another may take over (a dead applier's
	// turn passes on after it); GiveUp is how many times an entry may fail
	// with the database up before the rep is told it was not saved.
	Poll   time.Duration
	Turn   time.Duration
	GiveUp int
	// Queue, when set, keeps a reply the platform would not take after a
	// few tries (the outbox sends it later).
	Queue ReplyQueue
}

// NewJournaled wraps h.
func NewJournaled(h Handler, j Journal, db Pinger, claims Claims, send Sender, log *slog.Logger) *Journaled {
	return &Journaled{h: h, j: j, db: db, claims: claims, send: send, log: log, Poll: time.Second, Turn: 15 * time.Second, GiveUp: 5}
}

const (
	applyKey     = "journal-apply"
	outageProbe  = 2 * time.Second
	journalSends = 3
)

// Handle implements Handler. While the journal holds messages, new ones join
// it behind them, so that the order of a rep's messages is kept.
func (jd *Journaled) Handle(ctx context.Context, m Message) ([]Reply, error) {
	if n, err := jd.j.JournalLen(ctx); err == nil && n > 0 {
		return jd.journal(ctx, m, nil)
	}
	replies, err := jd.h.Handle(ctx, m)
	// Only an unreachable database is ridden out; a slow or overloaded one
	// answers the platform with an error, which retries.
	if !errors.Is(err, domain.ErrUnavailable) || !jd.down(ctx) {
		return replies, err
	}
	return jd.journal(ctx, m, err)
}

// down reports whether the database is unreachable, with a deadline of its
// own: the message's context may already have run out waiting for it.
func (jd *Journaled) down(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), outageProbe)
	defer cancel()
	return jd.db.Ping(ctx) != nil
}

func (jd *Journaled) journal(ctx context.Context, m Message, cause error) ([]Reply, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), outageProbe)
	defer cancel()
	id, err := jd.j.JournalAppend(ctx, b)
	if err != nil {
		jd.log.Error("message neither stored nor journaled", "msg_id", m.ID, "err", err, "cause", cause)
		if cause == nil {
			cause = err
		}
		return nil, cause
	}
	jd.log.Warn("database unavailable: message journaled", "msg_id", m.ID, "entry", id, "cause", cause)
	return []Reply{{To: Destination{Platform: m.Platform, UserID: m.UserID, ChatID: m.ChatID}, Text: Busy}}, nil
}

// Run applies the journal until ctx ends.
func (jd *Journaled) Run(ctx context.Context) {
	t := time.NewTicker(jd.Poll)
	defer t.Stop()
	fails := map[string]int{}
	for {
		if err := jd.Drain(ctx, fails); err != nil && ctx.Err() == nil {
			jd.log.Warn("journal not applied yet", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain applies journaled messages, oldest first, while the database is up
// and this replica holds the applier's turn. fails counts failures per
// entry across calls.
func (jd *Journaled) Drain(ctx context.Context, fails map[string]int) error {
	if n, err := jd.j.JournalLen(ctx); err != nil || n == 0 {
		return err
	}
	if jd.down(ctx) {
		return errors.New("database still unavailable")
	}
	st, err := jd.claims.Claim(ctx, applyKey, jd.Turn)
	if err != nil || st != Claimed {
		return err // another replica is applying
	}
	defer func() {
		if err := jd.claims.Forget(context.WithoutCancel(ctx), applyKey); err != nil {
			jd.log.Warn("journal: release turn", "err", err)
		}
	}()
	started := time.Now()
	for ctx.Err() == nil && time.Since(started) < jd.Turn/2 {
		id, data, ok, err := jd.j.JournalFirst(ctx)
		if err != nil || !ok {
			return err
		}
		var m Message
		if err := json.Unmarshal(data, &m); err != nil {
			jd.log.Error("journal: unreadable entry dropped", "entry", id, "err", err)
			if err := jd.j.JournalDelete(ctx, id); err != nil {
				return err
			}
			continue
		}
		replies, err := jd.h.Handle(ctx, m)
		if err != nil {
			fails[id]++
			if fails[id] < jd.GiveUp || jd.down(ctx) {
				return err // try again later, in the same order
			}
			jd.log.Error("journal: message could not be applied; the sender is told", "entry", id, "msg_id", m.ID, "err", err)
			replies = []Reply{{To: Destination{Platform: m.Platform, UserID: m.UserID}, Text: "抱歉，系统繁忙时收到的这条消息没能保存，请重新发送：\n" + m.Text}}
		}
		delete(fails, id)
		jd.deliver(ctx, m, replies)
		if err := jd.j.JournalDelete(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// deliver sends a journaled message's replies as new messages: the
// platform's answer window closed long ago.
func (jd *Journaled) deliver(ctx context.Context, m Message, replies []Reply) {
	for i, r := range replies {
		if r.To.Platform == "" {
			r.To.Platform = m.Platform
		}
		if r.To.UserID == "" && r.To.ChatID == "" && r.To.RobotURL == "" {
			r.To.UserID, r.To.ChatID = m.UserID, m.ChatID
		}
		r.To.ResponseURL = "" // one-off addresses have expired
		var err error
	tries:
		for try := 0; try < journalSends; try++ {
			if err = jd.send.Send(ctx, r); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				break tries // stopping: the Queue has it
			case <-time.After(time.Duration(try+1) * 200 * time.Millisecond):
			}
		}
		if err != nil {
			jd.queue(ctx, m, i, r, err)
		}
	}
}

// queue hands a journaled message's reply that was not sent to the Queue,
// under a key of its own (the message's first answer, Busy, has the
// message's key).
func (jd *Journaled) queue(ctx context.Context, m Message, i int, r Reply, err error) {
	log := jd.log.With("msg_id", m.ID, "index", i)
	if jd.Queue == nil || Permanent(err) {
		log.Error("journal: reply not delivered", "err", err)
		return
	}
	q := QueuedReply{Platform: m.Platform, MessageID: m.ID + "/journal", Index: i, From: m.UserID, Reply: r, Err: err}
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), queueTimeout)
	defer cancel()
	if qerr := jd.Queue.QueueReply(qctx, q); qerr != nil {
		log.Error("journal: reply not delivered and not queued: lost", "send_err", err, "err", qerr)
		return
	}
	log.Warn("journal: reply not delivered now; queued in the outbox", "err", err)
}
