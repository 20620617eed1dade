package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"sync"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// Outbox sends queued pushes. Any number of Outboxes (replicas) may drain
// the same table: each push is claimed by version before it is sent, and
// settled by version after, so it is sent once unless a sender dies between
// the platform's answer and the settling write.
type Outbox struct {
	st      OutboxStore
	lim     Limiter
	send    bot.Sender
	set     domain.SettingStore
	log     *slog.Logger
	loc     *time.Location
	cfg     Config
	observe func(job, outcome string)

	mu       sync.Mutex
	quiet    map[int64]quietHours
	quietAt  time.Time
	quietErr error
}

// Outcomes reported to the observer (and so to /metrics).
const (
	OutcomeSent     = "sent"     // the platform took it
	OutcomeRetry    = "retry"    // failed; will try again
	OutcomeFailed   = "failed"   // given up: permanent error or past the deadline
	OutcomeDeferred = "deferred" // held back by a rate limit or quiet hours; not an attempt
)

// OutboxDeps are the Outbox's collaborators.
type OutboxDeps struct {
	Store    OutboxStore
	Limiter  Limiter
	Sender   bot.Sender          // usually bot.Senders
	Settings domain.SettingStore // quiet hours per team
	Log      *slog.Logger
	Loc      *time.Location
	// Observe, when set, hears of each outcome (metrics).
	Observe func(job, outcome string)
}

// NewOutbox builds an Outbox.
func NewOutbox(d OutboxDeps, cfg Config) *Outbox {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Observe == nil {
		d.Observe = func(string, string) {}
	}
	return &Outbox{st: d.Store, lim: d.Limiter, send: d.Sender, set: d.Settings, log: d.Log, loc: d.Loc, cfg: cfg.withDefaults(), observe: d.Observe}
}

const (
	drainBatch  = 200
	claimLease  = 2 * time.Minute
	sendTimeout = 30 * time.Second
)

// Drain sends every push due at now and returns how many it settled (sent,
// failed or rescheduled). Pushes to one destination go one after another,
// in queue order; different destinations go in parallel.
func (o *Outbox) Drain(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		due, err := o.st.DuePushes(ctx, now, drainBatch)
		if err != nil {
			return total, err
		}
		if len(due) == 0 {
			return total, nil
		}
		n := o.drainBatch(ctx, due, now)
		total += n
		if n == 0 || len(due) < drainBatch {
			return total, ctx.Err()
		}
	}
}

func (o *Outbox) drainBatch(ctx context.Context, due []domain.Push, now time.Time) int {
	groups := map[string][]domain.Push{}
	var order []string
	for _, p := range due {
		k := groupKey(p.Payload)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], p)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		count int
		sem   = make(chan struct{}, o.cfg.Workers)
	)
	for _, k := range order {
		ps := groups[k]
		// Queue order: a push retried later keeps its place before those
		// queued after it (the replies of one message, above all).
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			n := 0
			for _, p := range ps {
				if ctx.Err() != nil {
					break
				}
				settled, hold := o.deliver(ctx, p, now)
				if settled {
					n++
				}
				if hold { // the destination is throttled: leave the rest for later
					break
				}
			}
			mu.Lock()
			count += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return count
}

// deliver claims, sends and settles one push. hold reports that the
// destination should get nothing more in this round.
func (o *Outbox) deliver(ctx context.Context, p domain.Push, now time.Time) (settled, hold bool) {
	log := o.log.With("push_id", p.ID, "job", p.Job, "team_id", p.TeamID, "recipient", p.Recipient, "period", p.Period)
	ok, err := o.st.ClaimPush(ctx, p.ID, p.Version, now.Add(claimLease))
	if err != nil {
		log.Error("claim push", "err", err)
		return false, true
	}
	if !ok {
		return false, false // another sender has it
	}
	p.Version++
	if at, behind := o.replyBehind(ctx, p, now); behind {
		p.NextAt = at
		return o.settle(ctx, log, p, OutcomeDeferred, now, p.LastError), true
	}
	w, err := loadPush(ctx, o.st, &p)
	if err != nil {
		return o.settle(ctx, log, p, OutcomeFailed, now, fmt.Sprintf("bad payload: %v", err)), false
	}
	if now.After(p.Deadline) {
		reason := "not sent before the deadline"
		if p.LastError != "" {
			reason += "; last error: " + p.LastError
		}
		return o.settle(ctx, log, p, OutcomeFailed, now, reason), false
	}
	r, err := w.reply(ctx, o.st)
	switch {
	case errors.Is(err, errGone):
		return o.settle(ctx, log, p, OutcomeFailed, now, err.Error()), false
	case err != nil: // the database, most likely: try again soon
		p.NextAt = now.Add(o.cfg.RetryMin)
		return o.settle(ctx, log, p, OutcomeRetry, now, "resolve destination: "+err.Error()), true
	}
	if until := o.quietFor(ctx, p.TeamID).after(now.In(o.loc)); p.Job != JobReply && until.After(now) {
		// (A reply answers a rep who just wrote: quiet hours do not hold it.)
		// Quiet hours do not count against the deadline.
		p.NextAt, p.Deadline = until, p.Deadline.Add(until.Sub(now))
		return o.settle(ctx, log, p, OutcomeDeferred, now, p.LastError), true
	}
	if r.To.Group() && o.lim != nil {
		allowed, err := o.lim.AllowAt(ctx, "outbox:"+destKey(r.To), now, o.cfg.GroupLimit, time.Minute)
		if err != nil {
			log.Warn("rate limit check failed; sending anyway", "err", err)
		} else if !allowed {
			p.NextAt = now.Truncate(time.Minute).Add(time.Minute)
			return o.settle(ctx, log, p, OutcomeDeferred, now, p.LastError), true
		}
	}
	sctx, cancel := context.WithTimeout(ctx, sendTimeout)
	err = o.send.Send(sctx, r)
	cancel()
	if err == nil {
		p.SentAt = now
		return o.settle(ctx, log, p, OutcomeSent, now, ""), false
	}
	p.Attempts++
	wait := o.backoff(p.Attempts, err)
	switch {
	case permanent(err):
		return o.settle(ctx, log, p, OutcomeFailed, now, err.Error()), false
	case now.Add(wait).After(p.Deadline):
		return o.settle(ctx, log, p, OutcomeFailed, now, "deadline reached; last error: "+err.Error()), false
	}
	p.NextAt = now.Add(wait)
	return o.settle(ctx, log, p, OutcomeRetry, now, err.Error()), true
}

// settle records the outcome, logs it and tells the observer.
func (o *Outbox) settle(ctx context.Context, log *slog.Logger, p domain.Push, outcome string, now time.Time, reason string) bool {
	switch outcome {
	case OutcomeSent:
		p.Status, p.NextAt, p.LastError = domain.PushSent, now, ""
	case OutcomeFailed:
		p.Status, p.NextAt, p.LastError = domain.PushFailed, now, reason
	default: // retry or deferred: NextAt is set
		p.Status, p.LastError = domain.PushPending, reason
	}
	ok, err := o.st.SettlePush(context.WithoutCancel(ctx), &p)
	switch {
	case err != nil:
		log.Error("settle push", "outcome", outcome, "err", err)
		return false
	case !ok:
		log.Warn("push changed by another sender while sending", "outcome", outcome)
		return false
	}
	switch outcome {
	case OutcomeFailed:
		log.Error("push failed", "attempts", p.Attempts, "reason", reason)
	case OutcomeRetry:
		log.Warn("push not sent; will retry", "attempts", p.Attempts, "next_at", p.NextAt, "err", reason)
	case OutcomeSent:
		log.Debug("push sent", "attempts", p.Attempts+1)
	}
	o.observe(p.Job, outcome)
	return true
}

// backoff is the wait before attempt n+1: doubling from RetryMin up to
// RetryMax, or what the platform asked for.
func (o *Outbox) backoff(attempts int, err error) time.Duration { return backoff(o.cfg, attempts, err) }

func backoff(cfg Config, attempts int, err error) time.Duration {
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		return ra.RetryAfter()
	}
	d := float64(cfg.RetryMin) * math.Pow(2, float64(attempts-1))
	if d > float64(cfg.RetryMax) {
		return cfg.RetryMax
	}
	return time.Duration(d)
}

// permanent reports an error that sending again will not cure.
func permanent(err error) bool { return bot.Permanent(err) }

// quietFor returns a team's quiet hours, read at most once a minute.
func (o *Outbox) quietFor(ctx context.Context, teamID int64) quietHours {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.set == nil {
		return quietHours{}
	}
	if o.quiet == nil || time.Since(o.quietAt) > time.Minute {
		s, err := loadSettings(ctx, o.set)
		o.quietAt, o.quietErr = time.Now(), err
		if err == nil {
			o.quiet = map[int64]quietHours{}
			for id, c := range s.teams {
				o.quiet[id] = c.quiet
			}
		} else {
			o.log.Warn("read quiet hours", "err", err)
		}
	}
	if q, ok := o.quiet[teamID]; ok {
		return q
	}
	return DefaultTeamConfig().quiet
}

// destKey names an address for rate limits; a robot webhook (which holds
// its key) by a digest of it.
func destKey(d bot.Destination) string {
	switch {
	case d.RobotURL != "":
		sum := sha256.Sum256([]byte(d.RobotURL))
		return string(d.Platform) + ":robot:" + hex.EncodeToString(sum[:8])
	case d.AIBot:
		return string(d.Platform) + ":aibot:" + d.ChatID + d.UserID
	case d.ChatID != "":
		return string(d.Platform) + ":chat:" + d.ChatID
	}
	return string(d.Platform) + ":user:" + d.UserID
}
