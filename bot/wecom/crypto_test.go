package wecom_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/silenceper/wechat/v2/util"

	"salesbot/bot"
	"salesbot/bot/wecom"
	"salesbot/domain"
)

// decryptEmptyRID is an independent decrypt for the tests (platforms.md
// §1.5) that insists on an empty receive id.
func decryptEmptyRID(t testing.TB, aesKey, b64 string) []byte {
	t.Helper()
	key, _ := base64.StdEncoding.DecodeString(aesKey + "=")
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw)%32 != 0 {
		t.Fatalf("ciphertext: %v (len %d)", err, len(raw))
	}
	blk, _ := aes.NewCipher(key)
	pt := make([]byte, len(raw))
	cipher.NewCBCDecrypter(blk, key[:16]).CryptBlocks(pt, raw)
	pt = pt[:len(pt)-int(pt[len(pt)-1])]
	n := int(binary.BigEndian.Uint32(pt[16:20]))
	if rid := string(pt[20+n:]); rid != "" {
		t.Fatalf("receive id %q, want empty", rid)
	}
	return pt[20 : 20+n]
}

// newVector builds an adapter on the official test configuration with the
// clock at now.
func newVector(t *testing.T, h bot.Handler, now int64, apiBase string) *wecom.WeCom {
	t.Helper()
	cfg := wecom.Config{
		CorpID: vecCorpID, AgentID: testAgent, Secret: testSecret, Token: vecToken, AESKey: vecAESKey,
		AIBotToken: vecToken, AIBotAESKey: vecAESKey, APIBase: apiBase, FailHold: 50 * time.Millisecond,
	}
	w, err := wecom.New(cfg, h, wecom.Deps{Now: func() time.Time { return time.Unix(now, 0) }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(context.Background()) })
	return w
}

// W1: the official GET verification vector.
func TestOfficialVectorVerifyURL(t *testing.T) {
	h := &recorder{}
	w := newVector(t, h, 1409659589, "")
	req := httptest.NewRequest(http.MethodGet, "/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D", nil)
	rec := httptest.NewRecorder()
	w.CallbackHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.String() != "1616140317555161061" {
		t.Fatalf("got %d %q, want 200 %q", rec.Code, rec.Body.String(), "1616140317555161061")
	}
	if n := len(h.messages()); n != 0 {
		t.Errorf("handler called %d times on a handshake", n)
	}

	t.Run("PlusTurnedIntoSpace", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ%3D%3D", nil)
		rec := httptest.NewRecorder()
		w.CallbackHandler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.String() != "1616140317555161061" {
			t.Fatalf("got %d %q", rec.Code, rec.Body.String())
		}
	})
	t.Run("BadSignature", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D", nil)
		rec := httptest.NewRecorder()
		w.CallbackHandler().ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "1616140317555161061") {
			t.Fatalf("got %d %q, want 403", rec.Code, rec.Body.String())
		}
	})
}

const w2Body = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`

// W2: the official POST vector verifies, decrypts and reaches the Handler.
func TestOfficialVectorMessage(t *testing.T) {
	h := &recorder{}
	w := newVector(t, h, 1409659813, "")
	req := httptest.NewRequest(http.MethodPost, "/wecom/callback?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149", strings.NewReader(w2Body))
	rec := httptest.NewRecorder()
	w.CallbackHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("got %d %q, want 200 and an empty body", rec.Code, rec.Body.String())
	}
	want := []bot.Message{{Platform: domain.PlatformWeCom, ID: "4561255354251345929", UserID: "mycreate", Text: "hello", At: time.Unix(1409659813, 0)}}
	if diff := cmp.Diff(want, h.messages()); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}

	t.Run("StaleAnHourLater", func(t *testing.T) {
		h := &recorder{}
		w := newVector(t, h, 1409659813+3600, "")
		req := httptest.NewRequest(http.MethodPost, "/wecom/callback?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149", strings.NewReader(w2Body))
		rec := httptest.NewRecorder()
		w.CallbackHandler().ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || len(h.messages()) != 0 {
			t.Fatalf("got %d with %d messages, want 403 and none", rec.Code, len(h.messages()))
		}
	})
}

// W5: the computed template_card_event fixture; its click updates the card
// through update_template_card with the click's response code.
func TestCardEventVector(t *testing.T) {
	const (
		w5Plain = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[stage_won]]></EventKey><TaskId><![CDATA[visit-42]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[RC123]]></ResponseCode><AgentID>1000002</AgentID></xml>`
		w5Enc   = `sKqRbbiSUnDhFHOvPjtUMeiZH5K91XhqRvFpjIly9OXeWZhYOEvmFLinynjKUhZKSPqUimSFV5XnyNudkNET79koNZX0zo7IZ5omOkmVaJAJEWUile89VfTcO/nYQydOS57K2NirVgiecLzf8OJy5k3eLwyiW8tDF5uk5Wh5jPqzpHGpKqnQBIXzmcz2adij3CO5g1u7jUXdrfzohheujyY8Zmu5t2lxfiL5cMUdL/4npruYmuVIiw2pIEu8ug0wM8dAlNNO4UXiMxMKt0U0w48+/M3Lmamv1k4P0CcbRMlUAQbnVq7gzddAP7ojp882IanKcH36sgYTTRcBfAgv0vVfZFikBrEPvGdo6uT+eyHD/jcUAG38Yd4cxfxa4Hcb/bGx7u/9ItUu2VMav2ro866Ue2bjmxKiHoZKCMFwzkJQxdAsFgYqYxygXVCQGrb9rciJ+DEwi/u4nEQKLUYIjROsaReqRQ50lUEVl8gIbqlzHmfW95FFKJKk10/ekQFdPZuVOtrhjLSzk/nFH3bMYeCcO0JGBca+IHSi8dZM3+YnBzo+wGa7/5AlCbqOBqkwsS0LMH1amtw0EwF8f5WaOAUS1owShJ3YjXx4EFCzH6zrR6/WoPHNKdpo53N+/hY+`
		w5Sig   = "d327b19da256ef0c0b231472869f078316ea2aae"
	)
	enc, q := seal(t, vecToken, vecAESKey, vecCorpID, w5Plain, 1700000000, fixedNonce)
	if enc != w5Enc || !strings.Contains(q, "msg_signature="+w5Sig) {
		t.Fatalf("the test sealer does not reproduce W5:\n%s\n%s", enc, q)
	}
	api := newFakeAPI(t, vecCorpID)
	final := bot.Card{ID: "visit:42", Title: "拜访记录：华为 2023-11-14", Final: "已确认"}
	h := &recorder{reply: func(m bot.Message) ([]bot.Reply, error) {
		to := bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID}
		return []bot.Reply{{To: to, Text: bot.CardText(final), Update: &bot.Update{CardID: m.Action.CardID, Card: final}}}, nil
	}}
	w := newVector(t, h, 1700000000, api.URL())
	req := httptest.NewRequest(http.MethodPost, "/wecom/callback?"+q, strings.NewReader(appXML(vecCorpID, w5Enc)))
	rec := httptest.NewRecorder()
	w.CallbackHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	want := []bot.Message{{
		Platform: domain.PlatformWeCom, ID: "event:zhangsan:1700000000:template_card_event:visit-42:stage_won",
		UserID: "zhangsan", At: time.Unix(1700000000, 0), Action: &bot.CardAction{Key: "stage_won", CardID: "visit-42"},
	}}
	if diff := cmp.Diff(want, h.messages()); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	up := api.wait(t, "/cgi-bin/message/update_template_card", 1)[0]
	if up.Query.Get("access_token") != "TOKEN1" || up.Header.Get("Content-Type") != "application/json" {
		t.Errorf("query %v, content type %q", up.Query, up.Header.Get("Content-Type"))
	}
	wantBody := `{"userids":["zhangsan"],"agentid":1000002,"response_code":"RC123","template_card":{"card_type":"button_interaction","task_id":"visit-42","main_title":{"title":"拜访记录：华为 2023-11-14"},"button_list":[{"text":"已确认","style":2,"key":"final"}],"replace_text":"已确认"}}`
	if up.Body != wantBody {
		t.Errorf("update body\n got %s\nwant %s", up.Body, wantBody)
	}
}

// W6: the AI bot fixture (receive id ""): the SDK's decrypt refuses it, the
// adapter decrypts it, strips the @-mention and answers with a card.
func TestAIBotVector(t *testing.T) {
	const (
		w6Enc = `sKqRbbiSUnDhFHOvPjtUMUS3yG9+2RThtt/MkExnIqi1gDTbfYNw28RfzjrtyO/yPfJmO6Jm31/KdhbNdO3UocoKaZtjMz530i7hWhGZiTGqCP+GalfMAz1c8ldfQyrw7LuGhpBxJeg5j8N3tj7dze4Q78QshvWBAddRWAbDRTOe6hlV9X9RbriYLvLzHvmnA95CMfL6c21JnZcFiwlRtS2jB/T42y4t525UNk2GV8Y0q+l+oU+h/ybd9Qyw9/wnJdvHlnJGUjePKEJyi1hu5jPhVGF04rcIl075pr5irPsaphwFyMsDX46Wrdn09oeQTEnsGDQ//zEHntt+OBLEyg==`
		w6Sig = "110421d62e3b3f710ea49302e83cad908943aa88"
	)
	if _, _, err := util.DecryptMsg("", w6Enc, vecAESKey); err == nil {
		t.Error("the SDK now decrypts an empty receive id; the own decrypt may be dropped")
	}
	h := &recorder{reply: func(m bot.Message) ([]bot.Reply, error) {
		card := &bot.Card{ID: "visit:7", Title: "✅ 已记录拜访", Fields: []bot.Field{{Label: "客户", Value: "华为"}},
			Buttons: []bot.Button{{Key: "confirm:7", Text: "确认", Style: "primary"}}}
		return []bot.Reply{{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID, ChatID: m.ChatID}, Text: bot.CardText(*card), Card: card}}, nil
	}}
	w := newVector(t, h, 1700000000, "")
	req := httptest.NewRequest(http.MethodPost, "/wecom/aibot/callback?msg_signature="+w6Sig+"&timestamp=1700000000&nonce=nonce123", strings.NewReader(`{"encrypt":"`+w6Enc+`"}`))
	rec := httptest.NewRecorder()
	w.AIBotHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	want := []bot.Message{{Platform: domain.PlatformWeCom, ID: "aibot:CAIQ16HMjQYY", UserID: "zhangsan", ChatID: "CHATID", Text: "今天拜访了华为张总", At: time.Unix(1700000000, 0)}}
	if diff := cmp.Diff(want, h.messages()); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	e := &env{t: t, cfg: wecom.Config{AIBotToken: vecToken, AIBotAESKey: vecAESKey}, now: time.Unix(1700000000, 0)}
	ans := e.decodeAIBotAnswer(rec)
	tc, _ := ans["template_card"].(map[string]any)
	if ans["msgtype"] != "template_card" || tc["card_type"] != "button_interaction" || !strings.HasPrefix(tc["task_id"].(string), "visit_7@") {
		t.Errorf("passive answer %v", ans)
	}
}

// W8: the signature sorts its inputs.
func TestSignatureSorts(t *testing.T) {
	if got := util.Signature("c", "a", "b"); got != "a9993e364706816aba3e25717850c26c9cd0d89d" {
		t.Errorf("Signature(c,a,b) = %s", got)
	}
}
