package dingtalk_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/bot/dingtalk"
	"salesbot/domain"
	"salesbot/domain/domaintest"
)

// fastStream reconnects at once and notices silence quickly, so tests do
// not wait on production timings.
var fastStream = dingtalk.StreamOptions{Idle: time.Second, PongWait: time.Second, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// runStream runs the adapter's Stream client until the test ends (or
// stop is called) and checks that Run returns.
func runStream(t *testing.T, e *env, opt dingtalk.StreamOptions) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.dt.Stream(opt).Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	e.stop = stop
	return stop
}

// stackStream is the adapter on the real stack (Router, SQLite or MySQL,
// kv), with a fake API and gateway; wrap may wrap the Router.
func stackStream(t *testing.T, backend string, wrap func(bot.Handler) bot.Handler) (*bottest.Stack, *env, *gateway) {
	t.Helper()
	s := bottest.New(t, bottest.Options{Backend: backend, RealRedis: backend == domaintest.MySQL})
	var h bot.Handler = s.Router
	if wrap != nil {
		h = wrap(h)
	}
	e := mustEnvHandler(t, dingtalk.Deps{Tokens: s.KV, Limiter: s.KV, Now: s.Clock.Now}, h)
	g := MustGateway(t, e.fake)
	return s, e, g
}

// report is a private robot message from the member at the stack's time.
func (e *env) report(s *bottest.Stack, m domain.Member, msgID, text string) []byte {
	now := s.Clock.Now()
	return e.payload(func(p map[string]any) {
		p["msgId"] = msgID
		p["senderStaffId"] = m.DingTalkUserID
		p["senderNick"] = m.Name
		p["text"] = map[string]any{"content": text}
		p["createAt"] = now.UnixMilli()
		p["sessionWebhookExpiredTime"] = now.Add(90 * time.Minute).UnixMilli()
	})
}

func visits(t *testing.T, s *bottest.Stack, m domain.Member) int {
	t.Helper()
	v, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	return len(v)
}

func checkAck(t *testing.T, a streamAck, id string) {
	t.Helper()
	want := streamAck{Code: 200, Message: "OK", Data: `{"response":null}`,
		Headers: map[string]string{"contentType": "application/json", "messageId": id}}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("ack (-want +got):\n%s", diff)
	}
}

// A report over the Stream: stored once, answered through the
// sessionWebhook, acknowledged; the gateway was opened with the app's
// credentials and both subscriptions.
func TestStreamReport(t *testing.T) {
	s, e, g := stackStream(t, domaintest.SQLite, nil)
	lina := s.Demo.EastReps[0]
	runStream(t, e, fastStream)
	waitFor(t, "connection", func() bool { return g.Live() == 1 })

	g.Send(botFrame("frame-1", e.report(s, lina, "msg-1", "今天上门拜访了华辰科技王总，聊了报价")))
	waitFor(t, "ack", func() bool { return len(g.Acks("frame-1")) == 1 })
	checkAck(t, g.Acks("frame-1")[0], "frame-1")
	waitFor(t, "reply", func() bool { return len(e.fake.Requests("/robot/sendBySession")) == 1 })
	if n := visits(t, s, lina); n != 1 {
		t.Errorf("visits = %d, want 1", n)
	}
	reply := e.fake.Requests("/robot/sendBySession")[0]
	if reply.RawQuery != "session="+sessionID || !strings.Contains(reply.Body, "华辰") {
		t.Errorf("reply = %s?%s %s", reply.Path, reply.RawQuery, reply.Body)
	}

	opens := g.Opens()
	if len(opens) != 1 {
		t.Fatalf("opens = %d", len(opens))
	}
	want := map[string]any{
		"clientId": appKey, "clientSecret": appSecret, "ua": "salesbot/1",
		"subscriptions": []any{
			map[string]any{"type": "CALLBACK", "topic": "/v1.0/im/bot/messages/get"},
			map[string]any{"type": "CALLBACK", "topic": "/v1.0/card/instances/callback"},
		},
	}
	if diff := cmp.Diff(want, opens[0]); diff != "" {
		t.Errorf("open body (-want +got):\n%s", diff)
	}
}

// The same message delivered twice (DingTalk's redelivery, or two
// replicas' connections) is stored and answered once, and both
// deliveries are acknowledged.
func TestStreamSameMessageTwice(t *testing.T) {
	for _, b := range domaintest.Backends() {
		t.Run(b, func(t *testing.T) {
			s, e, g := stackStream(t, b, nil)
			lina := s.Demo.EastReps[0]
			runStream(t, e, fastStream)
			waitFor(t, "connection", func() bool { return g.Live() == 1 })
			body := e.report(s, lina, "msg-twice", "今天电话联系了华辰科技王总，对方要报价")
			g.Send(botFrame("frame-a", body))
			g.Send(botFrame("frame-b", body))
			waitFor(t, "both acks", func() bool { return len(g.Acks("frame-a")) == 1 && len(g.Acks("frame-b")) == 1 })
			waitFor(t, "reply", func() bool { return len(e.fake.Requests("/robot/sendBySession")) >= 1 })
			if n := visits(t, s, lina); n != 1 {
				t.Errorf("visits = %d, want 1", n)
			}
			e.stop() // replies still on their way land before Run returns
			if n := len(e.fake.Requests("/robot/sendBySession")); n != 1 {
				t.Errorf("replies = %d, want 1", n)
			}
		})
	}
}

// The connection drops after the message was stored and before its ack:
// DingTalk delivers it again on the new connection, which acknowledges
// it; still one visit and one reply.
func TestStreamDroppedBeforeAck(t *testing.T) {
	for _, b := range domaintest.Backends() {
		t.Run(b, func(t *testing.T) {
			var g *gateway
			var once sync.Once
			s, e, gw := stackStream(t, b, func(h bot.Handler) bot.Handler {
				return bot.HandlerFunc(func(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
					r, err := h.Handle(ctx, m)
					once.Do(func() { g.Drop() })
					return r, err
				})
			})
			g = gw
			lina := s.Demo.EastReps[0]
			runStream(t, e, fastStream)
			waitFor(t, "connection", func() bool { return g.Live() == 1 })
			g.Send(botFrame("frame-1", e.report(s, lina, "msg-drop", "今天拜访了华辰科技王总，已经报价 30 万")))
			waitFor(t, "redelivery acknowledged", func() bool { return len(g.Pending()) == 0 })
			if n := g.Connects(); n != 2 {
				t.Errorf("connections = %d, want 2", n)
			}
			if acks := g.Acks("frame-1"); len(acks) != 1 {
				t.Errorf("acks = %+v, want the redelivery's only", acks)
			}
			e.stop()
			if n := visits(t, s, lina); n != 1 {
				t.Errorf("visits = %d, want 1", n)
			}
			if n := len(e.fake.Requests("/robot/sendBySession")); n != 1 {
				t.Errorf("replies = %d, want 1", n)
			}
		})
	}
}

// A sender nobody registered gets one answer however often the message
// is delivered: the Router claims the message before it identifies the
// sender, so a redelivery never reaches identification again.
func TestStreamUnknownSenderOnce(t *testing.T) {
	s, e, g := stackStream(t, domaintest.SQLite, nil)
	stranger := domain.Member{Name: "路人", DingTalkUserID: "stranger-001"}
	runStream(t, e, fastStream)
	waitFor(t, "connection", func() bool { return g.Live() == 1 })
	body := e.report(s, stranger, "msg-stranger", "今天拜访了华辰科技王总")
	g.Send(botFrame("frame-1", body))
	waitFor(t, "first ack", func() bool { return len(g.Acks("frame-1")) == 1 })
	g.Send(botFrame("frame-2", body))
	waitFor(t, "second ack", func() bool { return len(g.Acks("frame-2")) == 1 })
	e.stop()
	replies := e.fake.Requests("/robot/sendBySession")
	if len(replies) != 1 || !strings.Contains(replies[0].Body, "还不认识你") {
		t.Fatalf("replies = %+v, want one 还不认识你", replies)
	}
}

// A handler failure is not acknowledged; the frame stays with DingTalk,
// comes again on the next connection, and is acknowledged once handled.
func TestStreamHandlerFailureNotAcked(t *testing.T) {
	var mu sync.Mutex
	fail := true
	var calls []string
	h := bot.HandlerFunc(func(_ context.Context, m bot.Message) ([]bot.Reply, error) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, m.ID)
		if m.ID == "msg-fail" && fail {
			return nil, errors.New("database is down")
		}
		return nil, nil
	})
	e := mustEnvHandler(t, dingtalk.Deps{}, h)
	g := MustGateway(t, e.fake)
	opt := fastStream
	opt.Workers = 1 // frames one after the other: the second starts after the first was answered (or not)
	runStream(t, e, opt)
	waitFor(t, "connection", func() bool { return g.Live() == 1 })

	g.Send(botFrame("frame-fail", e.payload(func(p map[string]any) { p["msgId"] = "msg-fail" })))
	g.Send(botFrame("frame-ok", e.payload(func(p map[string]any) { p["msgId"] = "msg-ok" })))
	waitFor(t, "second frame's ack", func() bool { return len(g.Acks("frame-ok")) == 1 })
	if acks := g.Acks("frame-fail"); len(acks) != 0 {
		t.Fatalf("failed frame acknowledged: %+v", acks)
	}
	if diff := cmp.Diff([]string{"frame-fail"}, g.Pending()); diff != "" {
		t.Fatalf("pending (-want +got):\n%s", diff)
	}

	mu.Lock()
	fail = false
	mu.Unlock()
	g.Drop()
	waitFor(t, "redelivery acknowledged", func() bool { return len(g.Acks("frame-fail")) == 1 })
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]string{"msg-fail", "msg-ok", "msg-fail"}, calls); diff != "" {
		t.Errorf("handler calls (-want +got):\n%s", diff)
	}
}

// SYSTEM ping is answered with its own data; SYSTEM disconnect makes the
// client open a new connection with a new ticket.
func TestStreamSystemFrames(t *testing.T) {
	e := MustEnv(t, dingtalk.Deps{})
	g := MustGateway(t, e.fake)
	runStream(t, e, fastStream)
	waitFor(t, "connection", func() bool { return g.Live() == 1 })

	g.Send(systemFrame("ping-1", "ping", `{"opaque":"0a1b2c"}`))
	waitFor(t, "pong", func() bool { return len(g.Acks("ping-1")) == 1 })
	want := streamAck{Code: 200, Message: "OK", Data: `{"opaque":"0a1b2c"}`,
		Headers: map[string]string{"contentType": "application/json", "messageId": "ping-1"}}
	if diff := cmp.Diff(want, g.Acks("ping-1")[0]); diff != "" {
		t.Errorf("pong (-want +got):\n%s", diff)
	}

	// A number where a string header is expected, and a frame that is
	// not JSON, do not stop the connection.
	g.SendRaw([]byte(`not json`))
	g.SendRaw([]byte(`{"specVersion":"1.0","type":"SYSTEM","headers":{"messageId":"ping-2","topic":"ping","time":1700000000000},"data":"{}"}`))
	waitFor(t, "pong with a numeric header", func() bool { return len(g.Acks("ping-2")) == 1 })

	g.Send(systemFrame("bye-1", "disconnect", `{"reason":"persistent connection is timeout"}`))
	waitFor(t, "reconnect", func() bool { return g.Connects() == 2 && g.Live() == 1 })
	if n := len(g.Opens()); n != 2 {
		t.Errorf("gateway opened %d times, want 2 (a ticket is used once)", n)
	}
	// The new connection works.
	g.Send(botFrame("frame-1", e.payload(nil)))
	waitFor(t, "ack on the new connection", func() bool { return len(g.Acks("frame-1")) == 1 })
}

// A connection that goes silent (no frame, no pong) is replaced.
func TestStreamSilenceReconnects(t *testing.T) {
	e := MustEnv(t, dingtalk.Deps{})
	g := MustGateway(t, e.fake)
	g.MuteNext()
	opt := fastStream
	opt.Idle, opt.PongWait = 20*time.Millisecond, 50*time.Millisecond
	runStream(t, e, opt)
	waitFor(t, "reconnect after silence", func() bool { return g.Connects() == 2 })
	g.Send(botFrame("frame-1", e.payload(nil)))
	waitFor(t, "ack on the new connection", func() bool { return len(g.Acks("frame-1")) == 1 })
	if !strings.Contains(e.logs.String(), "silent") {
		t.Errorf("log does not say why it reconnected:\n%s", e.logs.String())
	}
}

// The gateway failing to open is retried.
func TestStreamOpenRetried(t *testing.T) {
	e := MustEnv(t, dingtalk.Deps{})
	g := MustGateway(t, e.fake)
	e.fake.Answer("/v1.0/gateway/connections/open", func(n int, r request) (int, string) {
		if n < 3 {
			return 503, `{"code":"ServiceUnavailable","message":"busy"}`
		}
		return g.open(n, r)
	})
	runStream(t, e, fastStream)
	waitFor(t, "connection", func() bool { return g.Live() == 1 })
	if n := len(e.fake.Requests("/v1.0/gateway/connections/open")); n != 4 {
		t.Errorf("open requests = %d, want 4", n)
	}
}

// A card click arrives as an Action, its ack after handling; bad payloads
// and group chatter without @ are acknowledged without the handler.
func TestStreamCardsAndIgnored(t *testing.T) {
	e := MustEnv(t, dingtalk.Deps{})
	g := MustGateway(t, e.fake)
	runStream(t, e, fastStream)
	waitFor(t, "connection", func() bool { return g.Live() == 1 })

	card := botFrame("card-1", mustJSON(t, map[string]any{
		"type": "actionCallback", "outTrackId": "visit-42", "userId": staffID, "corpId": "dingcorp",
		"content": `{"cardPrivateData":{"actionIds":["btn_1"],"params":{"key":"confirm:42"}}}`,
	}))
	card.Headers["topic"] = "/v1.0/card/instances/callback"
	g.Send(card)
	waitFor(t, "card ack", func() bool { return len(g.Acks("card-1")) == 1 })
	checkAck(t, g.Acks("card-1")[0], "card-1")
	want := []bot.Message{{
		Platform: domain.PlatformDingTalk, ID: "card:visit-42:" + staffID + ":confirm:42", UserID: staffID,
		At: vectorTime.UTC(), Action: &bot.CardAction{Key: "confirm:42", CardID: "visit-42"},
	}}
	if diff := cmp.Diff(want, e.h.Messages()); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}

	g.Send(botFrame("chatter", e.payload(func(p map[string]any) { group(p); p["isInAtList"] = false })))
	bad := botFrame("bad", []byte(`{"msgtype":"text"}`))
	g.Send(bad)
	waitFor(t, "acks", func() bool { return len(g.Acks("chatter")) == 1 && len(g.Acks("bad")) == 1 })
	checkAck(t, g.Acks("chatter")[0], "chatter")
	if a := g.Acks("bad")[0]; a.Code != 400 {
		t.Errorf("bad payload ack = %+v, want code 400", a)
	}
	if n := len(e.h.Messages()); n != 1 {
		t.Errorf("handler called %d times, want only for the card", n)
	}
	if !strings.Contains(e.logs.String(), "bad payload") {
		t.Error("bad payload not logged")
	}
}

// Shutting down lets a message in hand finish: it is stored, acknowledged
// and answered before Run returns.
func TestStreamShutdownFinishesInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := bot.HandlerFunc(func(context.Context, bot.Message) ([]bot.Reply, error) {
		close(entered)
		<-release
		return []bot.Reply{{Text: "已记录"}}, nil
	})
	e := mustEnvHandler(t, dingtalk.Deps{}, h)
	g := MustGateway(t, e.fake)
	stop := runStream(t, e, fastStream)
	waitFor(t, "connection", func() bool { return g.Live() == 1 })
	g.Send(botFrame("frame-1", e.payload(nil)))
	<-entered
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	close(release)
	<-stopped
	waitFor(t, "ack", func() bool { return len(g.Acks("frame-1")) == 1 })
	if n := len(e.fake.Requests("/robot/sendBySession")); n != 1 {
		t.Errorf("replies = %d, want 1", n)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The HTTP callback and the Stream share one intake path: the same message
// arriving both ways (a switch of mode while DingTalk still retries) is
// stored and answered once, and both deliveries are acknowledged.
func TestCallbackThenStreamStoresOnce(t *testing.T) {
	s, e, g := stackStream(t, domaintest.SQLite, nil)
	lina := s.Demo.EastReps[0]
	body := e.report(s, lina, "msg-both-ways", "今天拜访了华辰科技王总，已经报价 30 万")
	ts := strconv.FormatInt(s.Clock.Now().UnixMilli(), 10) // the adapter runs on the stack's clock
	if w := e.postSigned(body, ts, signOf(ts)); w.Code != 200 {
		t.Fatalf("callback answer = %d %s", w.Code, w.Body.String())
	}
	runStream(t, e, fastStream)
	waitFor(t, "connection", func() bool { return g.Live() == 1 })
	g.Send(botFrame("frame-1", body))
	waitFor(t, "ack", func() bool { return len(g.Acks("frame-1")) == 1 })
	e.stop()
	if n := visits(t, s, lina); n != 1 {
		t.Errorf("visits = %d, want 1", n)
	}
	if n := len(e.fake.Requests("/robot/sendBySession")); n != 1 {
		t.Errorf("replies = %d, want 1", n)
	}
}

// signOf signs a callback timestamp with the test app secret
// (platforms.md §4.1), computed independently of the package.
func signOf(ts string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(ts + "\n" + appSecret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
