package wecom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/bot/wecom"
	"salesbot/bot/wecom/aibotfake"
	"salesbot/domain"
	"salesbot/domain/kv"
)

var _ wecom.Leases = (*kv.KV)(nil)

// lcReplica is one replica's adapter on the shared stack, with its long
// connection to fake.
func lcReplica(t *testing.T, s *bottest.Stack, h bot.Handler, lc wecom.LongConnConfig, l wecom.Leases) *env {
	t.Helper()
	e := newEnvHandler(t, h, withLongConn(lc, l), func(_ *wecom.Config, d *wecom.Deps) {
		d.State, d.Limiter, d.Members, d.Now = s.KV, s.KV, s.Svc, s.Clock.Now
	})
	e.now = s.Clock.Now()
	return e
}

// The client subscribes with the bot's id and secret and keeps pinging; a
// silent peer is left and the client reconnects; a refused subscription is
// retried with backoff and its secret never logged.
func TestLongConnSubscribeAndHeartbeat(t *testing.T) {
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	e := newEnv(t, withLongConn(fastLongConn(fake), nil))
	runReplica(t, e.w)
	sub := waitFrame(t, fake, "aibot_subscribe", anyFrame)
	if sub.Body["bot_id"] != testBot || sub.Body["secret"] != testSecret || !strings.HasPrefix(sub.ReqID, "aibot_subscribe") {
		t.Errorf("subscribe frame %+v", sub)
	}
	if !fake.Wait(5*time.Second, func() bool { return len(fake.Frames("ping")) >= 3 }) {
		t.Fatalf("pings: %d", len(fake.Frames("ping")))
	}
	for _, p := range fake.Frames("ping") {
		if p.Conn != sub.Conn || p.ReqID == "" || p.ReqID == sub.ReqID {
			t.Errorf("ping frame %+v", p)
		}
	}

	// A peer that stops answering is given up after one unanswered ping,
	// and the client dials again.
	fake.Silence(testBot)
	if !fake.Wait(5*time.Second, func() bool { return fake.Stats().Subscribes >= 2 }) {
		t.Fatalf("no reconnection after the peer went silent: %+v", fake.Stats())
	}
	if st := fake.Stats(); st.Kicks != 0 {
		t.Errorf("stats %+v: the silent connection was replaced rather than closed", st)
	}

	t.Run("BadSecret", func(t *testing.T) {
		lc := fastLongConn(fake)
		lc.BotID = "other-bot"
		e := newEnv(t, withLongConn(lc, nil))
		runReplica(t, e.w)
		if !fake.Wait(5*time.Second, func() bool { return fake.Stats().Refused >= 3 }) {
			t.Fatalf("stats %+v", fake.Stats())
		}
		if !strings.Contains(e.logs.String(), "853000") {
			t.Errorf("the refusal's code is not logged:\n%s", e.logs.String())
		}
	})
}

// A report over the long connection is stored once and answered on the
// socket with the inbound frame's req_id; the same message delivered again
// stores nothing and says nothing; a click on the card updates it in place
// (aibot_respond_update_msg with the click's req_id).
func TestLongConnMessageStoredOnceAndAnswered(t *testing.T) {
	for _, real := range []bool{false, true} {
		name := map[bool]string{false: "embedded", true: "redis"}[real]
		t.Run(name, func(t *testing.T) {
			s := bottest.New(t, bottest.Options{RealRedis: real})
			fake := aibotfake.New(map[string]string{testBot: testSecret})
			defer fake.Close()
			h := countDone(s.Router)
			e := lcReplica(t, s, h, fastLongConn(fake), s.KV)
			runReplica(t, e.w)
			lina := s.Demo.EastReps[0]

			req := fake.Message(testBot, textBody("m-1", lina.WeComUserID, "", "今天上门拜访了华辰科技王总，聊了报价"))
			ans := waitFrame(t, fake, "aibot_respond_msg", func(f aibotfake.Frame) bool { return f.ReqID == req })
			card := cardOf(t, ans)
			if ans.Body["msgtype"] != "template_card" || card["card_type"] != "button_interaction" {
				t.Errorf("answer %+v", ans.Body)
			}
			again := fake.Message(testBot, textBody("m-1", lina.WeComUserID, "", "今天上门拜访了华辰科技王总，聊了报价"))
			h.wait(t, 2)
			visits, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: lina.ID})
			if err != nil || len(visits) != 1 {
				t.Fatalf("visits %+v, %v", visits, err)
			}
			if v := visits[0]; v.Platform != domain.PlatformWeCom || v.SourceMsgID != "aibot:m-1" {
				t.Errorf("visit source %s/%s", v.Platform, v.SourceMsgID)
			}
			for _, f := range fake.Frames("") {
				if f.ReqID == again {
					t.Errorf("the redelivery was answered: %+v", f)
				}
			}

			// Confirm through the card.
			buttons, _ := card["button_list"].([]any)
			if len(buttons) == 0 {
				t.Fatalf("card without buttons: %+v", card)
			}
			key := buttons[0].(map[string]any)["key"].(string)
			click := fake.Event(testBot, cardEventBody("e-1", lina.WeComUserID, key, card["task_id"].(string)))
			upd := waitFrame(t, fake, "aibot_respond_update_msg", func(f aibotfake.Frame) bool { return f.ReqID == click })
			uc := cardOf(t, upd)
			if upd.Body["response_type"] != "update_template_card" || uc["task_id"] != card["task_id"] || uc["replace_text"] == nil {
				t.Errorf("update %+v", upd.Body)
			}
		})
	}
}

// In a group the @-mention is stripped and the answer goes back on the
// socket with the frame's req_id.
func TestLongConnGroupMessage(t *testing.T) {
	s := bottest.New(t)
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	e := lcReplica(t, s, s.Router, fastLongConn(fake), s.KV)
	runReplica(t, e.w)
	lina := s.Demo.EastReps[0]
	req := fake.Message(testBot, textBody("g-1", lina.WeComUserID, "wrgroup1", "@销售助手 帮助"))
	ans := waitFrame(t, fake, "aibot_respond_msg", func(f aibotfake.Frame) bool { return f.ReqID == req })
	st, _ := ans.Body["stream"].(map[string]any)
	if ans.Body["msgtype"] != "stream" || st["finish"] != true || !strings.Contains(st["content"].(string), "我的客户") {
		t.Errorf("answer %+v", ans.Body)
	}
}

// The connection drops after the message was handled and before its
// answer got through: the message is redelivered on the next connection
// and stored once, and the answer arrives once, as a new message.
func TestLongConnDroppedBeforeReply(t *testing.T) {
	s := bottest.New(t)
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	h := countDone(s.Router)
	e := lcReplica(t, s, h, fastLongConn(fake), s.KV)
	runReplica(t, e.w)
	waitFrame(t, fake, "aibot_subscribe", anyFrame)
	lina := s.Demo.EastReps[0]

	fake.DropNextReply(testBot)
	fake.Message(testBot, textBody("d-1", lina.WeComUserID, "", "今天上门拜访了华辰科技王总，聊了报价"))
	h.wait(t, 2) // handled, then handled again when redelivered
	push := waitFrame(t, fake, "aibot_send_msg", anyFrame)
	if push.Conn < 2 || push.Body["chatid"] != lina.WeComUserID || push.Body["msgtype"] != "template_card" {
		t.Errorf("push %+v", push)
	}
	visits, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: lina.ID})
	if err != nil || len(visits) != 1 {
		t.Fatalf("visits %+v, %v", visits, err)
	}
	e.w.Close(context.Background())
	if n := len(fake.Frames("aibot_send_msg")); n != 1 {
		t.Errorf("%d pushes, want 1", n)
	}
	if n := len(fake.Frames("aibot_respond_msg")); n != 1 {
		t.Errorf("%d answers on the socket, want the 1 that was dropped", n)
	}
}

// A push to a team group through the AI bot goes out as aibot_send_msg; a
// replica without the connection says so, as a temporary failure.
func TestLongConnPush(t *testing.T) {
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	k := bottest.MustKV(t, false)
	holder := newEnv(t, withLongConn(fastLongConn(fake), k))
	runReplica(t, holder.w)
	waitFrame(t, fake, "aibot_subscribe", anyFrame)

	r := bot.Reply{To: bot.Destination{Platform: domain.PlatformWeCom, AIBot: true, ChatID: "wrgroup1"}, Text: "**本周排行**\n1. 李娜 5 次", Markdown: true}
	if err := holder.w.Send(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	push := waitFrame(t, fake, "aibot_send_msg", anyFrame)
	md, _ := push.Body["markdown"].(map[string]any)
	if push.Body["chatid"] != "wrgroup1" || push.Body["msgtype"] != "markdown" || md["content"] != "**本周排行**\n1. 李娜 5 次" {
		t.Errorf("push %+v", push.Body)
	}

	t.Run("Standby", func(t *testing.T) {
		lc := fastLongConn(fake)
		lc.SendWait = 50 * time.Millisecond
		standby := newEnv(t, withLongConn(lc, k))
		runReplica(t, standby.w)
		err := standby.w.Send(context.Background(), r)
		var tmp interface{ Temporary() bool }
		if !errors.Is(err, wecom.ErrNotConnected) || !errors.As(err, &tmp) || !tmp.Temporary() {
			t.Errorf("standby push: %v", err)
		}
		if n := len(fake.Frames("aibot_send_msg")); n != 1 {
			t.Errorf("%d pushes", n)
		}
	})
}

// An unknown sender over the long connection, delivered twice, is looked
// up and registered once.
func TestLongConnNewcomerRegisteredAfterDedupe(t *testing.T) {
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	var h *doneCounter
	s, e, cm := newcomerStack(t, func(r bot.Handler) bot.Handler { h = countDone(r); return h }, withLongConn(fastLongConn(fake), nil))
	runReplica(t, e.w)
	for range 2 {
		fake.Message(testBot, textBody("n-1", "xiaozhao", "", "今天上门拜访了华辰科技王总，聊了报价"))
	}
	h.wait(t, 2)
	if n := len(e.api.requests("/cgi-bin/user/get")); n != 1 {
		t.Errorf("address book asked %d times, want 1", n)
	}
	if n := cm.registered.Load(); n != 1 {
		t.Errorf("%d registrations, want 1", n)
	}
	m, err := s.Svc.Identify(context.Background(), domain.PlatformWeCom, "xiaozhao")
	if err != nil {
		t.Fatal(err)
	}
	if visits, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: m.ID}); err != nil || len(visits) != 1 {
		t.Errorf("visits %+v, %v", visits, err)
	}
}
