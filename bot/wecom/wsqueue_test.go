package wecom_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/wecom"
	"salesbot/bot/wecom/aibotfake"
	"salesbot/domain"
)

// gate is a Handler that holds every message until it is opened, counting
// how many are held at once and how often each message id came in. Before
// answering it may run during(m) (a handler waiting on the connection).
type gate struct {
	open    chan struct{}
	during  func(context.Context, bot.Message) error
	mu      sync.Mutex
	running int
	most    int
	seen    map[string]int
	changed chan struct{}
}

func newGate() *gate {
	return &gate{open: make(chan struct{}), seen: map[string]int{}, changed: make(chan struct{})}
}

func (g *gate) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	g.update(func() {
		g.running++
		g.most = max(g.most, g.running)
	})
	defer g.update(func() {
		g.running--
		g.seen[m.ID]++
	})
	<-g.open
	if g.during != nil {
		if err := g.during(ctx, m); err != nil {
			return nil, err
		}
	}
	return []bot.Reply{{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID, ChatID: m.ChatID}, Text: "收到 " + m.ID}}, nil
}

func (g *gate) update(fn func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	fn()
	close(g.changed)
	g.changed = make(chan struct{})
}

// waitFor blocks until cond(running, handled) holds.
func (g *gate) waitFor(t testing.TB, what string, cond func(running, handled int) bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		g.mu.Lock()
		running, handled, ch := g.running, len(g.seen), g.changed
		g.mu.Unlock()
		if cond(running, handled) {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("waiting for %s: %d running, %d handled", what, running, handled)
		}
	}
}

// check reports messages handled other than exactly once among ids, and
// more than limit at once.
func (g *gate) check(t testing.TB, ids []string, limit int) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.most > limit {
		t.Errorf("%d messages handled at once, want at most %d", g.most, limit)
	}
	for _, id := range ids {
		if n := g.seen["aibot:"+id]; n != 1 {
			t.Errorf("message %s handled %d times, want once", id, n)
		}
	}
	if len(g.seen) != len(ids) {
		t.Errorf("%d messages handled, want %d", len(g.seen), len(ids))
	}
}

// queueReplica runs a long connection to fake with workers and queue,
// feeding h, and counts the frames' outcomes.
func queueReplica(t *testing.T, fake *aibotfake.Server, h bot.Handler, workers, queue int) (*env, *outcomes, func()) {
	t.Helper()
	lc := fastLongConn(fake)
	lc.Workers, lc.QueueSize = workers, queue
	// Slow enough that a loaded machine answers every ping in time: the
	// tests count on a single connection.
	lc.PingEvery = 300 * time.Millisecond
	out := &outcomes{n: map[string]int{}}
	e := newEnvHandler(t, h, withLongConn(lc, nil), func(c *wecom.Config, d *wecom.Deps) {
		c.HandleTimeout = time.Minute // the gate holds messages as long as the test wants
		d.OnFrame = out.add
	})
	kill := runReplica(t, e.w)
	waitFrame(t, fake, "aibot_subscribe", anyFrame)
	return e, out, kill
}

type outcomes struct {
	mu sync.Mutex
	n  map[string]int
}

func (o *outcomes) add(outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[outcome]++
}

func (o *outcomes) get(outcome string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n[outcome]
}

// sendMessages delivers n text messages with ids prefix-0… and returns
// the ids and the frames' req_ids.
func sendMessages(fake *aibotfake.Server, prefix string, n int) (ids, reqs []string) {
	for i := range n {
		id := fmt.Sprintf("%s-%d", prefix, i)
		ids = append(ids, id)
		reqs = append(reqs, fake.Message(testBot, textBody(id, fmt.Sprintf("user-%d", i%7), "", "拜访 "+id)))
	}
	return ids, reqs
}

// waitReadPast returns once the client has read every frame the fake sent
// before the call: the client pings only after the previous ping was
// answered, and the fake answers a ping it reads now after those frames.
func waitReadPast(t testing.TB, fake *aibotfake.Server) {
	t.Helper()
	pings := len(fake.Frames("ping"))
	waitFrame(t, fake, "ping", func(aibotfake.Frame) bool { return len(fake.Frames("ping")) >= pings+2 })
	if st := fake.Stats(); st.Subscribes != 1 {
		t.Fatalf("the connection was replaced meanwhile: %+v", st)
	}
}

// answeredOnce checks that each req_id in reqs got exactly one
// aibot_respond_msg, and none other did.
func answeredOnce(t testing.TB, fake *aibotfake.Server, reqs []string) {
	t.Helper()
	got := map[string]int{}
	for _, f := range fake.Frames("aibot_respond_msg") {
		got[f.ReqID]++
	}
	for _, r := range reqs {
		if got[r] != 1 {
			t.Errorf("frame %s answered %d times, want once", r, got[r])
		}
		delete(got, r)
	}
	if len(got) != 0 {
		t.Errorf("answers to other frames: %v", got)
	}
}

// A burst of frames is handled by a fixed number of workers: the read loop
// takes the whole burst while they are busy, at most Workers messages are
// in the Handler at once, and each is handled and answered once.
func TestLongConnBurstHandledByWorkers(t *testing.T) {
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	g := newGate()
	_, out, _ := queueReplica(t, fake, g, 3, 100)

	ids, reqs := sendMessages(fake, "burst", 60)
	waitReadPast(t, fake)
	g.waitFor(t, "3 workers busy", func(running, _ int) bool { return running == 3 })
	close(g.open)
	g.waitFor(t, "all handled", func(_, handled int) bool { return handled == len(ids) })
	if !fake.Wait(10*time.Second, func() bool { return len(fake.Frames("aibot_respond_msg")) >= len(reqs) }) {
		t.Fatalf("%d answers, want %d", len(fake.Frames("aibot_respond_msg")), len(reqs))
	}
	g.check(t, ids, 3)
	answeredOnce(t, fake, reqs)
	if n := out.get("acked"); n != len(ids) {
		t.Errorf("%d frames counted acked, want %d", n, len(ids))
	}
}

// Handlers that wait for answer frames (their own pushes' acks) while the
// queue is full of frames do not stall the connection: the read loop
// still reads the answers.
func TestLongConnHandlersWaitingOnAnswersDoNotDeadlock(t *testing.T) {
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	g := newGate()
	close(g.open)
	var w *wecom.WeCom
	g.during = func(ctx context.Context, m bot.Message) error {
		return w.Sender().Send(ctx, bot.Reply{To: bot.Destination{Platform: domain.PlatformWeCom, AIBot: true, UserID: m.UserID}, Text: "推送 " + m.ID})
	}
	e, _, _ := queueReplica(t, fake, g, 2, 100)
	w = e.w

	ids, reqs := sendMessages(fake, "push", 40)
	g.waitFor(t, "all handled", func(_, handled int) bool { return handled == len(ids) })
	if !fake.Wait(10*time.Second, func() bool { return len(fake.Frames("aibot_respond_msg")) >= len(reqs) }) {
		t.Fatalf("%d answers, want %d", len(fake.Frames("aibot_respond_msg")), len(reqs))
	}
	g.check(t, ids, 2)
	answeredOnce(t, fake, reqs)
	if n := len(fake.Frames("aibot_send_msg")); n != len(ids) {
		t.Errorf("%d pushes, want %d", n, len(ids))
	}
}

// A frame arriving when every worker is busy and the queue is full is not
// handled and not answered, but logged and counted; WeCom (here the fake)
// delivers it again on the next connection, and then it is handled once.
func TestLongConnFullQueueLeavesFramesUnanswered(t *testing.T) {
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	g := newGate()
	e, out, _ := queueReplica(t, fake, g, 1, 2)

	ids, reqs := sendMessages(fake, "full", 6)
	waitReadPast(t, fake)
	g.waitFor(t, "the worker busy", func(running, _ int) bool { return running == 1 })
	if n := out.get("shed"); n != 3 {
		t.Fatalf("%d frames shed, want 3 (1 in hand, 2 queued)", n)
	}
	for _, id := range ids[3:] {
		if !strings.Contains(e.logs.String(), "msg_id="+id) {
			t.Errorf("shed message %s not logged:\n%s", id, e.logs.String())
		}
	}
	close(g.open)
	g.waitFor(t, "the taken frames handled", func(_, handled int) bool { return handled == 3 })
	if !fake.Wait(10*time.Second, func() bool { return len(fake.Frames("aibot_respond_msg")) >= 3 }) {
		t.Fatalf("%d answers, want 3", len(fake.Frames("aibot_respond_msg")))
	}
	answeredOnce(t, fake, reqs[:3])

	// The next connection gets the unanswered frames again.
	fake.Silence(testBot)
	g.waitFor(t, "the shed frames handled after reconnecting", func(_, handled int) bool { return handled == len(ids) })
	g.check(t, ids, 1)
	if !fake.Wait(10*time.Second, func() bool { return len(fake.Frames("aibot_respond_msg")) >= len(ids) }) {
		t.Fatalf("%d answers, want %d", len(fake.Frames("aibot_respond_msg")), len(ids))
	}
	if n := out.get("acked"); n != len(ids) {
		t.Errorf("%d frames counted acked, want %d", n, len(ids))
	}
}

// On shutdown the frames already taken are all handled before
// RunLongConnection returns, though the workers were busy when it began.
func TestLongConnShutdownDrainsQueue(t *testing.T) {
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	g := newGate()
	_, out, kill := queueReplica(t, fake, g, 2, 20)

	ids, _ := sendMessages(fake, "drain", 10)
	waitReadPast(t, fake)
	g.waitFor(t, "2 workers busy", func(running, _ int) bool { return running == 2 })
	stopped := make(chan struct{})
	go func() {
		kill()
		close(stopped)
	}()
	if !fake.Wait(10*time.Second, func() bool { return !fake.Live(testBot) }) {
		t.Fatal("the connection stayed up after shutdown began")
	}
	close(g.open)
	<-stopped
	g.check(t, ids, 2)
	if n := out.get("shed"); n != 0 {
		t.Errorf("%d frames shed", n)
	}
}
