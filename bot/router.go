package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"salesbot/domain"
)

// Claims de-duplicates deliveries across replicas (domain/kv implements it).
type Claims interface {
	Claim(ctx context.Context, key string, busyTTL time.Duration) (ClaimState, error)
	Finish(ctx context.Context, key string, ttl time.Duration) error
	Forget(ctx context.Context, key string) error
}

// ClaimState mirrors kv.ClaimState: 0 claimed, 1 in progress, 2 done.
type ClaimState = int

// The claim states.
const (
	Claimed ClaimState = iota
	InProgress
	Done
)

// States keeps conversation state with a TTL, so that any replica can
// continue a conversation (domain/kv implements it).
type States interface {
	GetState(ctx context.Context, key string) ([]byte, bool, error)
	SetState(ctx context.Context, key string, val []byte, ttl time.Duration) error
	DeleteState(ctx context.Context, key string) error
}

// Refresher is implemented by understanders that cache the customer list:
// Refresh reloads it when stale, Invalidate marks it stale (a customer or an
// alias was just added).
type Refresher interface {
	Refresh(ctx context.Context) error
	Invalidate()
}

// Suggester is implemented by understanders that can name known customers
// whose names resemble an unknown one (so the bot asks before creating a
// near-duplicate customer).
type Suggester interface {
	Suggest(name string) []string
}

// CustomerReader is implemented by understanders that can find a known
// customer in a short answer ("是德润医疗").
type CustomerReader interface {
	CustomerIn(text string) (name string, known bool)
}

// OrganisationChecker is implemented by understanders that can tell an
// organisation's name (星河动力科技有限公司) from words that name none (医疗那个,
// 就那个, 张总): a customer is created only from an organisation's name.
// Organisation returns the name as written, without the words around it.
type OrganisationChecker interface {
	Organisation(text string) (name string, ok bool)
}

// Router turns messages into replies: de-duplicate → identify the member →
// understand → act → reply.
type Router struct {
	svc     *domain.Service
	claims  Claims
	states  States
	und     Understander
	log     *slog.Logger
	hooks   []func(context.Context, domain.Recorded)
	changed []func(ctx context.Context, teamID int64, day domain.Date)
	observe func(intent string, d time.Duration)
	charts  FunnelDrawer
}

// Options tune a Router.
type Options struct {
	// OnRecorded is called after each new report is stored (live
	// leaderboards, metrics).
	OnRecorded []func(context.Context, domain.Recorded)
	// OnChanged is called after a stored record was undone, corrected or
	// merged, with the team and day whose figures changed.
	OnChanged []func(ctx context.Context, teamID int64, day domain.Date)
	// Observe receives each handled message's intent and handling time.
	Observe func(intent string, d time.Duration)
	// Charts draws the funnel picture answering 漏斗; nil: text only.
	Charts FunnelDrawer
}

// NewRouter builds the Router.
func NewRouter(svc *domain.Service, claims Claims, states States, und Understander, log *slog.Logger, opt Options) *Router {
	return &Router{svc: svc, claims: claims, states: states, und: und, log: log, hooks: opt.OnRecorded, changed: opt.OnChanged, observe: opt.Observe, charts: opt.Charts}
}

const (
	claimBusyTTL = 30 * time.Second
	claimDoneTTL = 72 * time.Hour
	busyWait     = 3 * time.Second
	stateTTL     = 2 * pendingTTL // past pendingTTL only to say that a question lapsed
)

// Handle implements Handler.
func (r *Router) Handle(ctx context.Context, m Message) ([]Reply, error) {
	if m.ID == "" {
		return nil, errors.New("message without id")
	}
	key := string(m.Platform) + ":" + m.ID
	st, err := r.claim(ctx, key)
	if err != nil {
		return nil, err
	}
	if st == Done {
		return nil, nil // handled before: a redelivery
	}
	start := time.Now()
	replies, intent, err := r.handle(ctx, m)
	if r.observe != nil {
		r.observe(intent, time.Since(start))
	}
	if err != nil {
		// Not stored: let the platform's retry try again.
		if ferr := r.claims.Forget(context.WithoutCancel(ctx), key); ferr != nil {
			r.log.Error("forget claim", "key", key, "err", ferr)
		}
		return nil, err
	}
	if err := r.claims.Finish(context.WithoutCancel(ctx), key, claimDoneTTL); err != nil {
		r.log.Warn("finish claim", "key", key, "err", err)
	}
	return replies, nil
}

// claim takes the message, or waits a little while another delivery of it is
// being handled.
func (r *Router) claim(ctx context.Context, key string) (ClaimState, error) {
	deadline := time.Now().Add(busyWait)
	for {
		st, err := r.claims.Claim(ctx, key, claimBusyTTL)
		if err != nil || st != InProgress {
			return st, err
		}
		if time.Now().After(deadline) {
			return st, ErrBusy
		}
		select {
		case <-ctx.Done():
			return st, ErrBusy
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (r *Router) handle(ctx context.Context, m Message) ([]Reply, string, error) {
	c := &conv{r: r, m: m, to: Destination{Platform: m.Platform, UserID: m.UserID, ChatID: m.ChatID}}
	if m.Enroll != nil {
		if err := m.Enroll(ctx); err != nil {
			return nil, "unknown", fmt.Errorf("register sender: %w", err)
		}
	}
	member, err := r.svc.Identify(ctx, m.Platform, m.UserID)
	if err != nil {
		out, err := c.fail(err)
		return out, "unknown", err
	}
	c.me = member
	if m.Action != nil {
		out, err := c.action(ctx, *m.Action)
		return out, "action", err
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		return nil, "empty", nil
	}
	if out, handled, err := c.continuePending(ctx, text); handled || err != nil {
		return out, "answer", err
	}
	if rf, ok := r.und.(Refresher); ok {
		if err := rf.Refresh(ctx); err != nil {
			return nil, "", err
		}
	}
	u := r.und.Understand(text, m.At)
	var out []Reply
	switch {
	case u.Intent == domain.IntentCommand:
		out, err = c.command(ctx, u.Command)
	case u.Intent == domain.IntentReport:
		out, err = c.report(ctx, u.Report, "")
	case !m.Group():
		out = c.say(notUnderstood)
	} // else chatter between colleagues in a group: no answer
	if err == nil {
		out = append(c.droppedNotes(), out...)
	}
	return out, string(u.Intent), err
}

// conv is one message being handled.
type conv struct {
	r         *Router
	m         Message
	me        domain.Member
	to        Destination
	abandoned *pending // a question the rep moved on from, unanswered
	expired   *pending // a question left unanswered too long
}

// changedDay tells the OnChanged hooks that a team's figures for day moved.
func (c *conv) changedDay(ctx context.Context, teamID int64, days ...domain.Date) {
	for _, d := range days {
		if d.IsZero() {
			continue
		}
		for _, h := range c.r.changed {
			h(ctx, teamID, d)
		}
	}
}

func (c *conv) say(text string) []Reply {
	return []Reply{{To: c.to, Text: text}}
}

// fail turns a domain error into a reply. Internal errors, and a database
// that kept asking for a retry (deadlocks, a busy file) after the service's
// own retries, go back to the adapter so that the platform is not
// acknowledged and delivers the message again: nothing was stored.
func (c *conv) fail(err error) ([]Reply, error) {
	if domain.ErrorCode(err) == domain.EINTERNAL || errors.Is(err, domain.ErrRetry) {
		return nil, err
	}
	return c.say(domain.ErrorMessage(err)), nil
}
