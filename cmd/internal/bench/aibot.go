package bench

import (
	"context"
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
// the AI bot's long connection, paced at rate per second (0: all at once),
// and waits until each is answered on the connection (aibot_respond_msg
// with its req_id), maxTime has passed or answers stopped coming. Its latency runs from the frame
// being sent to the server reading the answer.
func aibotPhase(ctx context.Context, p phaseSpec, fake *aibotfake.Server) result {
	sent := make(map[string]time.Time, p.n) // req_id → when sent
	start := time.Now()
	pace(ctx, start, p.n, p.rate, p.maxTime, func(i int) bool {
		m := p.member(i)
		body := map[string]any{
			"msgid": p.msgID(i), "aibotid": aibotID, "chattype": "single",
			"from": map[string]any{"userid": m.WeComUserID}, "msgtype": "text",
			"text": map[string]any{"content": reportText(i, p.day, p.customer(i))},
		}
		t0 := time.Now()
		sent[fake.Message(aibotID, body)] = t0
		return true
	})
	answered := map[string]time.Time{} // req_id → first answer
	awaitAnswers(ctx, start, p.maxTime, 10*time.Millisecond, func() (int, bool) {
		for _, f := range fake.Frames("") {
			if f.Cmd != "aibot_respond_msg" && f.Cmd != "aibot_respond_update_msg" {
				continue
			}
			if _, ours := sent[f.ReqID]; !ours {
				continue
			}
			if t, ok := answered[f.ReqID]; !ok || f.At.Before(t) {
				answered[f.ReqID] = f.At
			}
		}
		return len(answered), len(answered) >= len(sent)
	})
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
