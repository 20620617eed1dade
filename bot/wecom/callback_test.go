package wecom_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/silenceper/wechat/v2/util"

	"salesbot/bot"
	"salesbot/bot/wecom"
	"salesbot/domain"
)

// Every refused app callback: the right status, and no side effect (the
// Handler is not called, no API request, no state written).
func TestCallbackRefusals(t *testing.T) {
	e := newEnv(t)
	good := textXML(e.cfg.CorpID, "zhangsan", "1001", "今天拜访了华为张总", e.now.Unix())
	enc, q := seal(t, e.cfg.Token, e.cfg.AESKey, e.cfg.CorpID, good, e.now.Unix(), fixedNonce)
	body := appXML(e.cfg.CorpID, enc)
	sealed := func(plain, rid string, ts int64) (string, string) {
		enc, q := seal(t, e.cfg.Token, e.cfg.AESKey, rid, plain, ts, fixedNonce)
		return "/wecom/callback?" + q, appXML(e.cfg.CorpID, enc)
	}
	signedOver := func(encrypt string) string {
		ts := fmt.Sprint(e.now.Unix())
		return "/wecom/callback?" + url.Values{"msg_signature": {sig(e.cfg.Token, ts, fixedNonce, encrypt)}, "timestamp": {ts}, "nonce": {fixedNonce}}.Encode()
	}
	tamper := strings.Replace(q, "msg_signature=", "msg_signature=0", 1)
	staleTarget, staleBody := sealed(good, e.cfg.CorpID, e.now.Add(-10*time.Minute).Unix())
	futureTarget, futureBody := sealed(good, e.cfg.CorpID, e.now.Add(10*time.Minute).Unix())
	ridTarget, ridBody := sealed(good, "wwsomeoneelse", e.now.Unix())
	notXMLTarget, notXMLBody := sealed("hello, not xml", e.cfg.CorpID, e.now.Unix())
	huge := "<xml><Encrypt><![CDATA[" + strings.Repeat("A", 70<<10) + "]]></Encrypt></xml>"

	tests := []struct {
		name         string
		method       string
		target, body string
		chunked      bool
		want         int
	}{
		{"BadSignature", http.MethodPost, "/wecom/callback?" + tamper, body, false, http.StatusForbidden},
		{"MissingSignature", http.MethodPost, "/wecom/callback?timestamp=1700000000&nonce=n", body, false, http.StatusForbidden},
		{"TimestampNotANumber", http.MethodPost, "/wecom/callback?msg_signature=ab&timestamp=soon&nonce=n", body, false, http.StatusBadRequest},
		{"StaleTimestamp", http.MethodPost, staleTarget, staleBody, false, http.StatusForbidden},
		{"FutureTimestamp", http.MethodPost, futureTarget, futureBody, false, http.StatusForbidden},
		{"BodyNotXML", http.MethodPost, "/wecom/callback?" + q, `{"encrypt":"` + enc + `"}`, false, http.StatusBadRequest},
		{"EnvelopeWithoutEncrypt", http.MethodPost, "/wecom/callback?" + q, "<xml><ToUserName>x</ToUserName></xml>", false, http.StatusBadRequest},
		{"Oversized", http.MethodPost, "/wecom/callback?" + q, huge, false, http.StatusRequestEntityTooLarge},
		{"OversizedChunked", http.MethodPost, "/wecom/callback?" + q, huge, true, http.StatusRequestEntityTooLarge},
		{"CiphertextGarbage", http.MethodPost, signedOver("AAAA"), appXML(e.cfg.CorpID, "AAAA"), false, http.StatusBadRequest},
		{"OtherCorp", http.MethodPost, ridTarget, ridBody, false, http.StatusBadRequest},
		{"PlaintextNotXML", http.MethodPost, notXMLTarget, notXMLBody, false, http.StatusBadRequest},
		{"WrongMethod", http.MethodPut, "/wecom/callback?" + q, body, false, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.chunked {
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			e.w.CallbackHandler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("status %d, want %d (%s)", rec.Code, tt.want, rec.Body.String())
			}
		})
	}
	if n := len(e.h.messages()); n != 0 {
		t.Errorf("handler called %d times", n)
	}
	if reqs := e.api.requests(""); len(reqs) != 0 {
		t.Errorf("API requests: %v", e.api.paths())
	}
	if n := e.state.count(); n != 0 {
		t.Errorf("%d state writes", n)
	}

	// The same delivery, untampered, goes through.
	rec := e.serve(e.w.CallbackHandler(), http.MethodPost, "/wecom/callback?"+q, body)
	if rec.Code != http.StatusOK || len(e.h.messages()) != 1 {
		t.Fatalf("good delivery: %d, %d messages", rec.Code, len(e.h.messages()))
	}
}

func sig(token, ts, nonce, enc string) string { return util.Signature(token, ts, nonce, enc) }

// Every refused AI bot callback, likewise.
func TestAIBotRefusals(t *testing.T) {
	e := newEnv(t)
	plain := `{"msgid":"m1","aibotid":"B","chattype":"single","from":{"userid":"zhangsan"},"msgtype":"text","text":{"content":"今天拜访了华为"}}`
	enc, q := seal(t, e.cfg.AIBotToken, e.cfg.AIBotAESKey, "", plain, e.now.Unix(), fixedNonce)
	sealed := func(plain, rid string, ts int64) (string, string) {
		enc, q := seal(t, e.cfg.AIBotToken, e.cfg.AIBotAESKey, rid, plain, ts, fixedNonce)
		return "/wecom/aibot/callback?" + q, `{"encrypt":"` + enc + `"}`
	}
	staleTarget, staleBody := sealed(plain, "", e.now.Add(-time.Hour).Unix())
	ridTarget, ridBody := sealed(plain, "wwsomeoneelse", e.now.Unix())
	notJSONTarget, notJSONBody := sealed("<xml/>", "", e.now.Unix())
	tests := []struct {
		name         string
		target, body string
		want         int
	}{
		{"BadSignature", "/wecom/aibot/callback?" + strings.Replace(q, "msg_signature=", "msg_signature=f", 1), `{"encrypt":"` + enc + `"}`, http.StatusForbidden},
		{"SignedWithAppTokenButOtherKeyword", "/wecom/aibot/callback?msg_signature=00&timestamp=1700000000&nonce=n", `{"encrypt":"` + enc + `"}`, http.StatusForbidden},
		{"StaleTimestamp", staleTarget, staleBody, http.StatusForbidden},
		{"BodyNotJSON", "/wecom/aibot/callback?" + q, appXML(e.cfg.CorpID, enc), http.StatusBadRequest},
		{"Oversized", "/wecom/aibot/callback?" + q, `{"encrypt":"` + strings.Repeat("A", 70<<10) + `"}`, http.StatusRequestEntityTooLarge},
		{"OtherReceiveID", ridTarget, ridBody, http.StatusForbidden},
		{"PlaintextNotJSON", notJSONTarget, notJSONBody, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.serve(e.w.AIBotHandler(), http.MethodPost, tt.target, tt.body)
			if rec.Code != tt.want {
				t.Errorf("status %d, want %d (%s)", rec.Code, tt.want, rec.Body.String())
			}
		})
	}
	if n := len(e.h.messages()); n != 0 {
		t.Errorf("handler called %d times", n)
	}
	if reqs := e.api.requests(""); len(reqs) != 0 {
		t.Errorf("API requests: %v", e.api.paths())
	}
	if n := e.state.count(); n != 0 {
		t.Errorf("%d state writes", n)
	}
}

// The AI bot's GET handshake decrypts an echostr with an empty receive id.
func TestAIBotVerifyURL(t *testing.T) {
	e := newEnv(t)
	enc, q := seal(t, e.cfg.AIBotToken, e.cfg.AIBotAESKey, "", "8431904281949", e.now.Unix(), fixedNonce)
	rec := e.serve(e.w.AIBotHandler(), http.MethodGet, "/wecom/aibot/callback?"+q+"&echostr="+url.QueryEscape(enc), "")
	if rec.Code != http.StatusOK || rec.Body.String() != "8431904281949" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

// A text message is stored by the Handler, acknowledged with an empty 200,
// and answered through message/send: the exact requests.
func TestTextReplyRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
		return []bot.Reply{{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID}, Text: "今日拜访已记录：华为，张总 <报价> & 跟进"}}, nil
	}
	rec := e.postApp(textXML(e.cfg.CorpID, "zhangsan", "2001", "今天拜访了华为张总", e.now.Unix()))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	sends := e.api.wait(t, "/cgi-bin/message/send", 1)
	toks := e.api.requests("/cgi-bin/gettoken")
	if len(toks) != 1 || toks[0].Method != http.MethodGet || toks[0].Query.Get("corpid") != e.cfg.CorpID || toks[0].Query.Get("corpsecret") != testSecret {
		t.Errorf("gettoken requests: %+v", toks)
	}
	s := sends[0]
	if s.Method != http.MethodPost || s.Query.Get("access_token") != "TOKEN1" || len(s.Query) != 1 || s.Header.Get("Content-Type") != "application/json" {
		t.Errorf("send: %s %v %q", s.Method, s.Query, s.Header.Get("Content-Type"))
	}
	want := `{"touser":"zhangsan","msgtype":"text","agentid":1000002,"text":{"content":"今日拜访已记录：华为，张总 <报价> & 跟进"}}`
	if s.Body != want {
		t.Errorf("body\n got %s\nwant %s", s.Body, want)
	}

	// The token is cached: a second message fetches none.
	e.postApp(textXML(e.cfg.CorpID, "zhangsan", "2002", "明天去星海科技", e.now.Unix()))
	e.api.wait(t, "/cgi-bin/message/send", 2)
	if n := len(e.api.requests("/cgi-bin/gettoken")); n != 1 {
		t.Errorf("gettoken called %d times", n)
	}
	got := e.h.messages()
	if len(got) != 2 || got[0].ID != "2001" || got[0].UserID != "zhangsan" || got[0].Text != "今天拜访了华为张总" || got[0].ChatID != "" {
		t.Errorf("messages %+v", got)
	}
}

// A report's card goes out as a button_interaction template card; its click
// reaches the Handler as a CardAction and the card is updated to its final
// state with the click's response code.
func TestCardAndClickRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.api.Answers["/cgi-bin/message/send"] = []string{`{"errcode":0,"errmsg":"ok","msgid":"M1","response_code":"RC-send"}`}
	card := &bot.Card{
		ID: "visit:42", Title: "✅ 已记录拜访",
		Fields: []bot.Field{{Label: "客户", Value: "华为"}, {Label: "联系人", Value: "张总"}, {Label: "方式", Value: ""}, {Label: "阶段", Value: "报价"}},
		Note:   "（根据语音识别记录，请核对）",
		Buttons: []bot.Button{
			{Key: "confirm:42", Text: "确认", Style: "primary"}, {Key: "correct:42", Text: "修改"}, {Key: "undo:42", Text: "撤销", Style: "danger"},
		},
	}
	final := bot.Card{ID: "visit:42", Title: "拜访记录：华为 2023-11-14", Final: "已撤销"}
	e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
		to := bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID}
		if m.Action != nil {
			return []bot.Reply{{To: to, Text: bot.CardText(final), Update: &bot.Update{CardID: m.Action.CardID, Card: final}}}, nil
		}
		return []bot.Reply{{To: to, Text: bot.CardText(*card), Card: card}}, nil
	}
	e.postApp(textXML(e.cfg.CorpID, "zhangsan", "3001", "今天拜访了华为张总，已报价", e.now.Unix()))
	s := e.api.wait(t, "/cgi-bin/message/send", 1)[0]
	taskID := between(s.Body, `"task_id":"`, `"`)
	if !strings.HasPrefix(taskID, "visit_42@") || len(taskID) != len("visit_42@")+8 {
		t.Fatalf("task_id %q", taskID)
	}
	want := `{"touser":"zhangsan","msgtype":"template_card","agentid":1000002,"template_card":{"card_type":"button_interaction","task_id":"` + taskID + `","main_title":{"title":"✅ 已记录拜访"},"sub_title_text":"（根据语音识别记录，请核对）","horizontal_content_list":[{"keyname":"客户","value":"华为"},{"keyname":"联系人","value":"张总"},{"keyname":"阶段","value":"报价"}],"button_list":[{"text":"确认","style":1,"key":"confirm:42"},{"text":"修改","style":2,"key":"correct:42"},{"text":"撤销","style":3,"key":"undo:42"}]}}`
	if s.Body != want {
		t.Errorf("card body\n got %s\nwant %s", s.Body, want)
	}

	rec := e.postApp(cardEventXML(e.cfg.CorpID, "zhangsan", "undo:42", taskID, "RC-click", e.now.Unix()+5))
	if rec.Code != http.StatusOK {
		t.Fatalf("click: %d", rec.Code)
	}
	msgs := e.h.messages()
	wantAction := &bot.CardAction{Key: "undo:42", CardID: taskID}
	if diff := cmp.Diff(wantAction, msgs[1].Action); diff != "" {
		t.Errorf("action (-want +got):\n%s", diff)
	}
	if msgs[1].ID != fmt.Sprintf("event:zhangsan:%d:template_card_event:%s:undo:42", e.now.Unix()+5, taskID) {
		t.Errorf("event id %q", msgs[1].ID)
	}
	up := e.api.wait(t, "/cgi-bin/message/update_template_card", 1)[0]
	wantUp := `{"userids":["zhangsan"],"agentid":1000002,"response_code":"RC-click","template_card":{"card_type":"button_interaction","task_id":"` + taskID + `","main_title":{"title":"拜访记录：华为 2023-11-14"},"button_list":[{"text":"已撤销","style":2,"key":"final"}],"replace_text":"已撤销"}}`
	if up.Body != wantUp {
		t.Errorf("update body\n got %s\nwant %s", up.Body, wantUp)
	}

	// The code is single-use: a second update of the same card goes out as
	// a new message.
	if err := e.w.Send(context.Background(), bot.Reply{To: bot.Destination{UserID: "zhangsan"}, Update: &bot.Update{CardID: taskID, Card: final}}); err != nil {
		t.Fatal(err)
	}
	again := e.api.wait(t, "/cgi-bin/message/send", 2)[1]
	if again.Body != `{"touser":"zhangsan","msgtype":"markdown","agentid":1000002,"markdown":{"content":"**拜访记录：华为 2023-11-14**\n**【已撤销】**"}}` {
		t.Errorf("fallback body %s", again.Body)
	}
	if n := len(e.api.requests("/cgi-bin/message/update_template_card")); n != 1 {
		t.Errorf("%d updates", n)
	}
}

// An update that WeCom refuses (expired code) is sent as a new message.
func TestCardUpdateRefusedFallsBack(t *testing.T) {
	e := newEnv(t)
	e.api.Answers["/cgi-bin/message/send"] = []string{`{"errcode":0,"errmsg":"ok","response_code":"RC-old"}`, `{"errcode":0,"errmsg":"ok"}`}
	e.api.Answers["/cgi-bin/message/update_template_card"] = []string{`{"errcode":40098,"errmsg":"invalid response_code"}`}
	card := &bot.Card{ID: "visit:9", Title: "✅ 已记录拜访", Buttons: []bot.Button{{Key: "confirm:9", Text: "确认"}}}
	ctx := context.Background()
	if err := e.w.Send(ctx, bot.Reply{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: "lisi"}, Card: card}); err != nil {
		t.Fatal(err)
	}
	taskID := between(e.api.requests("/cgi-bin/message/send")[0].Body, `"task_id":"`, `"`)
	final := bot.Card{ID: "visit:9", Title: "拜访记录", Final: "已确认"}
	if err := e.w.Send(ctx, bot.Reply{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: "lisi"}, Update: &bot.Update{CardID: taskID, Card: final}}); err != nil {
		t.Fatal(err)
	}
	up := e.api.requests("/cgi-bin/message/update_template_card")
	if len(up) != 1 || !strings.Contains(up[0].Body, `"response_code":"RC-old"`) {
		t.Fatalf("updates %+v", up)
	}
	sends := e.api.requests("/cgi-bin/message/send")
	if len(sends) != 2 || !strings.Contains(sends[1].Body, `"msgtype":"markdown"`) || !strings.Contains(sends[1].Body, "【已确认】") {
		t.Errorf("fallback %+v", sends)
	}
}

// A live card that cannot be updated in place (no response code: the rep
// corrected by typing, not by a click) goes out anew and says the old one
// is void.
func TestLiveCardUpdateWithoutCodeSaysOldIsVoid(t *testing.T) {
	e := newEnv(t)
	card := bot.Card{ID: "visit:9", Title: "✅ 已记录拜访", Fields: []bot.Field{{Label: "金额", Value: "80万"}},
		Buttons: []bot.Button{{Key: "confirm:9:2", Text: "确认"}}}
	if err := e.w.Send(context.Background(), bot.Reply{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: "lisi"}, Update: &bot.Update{CardID: "no-such-task", Card: card}}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.api.requests("/cgi-bin/message/update_template_card")); n != 0 {
		t.Errorf("%d updates without a response code", n)
	}
	sends := e.api.requests("/cgi-bin/message/send")
	if len(sends) != 1 || !strings.Contains(sends[0].Body, "confirm:9:2") || !strings.Contains(sends[0].Body, bot.VoidNote) {
		t.Errorf("sent %+v", sends)
	}
}

// A WeCom token that expires (42001) or is invalidated (40014) mid-send is
// dropped from the shared cache, fetched anew and the call retried once.
func TestTokenExpiryMidSend(t *testing.T) {
	for _, code := range []int{42001, 40014} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			e := newEnv(t)
			e.api.Tokens = []string{"TOKEN1", "TOKEN2"}
			e.api.Answers["/cgi-bin/message/send"] = []string{fmt.Sprintf(`{"errcode":%d,"errmsg":"access_token expired"}`, code), `{"errcode":0,"errmsg":"ok"}`}
			err := e.w.Send(context.Background(), bot.Reply{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: "zhangsan"}, Text: "提醒：明天回访星海科技"})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(e.api.requests("/cgi-bin/gettoken")); n != 2 {
				t.Errorf("gettoken called %d times, want 2", n)
			}
			sends := e.api.requests("/cgi-bin/message/send")
			if len(sends) != 2 || sends[0].Query.Get("access_token") != "TOKEN1" || sends[1].Query.Get("access_token") != "TOKEN2" || sends[0].Body != sends[1].Body {
				t.Errorf("sends %+v", sends)
			}
			// The fresh token is what the other replicas now read.
			if v, ok, _ := e.state.GetState(context.Background(), "wecom:gowechat_work__access_token_"+e.cfg.CorpID+"_1000002"); !ok || string(v) != "TOKEN2" {
				t.Errorf("cached token %q %v", v, ok)
			}
		})
	}
	t.Run("RefusedTwice", func(t *testing.T) {
		e := newEnv(t)
		e.api.Tokens = []string{"TOKEN1", "TOKEN2"}
		e.api.Answers["/cgi-bin/message/send"] = []string{`{"errcode":42001,"errmsg":"expired"}`}
		err := e.w.Send(context.Background(), bot.Reply{To: bot.Destination{UserID: "zhangsan"}, Text: "x"})
		var ae *wecom.APIError
		if !errors.As(err, &ae) || ae.Code != 42001 {
			t.Fatalf("err = %v", err)
		}
		if n := len(e.api.requests("/cgi-bin/message/send")); n != 2 {
			t.Errorf("%d sends, want 2 (one retry)", n)
		}
	})
}

// Two replicas share one token through the state store.
func TestTokenSharedByReplicas(t *testing.T) {
	e := newEnv(t)
	other, err := wecom.New(e.cfg, e.h, wecom.Deps{State: e.state}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, w := range []*wecom.WeCom{e.w, other} {
		if err := w.Send(ctx, bot.Reply{To: bot.Destination{UserID: "zhangsan"}, Text: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(e.api.requests("/cgi-bin/gettoken")); n != 1 {
		t.Errorf("gettoken called %d times by two replicas", n)
	}
}

// gettoken failures are reported without the secret.
func TestTokenErrorHidesSecret(t *testing.T) {
	e := newEnv(t)
	e.api.Tokens = nil // the fake then fails gettoken
	err := e.w.Send(context.Background(), bot.Reply{To: bot.Destination{UserID: "zhangsan"}, Text: "hi"})
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("error shows the secret: %v", err)
	}
}

// Replies into an app group chat go through appchat/send; cards become
// markdown there.
func TestAppChat(t *testing.T) {
	e := newEnv(t)
	card := &bot.Card{Title: "今日排行", Fields: []bot.Field{{Label: "第一", Value: "张三 5 次"}}, Buttons: []bot.Button{{Key: "k", Text: "看看"}}}
	ctx := context.Background()
	to := bot.Destination{Platform: domain.PlatformWeCom, ChatID: "eastsales01"}
	if err := e.w.Send(ctx, bot.Reply{To: to, Text: `**本周拜访** <font color="info">12</font>`, Markdown: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.w.Send(ctx, bot.Reply{To: to, Text: bot.CardText(*card), Card: card}); err != nil {
		t.Fatal(err)
	}
	got := e.api.requests("/cgi-bin/appchat/send")
	want := []string{
		`{"chatid":"eastsales01","msgtype":"markdown","markdown":{"content":"**本周拜访** <font color=\"info\">12</font>"}}`,
		`{"chatid":"eastsales01","msgtype":"markdown","markdown":{"content":"**今日排行**\n> 第一：张三 5 次"}}`,
	}
	if len(got) != 2 || got[0].Body != want[0] || got[1].Body != want[1] || got[0].Query.Get("access_token") != "TOKEN1" {
		t.Errorf("appchat requests %+v", got)
	}
}

// A chart is uploaded as temporary media and sent as an image.
func TestImage(t *testing.T) {
	e := newEnv(t)
	e.api.Answers["/cgi-bin/media/upload"] = []string{`{"errcode":0,"errmsg":"","type":"image","media_id":"MEDIA1","created_at":"1700000000"}`}
	png := []byte("\x89PNG fake")
	if err := e.w.Send(context.Background(), bot.Reply{To: bot.Destination{UserID: "zhangsan"}, Image: &bot.Image{PNG: png, Alt: "排行图"}}); err != nil {
		t.Fatal(err)
	}
	up := e.api.requests("/cgi-bin/media/upload")
	if len(up) != 1 || up[0].Query.Get("type") != "image" || up[0].Query.Get("access_token") != "TOKEN1" ||
		!strings.HasPrefix(up[0].Header.Get("Content-Type"), "multipart/form-data") ||
		!strings.Contains(up[0].Body, `name="media"; filename="chart.png"`) || !strings.Contains(up[0].Body, string(png)) {
		t.Errorf("upload %+v", up)
	}
	s := e.api.requests("/cgi-bin/message/send")
	if len(s) != 1 || s[0].Body != `{"touser":"zhangsan","msgtype":"image","agentid":1000002,"image":{"media_id":"MEDIA1"}}` {
		t.Errorf("send %+v", s)
	}
}

// Long texts are split under WeCom's 2048-byte limit, at most three
// messages, the rest cut with a pointer.
func TestLongTextSplit(t *testing.T) {
	e := newEnv(t)
	line := strings.Repeat("拜访记录", 10) + "\n" // 121 bytes
	text := strings.Repeat(line, 80)          // 9680 bytes
	if err := e.w.Send(context.Background(), bot.Reply{To: bot.Destination{UserID: "zhangsan"}, Text: text}); err != nil {
		t.Fatal(err)
	}
	sends := e.api.requests("/cgi-bin/message/send")
	if len(sends) != 3 {
		t.Fatalf("%d messages, want 3", len(sends))
	}
	for i, s := range sends {
		c := between(s.Body, `"content":"`, `"}}`)
		c = strings.ReplaceAll(c, `\n`, "\n")
		if len(c) > 2048 {
			t.Errorf("message %d has %d bytes", i, len(c))
		}
		if i < 2 && !strings.HasSuffix(c, "（未完，见下一条）") {
			t.Errorf("message %d does not point to the next: %q", i, c[len(c)-40:])
		}
		if i == 2 && !strings.HasSuffix(c, "……（内容过长，其余已省略）") {
			t.Errorf("last message does not say it was cut: %q", c[len(c)-40:])
		}
	}
}

// A delivery the Handler fails on (error, busy elsewhere, deadline) is not
// acknowledged and nothing is sent.
func TestUnhandledNotAcknowledged(t *testing.T) {
	for _, tt := range []struct {
		name string
		fn   func(ctx context.Context, m bot.Message) ([]bot.Reply, error)
	}{
		{"Error", func(context.Context, bot.Message) ([]bot.Reply, error) { return nil, errors.New("database down") }},
		{"Busy", func(context.Context, bot.Message) ([]bot.Reply, error) { return nil, bot.ErrBusy }},
		{"Deadline", func(ctx context.Context, _ bot.Message) ([]bot.Reply, error) { <-ctx.Done(); return nil, ctx.Err() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvHandler(t, bot.HandlerFunc(tt.fn), func(c *wecom.Config, _ *wecom.Deps) {
				c.HandleTimeout = 100 * time.Millisecond
				c.FailHold = 200 * time.Millisecond
			})
			start := time.Now()
			rec := e.postApp(textXML(e.cfg.CorpID, "zhangsan", "4001", "今天拜访了华为", e.now.Unix()))
			if rec.Code == http.StatusOK {
				t.Fatalf("acknowledged: %d", rec.Code)
			}
			if rec.Code != http.StatusServiceUnavailable {
				t.Errorf("status %d", rec.Code)
			}
			if d := time.Since(start); d < 200*time.Millisecond {
				t.Errorf("answered after %v; the answer is held until FailHold", d)
			}
			rec = e.postAIBot(`{"msgid":"m4001","chattype":"single","from":{"userid":"zhangsan"},"msgtype":"text","text":{"content":"今天拜访了华为"}}`)
			if rec.Code != http.StatusServiceUnavailable {
				t.Errorf("AI bot status %d", rec.Code)
			}
			time.Sleep(20 * time.Millisecond)
			if reqs := e.api.requests(""); len(reqs) != 0 {
				t.Errorf("API requests: %v", e.api.paths())
			}
		})
	}
}

// Events the bot does not act on are acknowledged without the Handler;
// voice messages pass WeCom's recognition as text.
func TestAppMessageKinds(t *testing.T) {
	e := newEnv(t)
	corp := e.cfg.CorpID
	enter := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>", corp)
	image := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://x]]></PicUrl><MediaId><![CDATA[M]]></MediaId><MsgId>5001</MsgId><AgentID>1000002</AgentID></xml>", corp)
	voice := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[M]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[今天拜访了华为张总]]></Recognition><MsgId>5002</MsgId><AgentID>1000002</AgentID></xml>", corp)
	for _, p := range []string{enter, image, voice} {
		if rec := e.postApp(p); rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
	}
	want := []bot.Message{{Platform: domain.PlatformWeCom, ID: "5002", UserID: "zhangsan", Text: "今天拜访了华为张总", Voice: true, At: time.Unix(1700000000, 0)}}
	if diff := cmp.Diff(want, e.h.messages()); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

// Config checks and masking.
func TestConfig(t *testing.T) {
	h := &recorder{}
	for _, tt := range []struct {
		name string
		cfg  wecom.Config
	}{
		{"AppWithoutSecret", wecom.Config{CorpID: "ww1", AgentID: 1, Token: "t", AESKey: vecAESKey}},
		{"AppWithoutAgent", wecom.Config{CorpID: "ww1", Secret: "s", Token: "t", AESKey: vecAESKey}},
		{"ShortAESKey", wecom.Config{CorpID: "ww1", AgentID: 1, Secret: "s", Token: "t", AESKey: "abc"}},
		{"AIBotHalf", wecom.Config{AIBotToken: "t"}},
		{"BadBase", wecom.Config{AIBotToken: "t", AIBotAESKey: vecAESKey, APIBase: "qyapi"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := wecom.New(tt.cfg, h, wecom.Deps{}, nil); err == nil {
				t.Error("no error")
			}
		})
	}
	if _, err := wecom.New(wecom.Config{AIBotToken: "t", AIBotAESKey: vecAESKey}, h, wecom.Deps{}, nil); err != nil {
		t.Errorf("AI bot alone: %v", err)
	}
	// Neither app nor AI bot: group robot pushes only.
	if _, err := wecom.New(wecom.Config{}, h, wecom.Deps{}, nil); err != nil {
		t.Errorf("robots only: %v", err)
	}
	var b strings.Builder
	log := newTextLogger(&b)
	log.Info("config", "wecom", wecom.Config{CorpID: "ww1", Secret: testSecret, Token: "tok-secret", AESKey: vecAESKey, AIBotAESKey: vecAESKey})
	if s := b.String(); strings.Contains(s, testSecret) || strings.Contains(s, "tok-secret") || strings.Contains(s, vecAESKey) || !strings.Contains(s, "ww1") {
		t.Errorf("logged config: %s", s)
	}
}

// between returns the text of s between the first from and the next to.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

// Characters XML 1.0 forbids are dropped from the decrypted message instead
// of refusing it; every other byte of the text is kept.
func TestForbiddenXMLCharsDropped(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"ControlChar", "今天拜访\x01华为张总", "今天拜访华为张总"},
		{"ManyControls", "\x00\x08华为\x0b\x0c\x1f张总\x7f", "华为张总\x7f"},
		{"TabAndNewlineKept", "华为\t张总\n报价", "华为\t张总\n报价"}, // XML itself reads \r\n as \n
		{"NonCharacters", "华为\uFFFE张总\uFFFF", "华为张总"},
		{"LoneSurrogate", "华为\xed\xa0\x80张总\xed\xbf\xbf", "华为张总"},
		{"EmojiAndSupplementaryKept", "签了🎉𠮷野家", "签了🎉𠮷野家"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := fmt.Sprint(3000 + i)
			rec := e.postApp(textXML(e.cfg.CorpID, "zhangsan", id, tt.text, e.now.Unix()))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d %q", rec.Code, rec.Body.String())
			}
			got := e.h.messages()
			if len(got) != 1 || got[0].ID != id || got[0].Text != tt.want {
				t.Errorf("messages %+v, want text %q", got, tt.want)
			}
		})
	}
}
