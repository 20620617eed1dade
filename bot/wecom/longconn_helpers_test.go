package wecom_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/wecom"
	"salesbot/bot/wecom/aibotfake"
)

const testBot = "aibot-test"

// fastLongConn is a long connection to fake with timings short enough for
// tests.
func fastLongConn(fake *aibotfake.Server) wecom.LongConnConfig {
	return wecom.LongConnConfig{
		BotID: testBot, Secret: testSecret, URL: fake.URL(),
		PingEvery: 50 * time.Millisecond, LeaseTTL: 600 * time.Millisecond,
		BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond,
		ReplacedWait: time.Hour, SendWait: 3 * time.Second,
	}
}

// withLongConn turns the long connection on with lc and leases l.
func withLongConn(lc wecom.LongConnConfig, l wecom.Leases) option {
	return func(c *wecom.Config, d *wecom.Deps) {
		c.LongConn = lc
		d.Leases = l
	}
}

// replica runs w's long connection until kill is called; kill waits for
// it to return.
func runReplica(t *testing.T, w *wecom.WeCom) (kill func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.RunLongConnection(ctx)
	}()
	var once sync.Once
	kill = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	t.Cleanup(kill)
	return kill
}

// doneCounter wraps a Handler and counts the messages it finished.
type doneCounter struct {
	h  bot.Handler
	mu sync.Mutex
	n  int
	ch chan struct{}
}

func countDone(h bot.Handler) *doneCounter { return &doneCounter{h: h, ch: make(chan struct{})} }

func (d *doneCounter) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	out, err := d.h.Handle(ctx, m)
	d.mu.Lock()
	d.n++
	close(d.ch)
	d.ch = make(chan struct{})
	d.mu.Unlock()
	return out, err
}

// wait blocks until n messages were handled.
func (d *doneCounter) wait(t testing.TB, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		d.mu.Lock()
		got, ch := d.n, d.ch
		d.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("%d messages handled, want %d", got, n)
		}
	}
}

// killableLeases are a replica's leases that stop working when the replica
// dies: a dead process neither renews nor releases.
type killableLeases struct {
	wecom.Leases
	dead     atomic.Bool
	acquires atomic.Int32
}

var errDead = errors.New("replica is dead")

func (k *killableLeases) AcquireLease(ctx context.Context, name string, ttl time.Duration) (string, bool, error) {
	if k.dead.Load() {
		return "", false, errDead
	}
	k.acquires.Add(1)
	return k.Leases.AcquireLease(ctx, name, ttl)
}

func (k *killableLeases) RenewLease(ctx context.Context, name, token string, ttl time.Duration) (bool, error) {
	if k.dead.Load() {
		return false, errDead
	}
	return k.Leases.RenewLease(ctx, name, token, ttl)
}

func (k *killableLeases) ReleaseLease(ctx context.Context, name, token string) error {
	if k.dead.Load() {
		return errDead
	}
	return k.Leases.ReleaseLease(ctx, name, token)
}

// waitAcquires blocks until l has tried to take the lease n more times.
func (k *killableLeases) waitAcquires(t testing.TB, n int32) {
	t.Helper()
	want := k.acquires.Load() + n
	deadline := time.Now().Add(20 * time.Second)
	for k.acquires.Load() < want {
		if time.Now().After(deadline) {
			t.Fatalf("standby tried the lease %d times, want %d", k.acquires.Load(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// textBody is an AI bot text message from user ("" chat: private).
func textBody(msgID, user, chat, text string) map[string]any {
	b := map[string]any{
		"msgid": msgID, "aibotid": testBot, "chattype": "single", "from": map[string]any{"userid": user},
		"msgtype": "text", "text": map[string]any{"content": text},
	}
	if chat != "" {
		b["chattype"], b["chatid"] = "group", chat
	}
	return b
}

// cardEventBody is a click on a card's button.
func cardEventBody(msgID, user, key, taskID string) map[string]any {
	return map[string]any{
		"msgid": msgID, "aibotid": testBot, "chattype": "single", "from": map[string]any{"userid": user},
		"msgtype": "event", "event": map[string]any{
			"eventtype":           "template_card_event",
			"template_card_event": map[string]any{"card_type": "button_interaction", "event_key": key, "task_id": taskID},
		},
	}
}

// waitFrame waits (up to 10 s) for a frame with cmd matching ok.
func waitFrame(t testing.TB, fake *aibotfake.Server, cmd string, ok func(aibotfake.Frame) bool) aibotfake.Frame {
	t.Helper()
	return waitFrameFor(t, 10*time.Second, fake, cmd, ok)
}

// waitFrameFor is waitFrame with its own patience.
func waitFrameFor(t testing.TB, d time.Duration, fake *aibotfake.Server, cmd string, ok func(aibotfake.Frame) bool) aibotfake.Frame {
	t.Helper()
	var got aibotfake.Frame
	if !fake.Wait(d, func() bool {
		for _, f := range fake.Frames(cmd) {
			if ok(f) {
				got = f
				return true
			}
		}
		return false
	}) {
		t.Fatalf("no %s frame as expected; frames: %+v", cmd, fake.Frames(""))
	}
	return got
}

func anyFrame(aibotfake.Frame) bool { return true }

// cardOf returns a frame body's template card.
func cardOf(t testing.TB, f aibotfake.Frame) map[string]any {
	t.Helper()
	c, ok := f.Body["template_card"].(map[string]any)
	if !ok {
		t.Fatalf("%s frame without template_card: %+v", f.Cmd, f.Body)
	}
	return c
}
