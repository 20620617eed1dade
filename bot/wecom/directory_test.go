package wecom_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/bot/wecom"
	"salesbot/domain"
)

// members is a fake wecom.Members: Identify knows the users in known;
// RegisterFromDirectory records its calls and answers with err.
type members struct {
	mu     sync.Mutex
	known  map[string]bool
	calls  []registration
	err    error
	idErr  error
	nextID int64
}

type registration struct {
	UserID, Name string
	Departments  []int64
}

func (f *members) Identify(_ context.Context, p domain.Platform, userID string) (domain.Member, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.idErr != nil {
		return domain.Member{}, f.idErr
	}
	if f.known[userID] {
		return domain.Member{ID: 1, WeComUserID: userID, Active: true}, nil
	}
	return domain.Member{}, domain.Errorf(domain.ENOTFOUND, "还不认识你（%s）", userID)
}

func (f *members) RegisterFromDirectory(_ context.Context, p domain.Platform, userID, name string, deps []int64) (domain.Member, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, registration{userID, name, deps})
	if f.err != nil {
		return domain.Member{}, f.err
	}
	if f.known == nil {
		f.known = map[string]bool{}
	}
	f.known[userID] = true
	f.nextID++
	return domain.Member{ID: f.nextID, Name: name, WeComUserID: userID, TeamID: 2, Active: true}, nil
}

func (f *members) registrations() []registration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]registration(nil), f.calls...)
}

const lisi = `{"errcode":0,"errmsg":"ok","userid":"lisi","name":"李四","department":[3,7],"main_department":7,"status":1}`

// An unknown sender is looked up in the address book and registered before
// the Handler sees the message; the lookup happens once.
func TestUnknownSenderRegistered(t *testing.T) {
	ms := &members{known: map[string]bool{"zhangsan": true}}
	e := newEnv(t, func(_ *wecom.Config, d *wecom.Deps) { d.Members = ms })
	e.api.Answers["/cgi-bin/user/get"] = []string{lisi}

	for i, id := range []string{"6001", "6002"} {
		if rec := e.postApp(textXML(e.cfg.CorpID, "lisi", id, "今天拜访了华为", e.now.Unix())); rec.Code != http.StatusOK {
			t.Fatalf("delivery %d: %d", i, rec.Code)
		}
	}
	gets := e.api.requests("/cgi-bin/user/get")
	if len(gets) != 1 || gets[0].Method != http.MethodGet || gets[0].Query.Get("userid") != "lisi" || gets[0].Query.Get("access_token") != "TOKEN1" {
		t.Errorf("user/get requests %+v", gets)
	}
	want := []registration{{UserID: "lisi", Name: "李四", Departments: []int64{7, 3}}}
	if diff := cmp.Diff(want, ms.registrations()); diff != "" {
		t.Errorf("registrations (-want +got):\n%s", diff)
	}
	if n := len(e.h.messages()); n != 2 {
		t.Errorf("handler called %d times", n)
	}
	// Known senders cost no lookup.
	e.postApp(textXML(e.cfg.CorpID, "zhangsan", "6003", "今天拜访了华为", e.now.Unix()))
	if n := len(e.api.requests("/cgi-bin/user/get")); n != 1 {
		t.Errorf("%d lookups", n)
	}
}

// When registration is impossible the Handler still gets the message (it
// tells the sender to ask an admin); when the lookup fails for now, the
// delivery is not acknowledged.
func TestUnknownSenderNotRegistered(t *testing.T) {
	tests := []struct {
		name       string
		answer     string
		registerEr error
		idErr      error
		wantStatus int
		wantCalls  int // Handler calls
		wantRegs   int
	}{
		{"NotInDirectory", `{"errcode":60111,"errmsg":"userid not found"}`, nil, nil, http.StatusOK, 1, 0},
		{"OutsideVisibleRange", `{"errcode":60011,"errmsg":"no privilege"}`, nil, nil, http.StatusOK, 1, 0},
		{"NoTeamForDepartment", lisi, domain.Errorf(domain.ENOTFOUND, "你所在的部门还没有对应的销售团队"), nil, http.StatusOK, 1, 1},
		{"DirectoryDown", "HTTP 502", nil, nil, http.StatusServiceUnavailable, 0, 0},
		{"RegisterFailed", lisi, errors.New("database down"), nil, http.StatusServiceUnavailable, 0, 1},
		{"IdentifyFailed", lisi, nil, errors.New("database down"), http.StatusServiceUnavailable, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := &members{err: tt.registerEr, idErr: tt.idErr}
			e := newEnv(t, func(_ *wecom.Config, d *wecom.Deps) { d.Members = ms })
			e.api.Answers["/cgi-bin/user/get"] = []string{tt.answer}
			rec := e.postApp(textXML(e.cfg.CorpID, "lisi", "7001", "今天拜访了华为", e.now.Unix()))
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if n := len(e.h.messages()); n != tt.wantCalls {
				t.Errorf("handler called %d times, want %d", n, tt.wantCalls)
			}
			if n := len(ms.registrations()); n != tt.wantRegs {
				t.Errorf("%d registrations, want %d", n, tt.wantRegs)
			}
			if tt.wantStatus == http.StatusOK {
				// The miss is remembered for a while: no second lookup.
				e.postApp(textXML(e.cfg.CorpID, "lisi", "7002", "今天拜访了华为", e.now.Unix()))
				if n := len(e.api.requests("/cgi-bin/user/get")); n != 1 {
					t.Errorf("%d lookups", n)
				}
			}
		})
	}
}
