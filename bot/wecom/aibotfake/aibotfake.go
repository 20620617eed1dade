// Package aibotfake is a fake of WeCom's AI bot long-connection server
// (platforms.md §2.7) on httptest, for tests and `salesbot check` demos.
// It checks the subscription, answers every request frame, delivers
// messages and events, keeps what it could not deliver for the next
// connection, redelivers callbacks left unanswered when a connection
// drops, and replaces an older connection of the same bot by a newer one
// with disconnected_event, as WeCom does.
package aibotfake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Frame is one frame the server received from a client.
type Frame struct {
	Cmd   string
	ReqID string
	Body  map[string]any
	Conn  int       // which connection (1-based, in order of dialing)
	At    time.Time // when the server read it
}

// Stats count what happened on the server.
type Stats struct {
	Dials      int // connections opened
	Subscribes int // successful subscriptions
	Refused    int // subscriptions refused (bad bot id or secret)
	// Kicks counts connections replaced while live: by a newer
	// subscription of the same bot (two connections at once), or by Kick.
	Kicks int
}

// Server is the fake. Bots maps bot id → secret.
type Server struct {
	srv  *httptest.Server
	bots map[string]string

	mu         sync.Mutex
	live       map[string]*conn // bot → subscribed connection
	queued     map[string][]callback
	frames     []Frame
	stats      Stats
	dropNext   map[string]bool // bot → close instead of answering the next reply
	changed    chan struct{}
	nextConnID int
	observe    func(Frame)
}

type callback struct {
	reqID string
	raw   []byte
}

type conn struct {
	silent  bool // answers nothing, as a dead peer whose TCP connection lingers
	id      int
	c       *websocket.Conn
	bot     string
	wmu     sync.Mutex
	unacked map[string]callback // callbacks not yet replied to
}

// New starts a fake serving bots.
func New(bots map[string]string) *Server {
	s := &Server{
		bots: bots, live: map[string]*conn{}, queued: map[string][]callback{},
		dropNext: map[string]bool{}, changed: make(chan struct{}),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the ws:// address to dial.
func (s *Server) URL() string { return "ws" + strings.TrimPrefix(s.srv.URL, "http") }

// Close stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	for _, c := range s.live {
		c.c.CloseNow()
	}
	s.mu.Unlock()
	s.srv.Close()
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Live reports whether bot has a subscribed connection.
func (s *Server) Live(bot string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.live[bot] != nil
}

// Frames returns the frames received with cmd ("" for all).
func (s *Server) Frames(cmd string) []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Frame
	for _, f := range s.frames {
		if cmd == "" || f.Cmd == cmd {
			out = append(out, f)
		}
	}
	return out
}

// Observe makes the server call fn with every frame it reads, as it reads
// it (nil: stop). fn runs on the connection's reader and must not block.
func (s *Server) Observe(fn func(Frame)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observe = fn
}

// Wait blocks until cond holds (checked after every change) or d passes;
// it reports whether cond held.
func (s *Server) Wait(d time.Duration, cond func() bool) bool {
	deadline := time.After(d)
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-deadline:
			return cond()
		}
	}
}

// notify wakes Wait; call with mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Message delivers an aibot_msg_callback with body to bot's connection, or
// keeps it for the next one. It returns the frame's req_id.
func (s *Server) Message(bot string, body any) string {
	return s.deliver(bot, "aibot_msg_callback", body)
}

// Event delivers an aibot_event_callback likewise.
func (s *Server) Event(bot string, body any) string {
	return s.deliver(bot, "aibot_event_callback", body)
}

func (s *Server) deliver(bot, cmd string, body any) string {
	reqID := newID()
	raw, _ := json.Marshal(map[string]any{"cmd": cmd, "headers": map[string]string{"req_id": reqID}, "body": body})
	cb := callback{reqID: reqID, raw: raw}
	s.mu.Lock()
	c := s.live[bot]
	if c == nil {
		s.queued[bot] = append(s.queued[bot], cb)
		s.mu.Unlock()
		return reqID
	}
	if cmd == "aibot_msg_callback" { // events are sent once
		c.unacked[reqID] = cb
	}
	s.mu.Unlock()
	c.write(raw)
	return reqID
}

// Kick replaces bot's connection as a newer connection from elsewhere
// would: disconnected_event, then close.
func (s *Server) Kick(bot string) {
	s.mu.Lock()
	c := s.live[bot]
	if c != nil {
		delete(s.live, bot)
		s.stats.Kicks++
		s.notify()
	}
	s.mu.Unlock()
	if c != nil {
		c.kick()
	}
}

// Silence makes bot's current connection stop answering (pings included)
// without closing it, as a peer that died behind a lingering TCP connection.
func (s *Server) Silence(bot string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.live[bot]; c != nil {
		c.silent = true
	}
}

// DropNextReply makes the server close bot's connection when the next
// aibot_respond_msg or aibot_respond_update_msg arrives, without
// answering it: the reply is lost and the callback is redelivered to the
// next connection.
func (s *Server) DropNextReply(bot string) {
	s.mu.Lock()
	s.dropNext[bot] = true
	s.mu.Unlock()
}

func (c *conn) write(b []byte) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.c.Write(ctx, websocket.MessageText, b)
}

func (c *conn) kick() {
	raw, _ := json.Marshal(map[string]any{
		"cmd": "aibot_event_callback", "headers": map[string]string{"req_id": newID()},
		"body": map[string]any{"msgid": newID(), "msgtype": "event", "event": map[string]any{"eventtype": "disconnected_event"}},
	})
	c.write(raw)
	c.c.Close(websocket.StatusNormalClosure, "replaced")
}

func (c *conn) answer(reqID string, code int, msg string) {
	raw, _ := json.Marshal(map[string]any{"headers": map[string]string{"req_id": reqID}, "errcode": code, "errmsg": msg})
	c.write(raw)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	wc, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.nextConnID++
	c := &conn{id: s.nextConnID, c: wc, unacked: map[string]callback{}}
	s.stats.Dials++
	s.notify()
	s.mu.Unlock()
	defer s.hangUp(c)
	for {
		_, b, err := wc.Read(context.Background())
		if err != nil {
			return
		}
		at := time.Now()
		var f struct {
			Cmd     string            `json:"cmd"`
			Headers map[string]string `json:"headers"`
			Body    map[string]any    `json:"body"`
		}
		if json.Unmarshal(b, &f) != nil {
			continue
		}
		reqID := f.Headers["req_id"]
		fr := Frame{Cmd: f.Cmd, ReqID: reqID, Body: f.Body, Conn: c.id, At: at}
		s.mu.Lock()
		s.frames = append(s.frames, fr)
		s.notify()
		silent, observe := c.silent, s.observe
		s.mu.Unlock()
		if observe != nil {
			observe(fr)
		}
		if silent {
			continue
		}
		switch f.Cmd {
		case "aibot_subscribe":
			if !s.subscribe(c, f.Body) {
				c.answer(reqID, 853000, "invalid bot_id or secret")
				wc.Close(websocket.StatusPolicyViolation, "bad credentials")
				return
			}
			c.answer(reqID, 0, "ok")
			s.flush(c)
		case "aibot_respond_msg", "aibot_respond_update_msg":
			s.mu.Lock()
			drop := s.dropNext[c.bot]
			delete(s.dropNext, c.bot)
			if !drop {
				delete(c.unacked, reqID)
			}
			s.mu.Unlock()
			if drop {
				wc.CloseNow()
				return
			}
			c.answer(reqID, 0, "ok")
		default:
			if c.bot == "" {
				c.answer(reqID, 40001, "not subscribed")
				continue
			}
			c.answer(reqID, 0, "ok")
		}
	}
}

// subscribe checks the credentials and makes c the bot's live connection,
// replacing an older one.
func (s *Server) subscribe(c *conn, body map[string]any) bool {
	bot, _ := body["bot_id"].(string)
	secret, _ := body["secret"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	if want, ok := s.bots[bot]; !ok || want != secret {
		s.stats.Refused++
		s.notify()
		return false
	}
	c.bot = bot
	if old := s.live[bot]; old != nil {
		s.stats.Kicks++
		go old.kick()
	}
	s.live[bot] = c
	s.stats.Subscribes++
	s.notify()
	return true
}

// flush sends c what was kept for its bot.
func (s *Server) flush(c *conn) {
	s.mu.Lock()
	q := s.queued[c.bot]
	if s.live[c.bot] != c {
		s.mu.Unlock()
		return
	}
	delete(s.queued, c.bot)
	for _, cb := range q {
		c.unacked[cb.reqID] = cb
	}
	s.mu.Unlock()
	for _, cb := range q {
		c.write(cb.raw)
	}
}

// hangUp forgets a closed connection; the callbacks it left unanswered
// are kept for the next one.
func (s *Server) hangUp(c *conn) {
	c.c.CloseNow()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.live[c.bot] == c {
		delete(s.live, c.bot)
	}
	for _, cb := range c.unacked {
		s.queued[c.bot] = append(s.queued[c.bot], cb)
	}
	c.unacked = map[string]callback{}
	s.notify()
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
