package bench

import (
	"context"
	"sync"
	"time"

	"salesbot/bot/wecom/aibotfake"
)

// The WeCom AI bot the service's long connection subscribes as.
const (
	aibotID     = "aibot-bench"
	aibotSecret = "bench-aibot-secret"
)

// newFakeAIBot is WeCom's AI bot long-connection server, in process.
func newFakeAIBot() *aibotfake.Server {
	return aibotfake.New(map[string]string{aibotID: aibotSecret})
}

// aibotPhase delivers n report messages (aibot_msg_callback frames) over
// the AI bot's long connection, paced at rate per second (0: as fast as
// answers come, p.conc in flight), and waits until each is answered on the
// connection (aibot_respond_msg with its req_id), maxTime has passed or
// answers stopped coming. Its latency runs from the frame being sent to
// the server reading the answer.
func aibotPhase(ctx context.Context, p phaseSpec, fake *aibotfake.Server) result {
	var mu sync.Mutex
	sent := make(map[string]time.Time, p.n)     // req_id → when sent
	answered := make(map[string]time.Time, p.n) // req_id → first answer
	inFlight := newWindow(p.rate, p.conc)
	fake.Observe(func(f aibotfake.Frame) {
		if f.Cmd != "aibot_respond_msg" && f.Cmd != "aibot_respond_update_msg" {
			return
		}
		mu.Lock()
		_, again := answered[f.ReqID]
		if !again {
			answered[f.ReqID] = f.At
		}
		mu.Unlock()
		if !again {
			inFlight.give()
		}
	})
	defer fake.Observe(nil)
	start := time.Now()
	pace(ctx, start, p.n, p.rate, p.maxTime, func(i int) bool {
		body := map[string]any{
			"msgid": p.msgID(i), "aibotid": aibotID, "chattype": "single",
			"from": map[string]any{"userid": p.member(i).WeComUserID}, "msgtype": "text",
			"text": map[string]any{"content": reportText(i, p.day, p.customer(i))},
		}
		inFlight.take()
		t0 := time.Now()
		id := fake.Message(aibotID, body)
		mu.Lock()
		sent[id] = t0
		mu.Unlock()
		return true
	})
	count := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for id := range sent {
			if _, ok := answered[id]; ok {
				n++
			}
		}
		return n, n >= len(sent)
	}
	awaitAnswers(ctx, start, p.maxTime, 10*time.Millisecond, count)
	mu.Lock()
	defer mu.Unlock()
	var r result
	last := start
	for id, t0 := range sent {
		t1, ok := answered[id]
		if !ok {
			r.failed++
			continue
		}
		r.ok++
		r.latencies = append(r.latencies, t1.Sub(t0))
		last = later(last, t1)
	}
	r.elapsed = last.Sub(start) // to the last answer: the wait for missing ones is not work done
	return sorted(r)
}
