package bench

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
)

// fakeDingTalk is an in-process DingTalk: access tokens, the Stream
// gateway with its WebSocket, and sessionWebhooks that note when the first
// reply to each message arrives.
type fakeDingTalk struct {
	*httptest.Server

	mu      sync.Mutex
	conn    *websocket.Conn
	ready   chan struct{} // closed when the Stream client has connected
	sent    map[string]time.Time
	replied map[string]time.Time // first reply per message
	acked   map[string]bool
	window  window // of the phase under way
}

func newFakeDingTalk() *fakeDingTalk {
	f := &fakeDingTalk{ready: make(chan struct{})}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

func (f *fakeDingTalk) serve(w http.ResponseWriter, r *http.Request) {
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
		first := false
		if _, ok := f.replied[id]; !ok && f.replied != nil {
			f.replied[id], first = time.Now(), true
		}
		inFlight := f.window
		f.mu.Unlock()
		if first {
			inFlight.give()
		}
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	default:
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{"processQueryKey":"bench"}`)
	}
}

func (f *fakeDingTalk) readAcks(c *websocket.Conn) {
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
			if f.acked != nil {
				f.acked[a.Headers["messageId"]] = true
			}
			f.mu.Unlock()
		}
	}
}

// waitConnected waits until the Stream client has connected.
func (f *fakeDingTalk) waitConnected(d time.Duration) error {
	select {
	case <-f.ready:
		return nil
	case <-time.After(d):
		return fmt.Errorf("bench: the DingTalk Stream client did not connect within %s", d)
	}
}

// streamPhase sends n robot-message frames over the Stream connection
// (paced at rate per second, 0: as fast as replies come, p.conc in
// flight) and waits until each is
// acknowledged and answered, maxTime has passed or answers stopped coming. A report counts when
// it was both; its latency runs from the frame being sent to its first
// reply arriving at the sessionWebhook.
func (f *fakeDingTalk) streamPhase(ctx context.Context, p phaseSpec) result {
	f.mu.Lock()
	f.sent, f.replied, f.acked = map[string]time.Time{}, map[string]time.Time{}, map[string]bool{}
	f.window = newWindow(p.rate, p.conc)
	conn, inFlight := f.conn, f.window
	f.mu.Unlock()
	start := time.Now()
	pace(ctx, start, p.n, p.rate, p.maxTime, func(i int) bool {
		id, body := f.frame(p, i)
		inFlight.take()
		f.mu.Lock()
		f.sent[id] = time.Now()
		f.mu.Unlock()
		return conn.Write(ctx, websocket.MessageText, body) == nil
	})
	awaitAnswers(ctx, start, p.maxTime, 5*time.Millisecond, func() (int, bool) {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.acked) + len(f.replied), len(f.acked) >= len(f.sent) && len(f.replied) >= len(f.sent)
	})
	f.mu.Lock()
	defer f.mu.Unlock()
	var r result
	last := start
	for id, t0 := range f.sent {
		t1, ok := f.replied[id]
		if !ok || !f.acked[id] {
			r.failed++
			continue
		}
		r.ok++
		r.latencies = append(r.latencies, t1.Sub(t0))
		last = later(last, t1)
	}
	r.elapsed = last.Sub(start) // to the last reply: the wait for missing ones is not work done
	return sorted(r)
}

// frame is report i of p as a Stream CALLBACK frame, with its message id.
func (f *fakeDingTalk) frame(p phaseSpec, i int) (string, []byte) {
	m, c := p.member(i), p.customer(i)
	id := p.msgID(i)
	data, _ := json.Marshal(map[string]any{
		"msgtype": "text", "text": map[string]string{"content": reportText(i, p.day, c)},
		"msgId": id, "createAt": p.now.UnixMilli(), "conversationType": "1",
		"senderStaffId": m.DingTalkUserID, "senderNick": m.Name,
		"sessionWebhook":            f.URL + "/robot/sendBySession?session=" + id,
		"sessionWebhookExpiredTime": p.now.Add(time.Hour).UnixMilli(),
	})
	b, _ := json.Marshal(map[string]any{"specVersion": "1.0", "type": "CALLBACK", "data": string(data),
		"headers": map[string]string{"messageId": id, "topic": "/v1.0/im/bot/messages/get", "contentType": "application/json", "time": strconv.FormatInt(p.now.UnixMilli(), 10)}})
	return id, b
}
