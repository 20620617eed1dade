package dingtalk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// streamFrame and streamAck are the Stream wire shapes, as the fake
// gateway sees them.
type streamFrame struct {
	SpecVersion string            `json:"specVersion"`
	Type        string            `json:"type"`
	Headers     map[string]string `json:"headers"`
	Data        string            `json:"data"`
}

type streamAck struct {
	Code    int               `json:"code"`
	Headers map[string]string `json:"headers"`
	Message string            `json:"message"`
	Data    string            `json:"data"`
}

// gateway is a fake DingTalk Stream gateway: the open endpoint (mounted on
// the API fake) and a WebSocket server. Like DingTalk, it delivers every
// CALLBACK frame again, on the next connection, until it is acknowledged
// with code 200.
type gateway struct {
	t  *testing.T
	ws *httptest.Server

	mu       sync.Mutex
	tickets  map[string]bool // issued, not yet used
	opens    []map[string]any
	connects int
	conns    []*websocket.Conn // live
	pending  []streamFrame     // CALLBACKs not acknowledged yet
	acks     []streamAck
	mute     bool // the next connection neither reads nor answers pings
}

// MustGateway adds a Stream gateway to the API fake f.
func MustGateway(t *testing.T, f *fake) *gateway {
	t.Helper()
	g := &gateway{t: t, tickets: map[string]bool{}}
	g.ws = httptest.NewServer(http.HandlerFunc(g.serveWS))
	t.Cleanup(func() {
		g.Drop()
		g.ws.Close()
	})
	f.Answer("/v1.0/gateway/connections/open", g.open)
	return g
}

// open answers POST /v1.0/gateway/connections/open.
func (g *gateway) open(n int, r request) (int, string) {
	var body map[string]any
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		return 400, `{"code":"invalidParameter","message":"bad JSON"}`
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.opens = append(g.opens, body)
	if body["clientId"] != appKey || body["clientSecret"] != appSecret {
		return 401, `{"requestid":"R1","code":"authFailed","message":"鉴权失败"}`
	}
	ticket := "ticket+/=" + strconv.Itoa(n)
	g.tickets[ticket] = true
	ep := "ws" + strings.TrimPrefix(g.ws.URL, "http") + "/connect"
	b, _ := json.Marshal(map[string]string{"endpoint": ep, "ticket": ticket})
	return 200, string(b)
}

func (g *gateway) serveWS(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	g.mu.Lock()
	ok := g.tickets[ticket]
	delete(g.tickets, ticket)
	g.mu.Unlock()
	if r.URL.Path != "/connect" || !ok {
		http.Error(w, "bad ticket", http.StatusUnauthorized)
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	g.mu.Lock()
	g.connects++
	g.conns = append(g.conns, c)
	mute := g.mute
	g.mute = false
	pending := append([]streamFrame(nil), g.pending...)
	g.mu.Unlock()
	defer g.forget(c)
	if mute {
		<-r.Context().Done()
		return
	}
	for _, f := range pending {
		g.write(c, f)
	}
	for {
		_, b, err := c.Read(context.Background())
		if err != nil {
			return
		}
		var a streamAck
		if err := json.Unmarshal(b, &a); err != nil {
			g.t.Errorf("client sent a frame that is not JSON: %s", b)
			continue
		}
		g.mu.Lock()
		g.acks = append(g.acks, a)
		if a.Code == 200 {
			for i, f := range g.pending {
				if f.Headers["messageId"] == a.Headers["messageId"] {
					g.pending = append(g.pending[:i], g.pending[i+1:]...)
					break
				}
			}
		}
		g.mu.Unlock()
	}
}

func (g *gateway) forget(c *websocket.Conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, x := range g.conns {
		if x == c {
			g.conns = append(g.conns[:i], g.conns[i+1:]...)
			break
		}
	}
	c.CloseNow()
}

func (g *gateway) write(c *websocket.Conn, f streamFrame) {
	b, _ := json.Marshal(f)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.Write(ctx, websocket.MessageText, b) // a dropped connection gets it on the next one
}

// Send sends a frame on every live connection; a CALLBACK is kept until
// it is acknowledged.
func (g *gateway) Send(f streamFrame) {
	g.mu.Lock()
	if f.Type == "CALLBACK" {
		g.pending = append(g.pending, f)
	}
	conns := append([]*websocket.Conn(nil), g.conns...)
	g.mu.Unlock()
	for _, c := range conns {
		g.write(c, f)
	}
}

// SendRaw sends raw bytes on every live connection (nothing is kept).
func (g *gateway) SendRaw(b []byte) {
	g.mu.Lock()
	conns := append([]*websocket.Conn(nil), g.conns...)
	g.mu.Unlock()
	for _, c := range conns {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = c.Write(ctx, websocket.MessageText, b)
		cancel()
	}
}

// Drop cuts every live connection without a closing handshake.
func (g *gateway) Drop() {
	g.mu.Lock()
	conns := append([]*websocket.Conn(nil), g.conns...)
	g.mu.Unlock()
	for _, c := range conns {
		c.CloseNow()
	}
}

// MuteNext makes the next connection silent: it reads nothing, so pings
// go unanswered.
func (g *gateway) MuteNext() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.mute = true
}

func (g *gateway) Connects() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.connects
}

func (g *gateway) Live() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.conns)
}

func (g *gateway) Opens() []map[string]any {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]map[string]any(nil), g.opens...)
}

// Acks returns the acks received for frame id.
func (g *gateway) Acks(id string) []streamAck {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []streamAck
	for _, a := range g.acks {
		if a.Headers["messageId"] == id {
			out = append(out, a)
		}
	}
	return out
}

// Pending lists the ids of CALLBACKs not acknowledged yet.
func (g *gateway) Pending() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var ids []string
	for _, f := range g.pending {
		ids = append(ids, f.Headers["messageId"])
	}
	return ids
}

// botFrame wraps a robot message payload as a CALLBACK frame.
func botFrame(id string, payload []byte) streamFrame {
	return streamFrame{SpecVersion: "1.0", Type: "CALLBACK", Data: string(payload), Headers: map[string]string{
		"appId": "app-1", "connectionId": "conn-1", "contentType": "application/json",
		"messageId": id, "time": "1700000000000", "topic": "/v1.0/im/bot/messages/get",
	}}
}

// systemFrame is a SYSTEM frame of topic with data.
func systemFrame(id, topic, data string) streamFrame {
	return streamFrame{SpecVersion: "1.0", Type: "SYSTEM", Data: data, Headers: map[string]string{
		"contentType": "application/json", "messageId": id, "time": "1700000000000", "topic": topic,
	}}
}

// waitFor polls cond until it holds; it fails the test after a generous
// limit (this is not a timing assertion: the condition must come true).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
