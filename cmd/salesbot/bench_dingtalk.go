package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"salesbot/domain"
)

// benchDingTalk is an in-process DingTalk for `salesbot bench`: access
// tokens, the Stream gateway with its WebSocket, and sessionWebhooks that
// note when the first reply to each message arrives.
type benchDingTalk struct {
	*httptest.Server

	mu      sync.Mutex
	conn    *websocket.Conn
	ready   chan struct{} // closed when the Stream client has connected
	sent    map[string]time.Time
	replied map[string]time.Time // first reply per message
	acked   map[string]bool
}

func newBenchDingTalk() *benchDingTalk {
	f := &benchDingTalk{ready: make(chan struct{})}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

func (f *benchDingTalk) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/v1.0/oauth2/accessToken":
		io.WriteString(w, `{"accessToken":"bench-token","expireIn":7200}`)
	case "/v1.0/gateway/connections/open":
		fmt.Fprintf(w, `{"endpoint":"ws%s/connect","ticket":"bench"}`, strings.TrimPrefix(f.URL, "http"))
	case "/connect":
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		f.mu.Lock()
		first := f.conn == nil
		f.conn = c
		f.mu.Unlock()
		if first {
			close(f.ready)
		}
		f.readAcks(c)
	case "/robot/sendBySession":
		io.Copy(io.Discard, r.Body)
		id := r.URL.Query().Get("session")
		f.mu.Lock()
		if _, ok := f.replied[id]; !ok {
			f.replied[id] = time.Now()
		}
		f.mu.Unlock()
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	default:
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{"processQueryKey":"bench"}`)
	}
}

func (f *benchDingTalk) readAcks(c *websocket.Conn) {
	for {
		_, b, err := c.Read(context.Background())
		if err != nil {
			return
		}
		var a struct {
			Code    int               `json:"code"`
			Headers map[string]string `json:"headers"`
		}
		if json.Unmarshal(b, &a) == nil && a.Code == 200 {
			f.mu.Lock()
			f.acked[a.Headers["messageId"]] = true
			f.mu.Unlock()
		}
	}
}

// benchFrame is one robot-message frame to send.
type benchFrame struct {
	id   string
	body []byte
}

// phase sends the frames (paced at rate per second, 0: all at once) and
// waits until each is acknowledged and answered, or maxTime has passed.
// A report counts when it was both; its latency runs from the frame
// being sent to its first reply arriving.
func (f *benchDingTalk) phase(ctx context.Context, frames []benchFrame, rate int, maxTime time.Duration) benchResult {
	f.mu.Lock()
	f.sent, f.replied, f.acked = map[string]time.Time{}, map[string]time.Time{}, map[string]bool{}
	conn := f.conn
	f.mu.Unlock()
	start := time.Now()
	for i, fr := range frames {
		if rate > 0 {
			if d := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); d > 0 {
				time.Sleep(d)
			}
		}
		if ctx.Err() != nil || time.Since(start) > maxTime {
			break
		}
		f.mu.Lock()
		f.sent[fr.id] = time.Now()
		f.mu.Unlock()
		if err := conn.Write(ctx, websocket.MessageText, fr.body); err != nil {
			break
		}
	}
	done := func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.acked) >= len(f.sent) && len(f.replied) >= len(f.sent)
	}
	for !done() && ctx.Err() == nil && time.Since(start) < maxTime {
		time.Sleep(5 * time.Millisecond)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var res benchResult
	res.elapsed = time.Since(start)
	for id, t0 := range f.sent {
		t1, ok := f.replied[id]
		if !ok || !f.acked[id] {
			res.failed++
			continue
		}
		res.ok++
		res.latencies = append(res.latencies, t1.Sub(t0))
	}
	return res
}

// benchStream runs two phases over the DingTalk Stream connection: paced
// at rate, and unpaced. The Stream client is the one serve runs.
func benchStream(ctx context.Context, a *app, f *benchDingTalk, members []domain.Member, custs []domain.Customer,
	run string, n, rate int, maxTime time.Duration, now time.Time,
) (paced, open benchResult, err error) {
	stop := a.startStreams(ctx)
	defer stop()
	select {
	case <-f.ready:
	case <-time.After(30 * time.Second):
		return paced, open, fmt.Errorf("bench: the DingTalk Stream client did not connect")
	}
	frames := func(name, day string) []benchFrame {
		out := make([]benchFrame, 0, n)
		for i := 0; i < n; i++ {
			m, c := members[i%len(members)], custs[i%len(custs)]
			id := fmt.Sprintf("%s-%s-%d", run, name, i)
			data, _ := json.Marshal(map[string]any{
				"msgtype": "text", "text": map[string]string{"content": benchText(i, day, c)},
				"msgId": id, "createAt": now.UnixMilli(), "conversationType": "1",
				"senderStaffId": m.DingTalkUserID, "senderNick": m.Name,
				"sessionWebhook":            f.URL + "/robot/sendBySession?session=" + id,
				"sessionWebhookExpiredTime": now.Add(time.Hour).UnixMilli(),
			})
			b, _ := json.Marshal(map[string]any{"specVersion": "1.0", "type": "CALLBACK", "data": string(data),
				"headers": map[string]string{"messageId": id, "topic": "/v1.0/im/bot/messages/get", "contentType": "application/json", "time": strconv.FormatInt(now.UnixMilli(), 10)}})
			out = append(out, benchFrame{id, b})
		}
		return out
	}
	paced = f.phase(ctx, frames("stream-paced", "大前天"), rate, maxTime)
	fourDaysAgo := now.In(a.cfg.TZ).AddDate(0, 0, -4)
	open = f.phase(ctx, frames("stream-open", fmt.Sprintf("%d月%d日", fourDaysAgo.Month(), fourDaysAgo.Day())), 0, maxTime)
	return paced, open, nil
}
