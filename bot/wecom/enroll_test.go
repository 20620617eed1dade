package wecom_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/bot/wecom"
	"salesbot/domain"
)

// countingMembers is the real domain service, counting registrations.
type countingMembers struct {
	*domain.Service
	registered atomic.Int32
}

func (c *countingMembers) RegisterFromDirectory(ctx context.Context, p domain.Platform, userID, name string, deps []int64) (domain.Member, error) {
	c.registered.Add(1)
	return c.Service.RegisterFromDirectory(ctx, p, userID, name, deps)
}

// newcomerStack is the real stack with the East team mapped to address-book
// department 7, a fake address book that knows xiaozhao there, and a
// counting registrar. The adapter's Handler is the Router, or h(Router).
func newcomerStack(t *testing.T, h func(bot.Handler) bot.Handler, opts ...option) (*bottest.Stack, *env, *countingMembers) {
	t.Helper()
	s := bottest.New(t)
	east := s.Demo.East
	east.WeComDepartmentID = 7
	if err := s.Store.UpdateTeam(context.Background(), &east); err != nil {
		t.Fatal(err)
	}
	cm := &countingMembers{Service: s.Svc}
	var handler bot.Handler = s.Router
	if h != nil {
		handler = h(s.Router)
	}
	e := newEnvHandler(t, handler, append([]option{func(_ *wecom.Config, d *wecom.Deps) {
		d.State, d.Limiter, d.Members, d.Now = s.KV, s.KV, cm, s.Clock.Now
	}}, opts...)...)
	e.now = s.Clock.Now()
	e.api.Answers["/cgi-bin/user/get"] = []string{`{"errcode":0,"errmsg":"ok","userid":"xiaozhao","name":"赵小明","department":[7],"main_department":7}`}
	return s, e, cm
}

// An unknown sender's message delivered three times at once is registered
// once: the address book is asked only by the delivery that won the
// de-duplication claim.
func TestNewcomerRegisteredAfterDedupe(t *testing.T) {
	s, e, cm := newcomerStack(t, nil)
	plain := textXML(e.cfg.CorpID, "xiaozhao", "9101", "今天上门拜访了华辰科技王总，聊了报价", e.now.Unix())
	enc, q := seal(t, e.cfg.Token, e.cfg.AESKey, e.cfg.CorpID, plain, e.now.Unix(), fixedNonce)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			e.w.CallbackHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/wecom/callback?"+q, strings.NewReader(appXML(e.cfg.CorpID, enc))))
		}()
	}
	wg.Wait()
	// And once more later, as a WeCom retry would.
	if rec := e.postApp(plain); rec.Code != http.StatusOK {
		t.Fatalf("late redelivery: %d", rec.Code)
	}
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
