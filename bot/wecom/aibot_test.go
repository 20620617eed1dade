package wecom_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/bot"
	"salesbot/domain"
)

// A group text: the @-mention is stripped, the reply comes back passively
// as a finished stream.
func TestAIBotTextPassiveStream(t *testing.T) {
	e := newEnv(t)
	e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
		to := bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID, ChatID: m.ChatID}
		return []bot.Reply{{To: to, Text: "本周你拜访了 3 个客户"}, {To: to, Text: "**排名** 第 2", Markdown: true}}, nil
	}
	rec := e.postAIBot(`{"msgid":"g1","create_time":1700000000,"aibotid":"B","chatid":"GROUP1","chattype":"group","from":{"userid":"lisi"},"response_url":"` + e.api.URL() + `/resp","msgtype":"text","text":{"content":"@销售助手  我本周拜访了几个客户"}}`)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("got %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	want := []bot.Message{{Platform: domain.PlatformWeCom, ID: "aibot:g1", UserID: "lisi", ChatID: "GROUP1", Text: "我本周拜访了几个客户", At: time.Unix(1700000000, 0)}}
	if diff := cmp.Diff(want, e.h.messages()); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	ans := e.decodeAIBotAnswer(rec)
	st, _ := ans["stream"].(map[string]any)
	if ans["msgtype"] != "stream" || st["finish"] != true || st["content"] != "本周你拜访了 3 个客户\n\n**排名** 第 2" || st["id"] == "" {
		t.Errorf("answer %v", ans)
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(e.api.requests("")); n != 0 {
		t.Errorf("requests %v", e.api.paths())
	}
}

// A report card goes passively; the texts beside it go to response_url.
func TestAIBotCardAndResponseURL(t *testing.T) {
	e := newEnv(t)
	card := &bot.Card{ID: "visit:8", Title: "✅ 已记录拜访", Buttons: []bot.Button{{Key: "confirm:8", Text: "确认", Style: "primary"}}}
	e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
		to := bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID, ChatID: m.ChatID}
		return []bot.Reply{{To: to, Text: bot.CardText(*card), Card: card}, {To: to, Text: "顺便提醒：明天回访星海科技"}}, nil
	}
	rec := e.postAIBot(`{"msgid":"s1","chattype":"single","from":{"userid":"lisi"},"response_url":"` + e.api.URL() + `/cgi-bin/aibot/response?response_code=R1","msgtype":"voice","voice":{"content":"今天拜访了华为张总"}}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("got %d", rec.Code)
	}
	if m := e.h.messages(); len(m) != 1 || !m[0].Voice || m[0].Text != "今天拜访了华为张总" || m[0].ChatID != "" {
		t.Errorf("messages %+v", m)
	}
	ans := e.decodeAIBotAnswer(rec)
	tc, _ := ans["template_card"].(map[string]any)
	if ans["msgtype"] != "template_card" || tc["card_type"] != "button_interaction" {
		t.Errorf("answer %v", ans)
	}
	r := e.api.wait(t, "/cgi-bin/aibot/response", 1)[0]
	if r.Body != `{"msgtype":"markdown","markdown":{"content":"顺便提醒：明天回访星海科技"}}` || r.Query.Get("response_code") != "R1" {
		t.Errorf("response_url request %+v", r)
	}
}

// A card click is answered within the request by updating the card; a text
// beside it goes through the app when there is no response_url.
func TestAIBotCardEvent(t *testing.T) {
	e := newEnv(t)
	final := bot.Card{ID: "visit:8", Title: "拜访记录：华为", Final: "已确认"}
	e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
		to := bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID, ChatID: m.ChatID}
		return []bot.Reply{{To: to, Update: &bot.Update{CardID: m.Action.CardID, Card: final}}, {To: to, Text: "好的"}}, nil
	}
	rec := e.postAIBot(`{"msgid":"e1","create_time":1700000001,"aibotid":"B","chatid":"G","chattype":"group","from":{"userid":"lisi"},"msgtype":"event","event":{"eventtype":"template_card_event","template_card_event":{"card_type":"button_interaction","event_key":"confirm:8","task_id":"visit_8@abcdefgh"}}}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("got %d", rec.Code)
	}
	m := e.h.messages()
	if len(m) != 1 || m[0].Action == nil || *m[0].Action != (bot.CardAction{Key: "confirm:8", CardID: "visit_8@abcdefgh"}) || m[0].ID != "aibot:e1" {
		t.Fatalf("messages %+v", m)
	}
	ans := e.decodeAIBotAnswer(rec)
	tc, _ := ans["template_card"].(map[string]any)
	users, _ := ans["userids"].([]any)
	if ans["response_type"] != "update_template_card" || len(users) != 1 || users[0] != "lisi" || tc["task_id"] != "visit_8@abcdefgh" || tc["replace_text"] != "已确认" {
		t.Errorf("answer %v", ans)
	}
	s := e.api.wait(t, "/cgi-bin/message/send", 1)[0]
	if s.Body != `{"touser":"lisi","msgtype":"markdown","agentid":1000002,"markdown":{"content":"好的"}}` {
		t.Errorf("app fallback %s", s.Body)
	}
}

// Stream refresh polls, enter_chat and pictures need no Handler.
func TestAIBotIgnored(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{
		`{"msgid":"r1","chattype":"single","from":{"userid":"lisi"},"msgtype":"stream","stream":{"id":"S1"}}`,
		`{"msgid":"r2","chattype":"single","from":{"userid":"lisi"},"msgtype":"event","event":{"eventtype":"enter_chat"}}`,
		`{"msgid":"r3","chattype":"single","from":{"userid":"lisi"},"msgtype":"image","image":{"url":"https://x"}}`,
		`{"msgid":"r4","chatid":"G","chattype":"group","from":{"userid":"lisi"},"msgtype":"text","text":{"content":"@销售助手"}}`,
	} {
		rec := e.postAIBot(p)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Errorf("%s: %d %q", p, rec.Code, rec.Body.String())
		}
	}
	if n := len(e.h.messages()); n != 0 {
		t.Errorf("handler called %d times", n)
	}
}
