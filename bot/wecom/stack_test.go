package wecom_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"salesbot/bot/bottest"
	"salesbot/bot/wecom"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/kv"
)

// What main passes in satisfies the small interfaces.
var (
	_ wecom.StateStore  = (*kv.KV)(nil)
	_ wecom.RateLimiter = (*kv.KV)(nil)
	_ wecom.Members     = (*domain.Service)(nil)
)

// stackEnv is the adapter on the real stack: Router, domain service, SQLite
// store and the in-process kv (bottest), with a fake WeCom API.
func stackEnv(t *testing.T, opts ...bottest.Options) (*bottest.Stack, *env) {
	t.Helper()
	s := bottest.New(t, opts...)
	e := newEnvHandler(t, s.Router, func(_ *wecom.Config, d *wecom.Deps) {
		d.State, d.Limiter, d.Members, d.Now = s.KV, s.KV, s.Svc, s.Clock.Now
	})
	e.now = s.Clock.Now()
	return s, e
}

// The same callback delivered three times at once, as WeCom's retries can
// be, stores one visit and answers once, on each database.
func TestRedeliveredConcurrentlyStoresOneVisit(t *testing.T) {
	for _, b := range domaintest.Backends() {
		t.Run(b, func(t *testing.T) { redeliverConcurrently(t, b) })
	}
}

func redeliverConcurrently(t *testing.T, backend string) {
	s, e := stackEnv(t, bottest.Options{Backend: backend})
	lina := s.Demo.EastReps[0]
	plain := textXML(e.cfg.CorpID, lina.WeComUserID, "4561255354251345929", "今天上门拜访了华辰科技王总，聊了报价", e.now.Unix())
	enc, q := seal(t, e.cfg.Token, e.cfg.AESKey, e.cfg.CorpID, plain, e.now.Unix(), fixedNonce)
	body := appXML(e.cfg.CorpID, enc)

	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, "/wecom/callback?"+q, strings.NewReader(body))
			rec := httptest.NewRecorder()
			e.w.CallbackHandler().ServeHTTP(rec, req)
			codes[i] = rec.Code
		}()
	}
	wg.Wait()
	t.Logf("statuses %v", codes)
	acked := 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			acked++
		case http.StatusServiceUnavailable: // busy elsewhere: WeCom retries
		default:
			t.Errorf("status %d", c)
		}
	}
	if acked == 0 {
		t.Fatalf("no delivery acknowledged: %v", codes)
	}
	visits, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: lina.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(visits) != 1 {
		t.Fatalf("%d visits stored, want 1: %+v", len(visits), visits)
	}
	if v := visits[0]; v.Platform != domain.PlatformWeCom || v.SourceMsgID != "4561255354251345929" {
		t.Errorf("visit source %s/%s", v.Platform, v.SourceMsgID)
	}
	// One card answered the report; the redeliveries said nothing.
	sends := e.api.wait(t, "/cgi-bin/message/send", 1)
	e.w.Close(context.Background())
	if sends = e.api.requests("/cgi-bin/message/send"); len(sends) != 1 || !strings.Contains(sends[0].Body, `"msgtype":"template_card"`) || !strings.Contains(sends[0].Body, `"touser":"lina"`) {
		t.Errorf("sends %+v", sends)
	}

	// A later, sequential redelivery is acknowledged and stores nothing.
	rec := e.serve(e.w.CallbackHandler(), http.MethodPost, "/wecom/callback?"+q, body)
	if rec.Code != http.StatusOK {
		t.Errorf("late redelivery: %d", rec.Code)
	}
	if visits, _ := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: lina.ID}); len(visits) != 1 {
		t.Errorf("%d visits after a late redelivery", len(visits))
	}
}

// A sender the bot does not know, in a department mapped to a team, is
// registered from the address book and their first report is stored.
func TestNewcomerRegisteredAndReportStored(t *testing.T) {
	s, e := stackEnv(t)
	east := s.Demo.East
	east.WeComDepartmentID = 7
	if err := s.Store.UpdateTeam(context.Background(), &east); err != nil {
		t.Fatal(err)
	}
	e.api.Answers["/cgi-bin/user/get"] = []string{`{"errcode":0,"errmsg":"ok","userid":"xiaozhao","name":"赵小明","department":[7],"main_department":7}`}
	rec := e.postApp(textXML(e.cfg.CorpID, "xiaozhao", "9001", "今天上门拜访了华辰科技王总，聊了报价", e.now.Unix()))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	m, err := s.Svc.Identify(context.Background(), domain.PlatformWeCom, "xiaozhao")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "赵小明" || m.TeamID != east.ID || m.Role != domain.RoleRep {
		t.Errorf("registered %+v", m)
	}
	visits, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: m.ID})
	if err != nil || len(visits) != 1 {
		t.Errorf("visits %+v, %v", visits, err)
	}

	// Someone in an unmapped department is told to ask an admin.
	e.api.answer("/cgi-bin/user/get", `{"errcode":0,"errmsg":"ok","userid":"guest","name":"访客","department":[99],"main_department":99}`)
	if rec := e.postApp(textXML(e.cfg.CorpID, "guest", "9002", "今天上门拜访了华辰科技王总", e.now.Unix())); rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	var told bool
	for _, r := range e.api.wait(t, "/cgi-bin/message/send", 2) {
		if strings.Contains(r.Body, `"touser":"guest"`) && strings.Contains(r.Body, "管理员") {
			told = true
		}
	}
	if !told {
		t.Errorf("guest not told to ask an admin: %v", e.api.requests("/cgi-bin/message/send"))
	}
}

// A report with a raw control character is stored (without it) and the rep
// gets the card, rather than WeCom being refused and dropping the message.
func TestControlCharacterReportStoredAndAnswered(t *testing.T) {
	s, e := stackEnv(t)
	lina := s.Demo.EastReps[0]
	rec := e.postApp(textXML(e.cfg.CorpID, lina.WeComUserID, "7001", "今天上门拜访了华辰科技王总\x01，聊了报价", e.now.Unix()))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d %q", rec.Code, rec.Body.String())
	}
	visits, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: lina.ID})
	if err != nil || len(visits) != 1 {
		t.Fatalf("visits %+v, %v", visits, err)
	}
	if got := visits[0].RawText; got != "今天上门拜访了华辰科技王总，聊了报价" {
		t.Errorf("stored text %q", got)
	}
	sends := e.api.wait(t, "/cgi-bin/message/send", 1)
	if !strings.Contains(sends[0].Body, `"touser":"lina"`) || !strings.Contains(sends[0].Body, `"msgtype":"template_card"`) {
		t.Errorf("answer %s", sends[0].Body)
	}
}
