package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coder/websocket"
)

// The AI bot's long connection (platforms.md §2.7): salesbot dials WeCom,
// subscribes with the bot's id and secret, keeps the connection alive with
// pings and reconnects with backoff and jitter. Messages and card clicks
// come in as frames, go through the same pipeline as the callbacks, and are
// answered on the socket with the inbound frame's req_id; pushes go out as
// aibot_send_msg.
//
// WeCom allows one live connection per bot: a new one replaces the old,
// which gets disconnected_event. So the replicas elect one holder through
// a lease; the others wait, and one of them takes over within
// LeaseTTL + LeaseTTL/4 when the holder dies. A holder whose connection is
// replaced by someone else's does not fight back: it keeps the lease (so no
// replica of ours reconnects) and waits ReplacedWait before trying again.

// errReplaced: WeCom said a newer connection replaced this one.
var errReplaced = errors.New("wecom AI bot connection replaced by a newer one (disconnected_event)")

// ErrNotConnected: this replica has no live AI bot connection right now
// (another replica holds it, or it is reconnecting). A later retry may
// find one.
var ErrNotConnected error = notConnected{}

type notConnected struct{}

func (notConnected) Error() string {
	return "wecom: the AI bot's long connection is not held by this replica"
}
func (notConnected) Temporary() bool           { return true }
func (notConnected) RetryAfter() time.Duration { return 10 * time.Second }

// RunLongConnection keeps the AI bot's long connection while this replica
// holds the lease, until ctx ends. It returns at once when the long
// connection is not configured.
func (w *WeCom) RunLongConnection(ctx context.Context) {
	lc := w.cfg.LongConn
	if !lc.Enabled() {
		return
	}
	log := w.log.With("bot_id", lc.BotID)
	// Inbound frames wait here for a worker; on return the ones taken are
	// handled.
	frames := newFrameQueue(lc.Workers, lc.QueueSize, w.onFrame)
	defer frames.close()
	failures := 0
	replaced := lc.ReplacedWait
	for ctx.Err() == nil {
		var up bool
		held, err := w.holdLease(ctx, func(ctx context.Context) error {
			var err error
			up, err = w.serveConn(ctx, frames)
			if !errors.Is(err, errReplaced) {
				return err
			}
			// Someone else's connection now serves the bot. Keep the lease,
			// so that no replica of ours dials and kicks it, and wait.
			log.Error("wecom AI bot connection replaced by a newer one (disconnected_event): is another program using this bot id? Not reconnecting for a while", "wait", replaced)
			sleep(ctx, replaced)
			replaced = min(2*replaced, time.Hour)
			return err
		})
		switch {
		case ctx.Err() != nil:
			return
		case !held:
			if err != nil {
				log.Warn("wecom AI bot lease", "err", err)
			}
			sleep(ctx, jitter(lc.LeaseTTL/4))
			continue
		case up:
			failures = 0 // it was working: reconnect promptly
		default:
			failures++
		}
		if errors.Is(err, errReplaced) {
			continue
		}
		if up {
			replaced = lc.ReplacedWait
		}
		wait := backoff(lc.BackoffMin, lc.BackoffMax, failures)
		log.Warn("wecom AI bot connection ended; reconnecting", "err", err, "wait", wait.Round(time.Millisecond))
		sleep(ctx, wait)
	}
}

// holdLease runs fn while this replica holds the lease, renewing it every
// LeaseTTL/3; fn's context ends when the lease is lost. held is false when
// the lease is someone else's. The lease is released when fn returns.
func (w *WeCom) holdLease(ctx context.Context, fn func(ctx context.Context) error) (held bool, err error) {
	if w.leases == nil {
		return true, fn(ctx)
	}
	lc := w.cfg.LongConn
	name := "wecom:aibot:" + lc.BotID
	token, ok, err := w.leases.AcquireLease(ctx, name, lc.LeaseTTL)
	if err != nil || !ok {
		return false, err
	}
	hctx, cancel := context.WithCancel(ctx)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(lc.LeaseTTL / 3)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-hctx.Done():
				return
			case <-t.C:
			}
			ok, err := w.leases.RenewLease(hctx, name, token, lc.LeaseTTL)
			switch {
			case err == nil && ok:
				last = time.Now()
				continue
			case err == nil: // expired or taken: someone else may be connecting
				w.log.Warn("wecom AI bot lease lost; closing the connection")
			case time.Since(last) > lc.LeaseTTL*2/3:
				// Cannot tell whether it is still ours: step down before it
				// could expire.
				w.log.Warn("wecom AI bot lease cannot be renewed; closing the connection", "err", err)
			default:
				continue
			}
			cancel()
			return
		}
	}()
	err = fn(hctx)
	cancel()
	<-renewed
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer rcancel()
	if rerr := w.leases.ReleaseLease(rctx, name, token); rerr != nil {
		w.log.Warn("release wecom AI bot lease", "err", rerr)
	}
	return true, err
}

// serveConn dials, subscribes and serves one connection until it ends or
// ctx does; inbound frames go to frames. up reports that the subscription
// succeeded.
func (w *WeCom) serveConn(ctx context.Context, frames *frameQueue) (up bool, err error) {
	lc := w.cfg.LongConn
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	c, _, err := websocket.Dial(dctx, lc.URL, nil)
	cancel()
	if err != nil {
		return false, fmt.Errorf("dial %s: %w", lc.URL, err)
	}
	s := newSocket(c)
	defer s.close(errConnClosed)
	go s.writeLoop()
	go s.readLoop(func(f frame) {
		if eventType(f) == eventDisconnected {
			s.close(errReplaced)
			return
		}
		if !frames.offer(s, f) {
			w.refuse(f)
		}
	})

	sctx, cancel := context.WithTimeout(ctx, lc.PingEvery)
	err = s.request(sctx, cmdSubscribe, newReqID(cmdSubscribe), subscribeBody{BotID: lc.BotID, Secret: lc.Secret})
	cancel()
	if err != nil {
		return false, fmt.Errorf("subscribe: %w", err)
	}
	w.setLive(s)
	defer w.setLive(nil)
	if w.onConnected != nil {
		w.onConnected(true)
		defer w.onConnected(false)
	}
	w.log.Info("wecom AI bot long connection up", "bot_id", lc.BotID)

	t := time.NewTicker(lc.PingEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return true, ctx.Err()
		case <-s.done:
			return true, s.cause()
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, lc.PingEvery)
		err := s.request(pctx, cmdPing, newReqID(cmdPing), nil)
		cancel()
		if err != nil && ctx.Err() == nil {
			s.close(fmt.Errorf("heartbeat: %w", err))
		}
	}
}

// eventType is the eventtype of an event callback ("" otherwise).
func eventType(f frame) string {
	if f.Cmd != cmdEventCallback {
		return ""
	}
	var b struct {
		Event struct {
			EventType string `json:"eventtype"`
		} `json:"event"`
	}
	_ = json.Unmarshal(f.Body, &b)
	return b.Event.EventType
}

// backoff is the wait before reconnect attempt n (1-based): doubling from
// min up to max, with full jitter on its upper half.
func backoff(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	return jitter(min(d, hi))
}

// jitter spreads d over [d/2, d), so replicas do not move in step.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
