package sim_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"salesbot/bot/bottest"
	"salesbot/bot/sim"
)

// simWithAccess serves the simulator on the demo company behind tokens.
func simWithAccess(t *testing.T, acc sim.Access) *httptest.Server {
	s := bottest.New(t)
	sm := sim.New(s.Router, s.Store, acc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(sm.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// call makes one request with an optional bearer token through c.
func call(t *testing.T, c *http.Client, method, url, bearer, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(res.Body)
	json.Unmarshal(b, &out)
	return res.StatusCode, out
}

const (
	memberToken = "member-token-0123456789"
	adminToken  = "admin-token-0123456789"
	repSays     = `{"user":"lina","text":"我的客户"}`
	adminSays   = `{"user":"sunli","text":"我的客户"}`
)

func TestTokenRequired(t *testing.T) {
	srv := simWithAccess(t, sim.Access{Token: memberToken, AdminToken: adminToken})
	c := srv.Client()
	for _, tt := range []struct {
		name, method, path, bearer, body string
		want                             int
	}{
		{"UsersWithoutToken", "GET", "/sim/users", "", "", http.StatusUnauthorized},
		{"MessageWithoutToken", "POST", "/sim/messages", "", repSays, http.StatusUnauthorized},
		{"ActionWithoutToken", "POST", "/sim/actions", "", `{"user":"lina","key":"x"}`, http.StatusUnauthorized},
		{"PushesWithoutToken", "GET", "/sim/pushes", "", "", http.StatusUnauthorized},
		{"WrongToken", "GET", "/sim/users", "guess", "", http.StatusUnauthorized},
		{"UsersWithToken", "GET", "/sim/users", memberToken, "", http.StatusOK},
		{"RepWithMemberToken", "POST", "/sim/messages", memberToken, repSays, http.StatusOK},
		{"AdminWithMemberToken", "POST", "/sim/messages", memberToken, adminSays, http.StatusForbidden},
		{"AdminWithAdminToken", "POST", "/sim/messages", adminToken, adminSays, http.StatusOK},
		{"RepWithAdminToken", "POST", "/sim/messages", adminToken, repSays, http.StatusOK},
		{"PageWithoutToken", "GET", "/", "", "", http.StatusOK}, // it shows the login prompt
		{"HistoryWithoutToken", "GET", "/sim/history?user=lina", "", "", http.StatusUnauthorized},
		{"ImageWithoutToken", "GET", "/sim/images/1", "", "", http.StatusUnauthorized},
		{"RepHistoryWithMemberToken", "GET", "/sim/history?user=lina", memberToken, "", http.StatusOK},
		{"AdminHistoryWithMemberToken", "GET", "/sim/history?user=sunli", memberToken, "", http.StatusForbidden},
		{"AdminHistoryWithAdminToken", "GET", "/sim/history?user=sunli", adminToken, "", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out := call(t, c, tt.method, srv.URL+tt.path, tt.bearer, tt.body)
			if code != tt.want {
				t.Fatalf("status %d (%v); want %d", code, out, tt.want)
			}
			if code == http.StatusUnauthorized && out["login"] != true {
				t.Errorf("401 without the login hint: %v", out)
			}
		})
	}
}

// The page's login sets a cookie that later calls carry; a wrong token
// sets none.
func TestLoginCookie(t *testing.T) {
	srv := simWithAccess(t, sim.Access{Token: memberToken})
	jar, _ := cookiejar.New(nil)
	c := srv.Client()
	c.Jar = jar
	if code, _ := call(t, c, "POST", srv.URL+"/sim/login", "", `{"token":"guess"}`); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: status %d", code)
	}
	if code, _ := call(t, c, "GET", srv.URL+"/sim/users", "", ""); code != http.StatusUnauthorized {
		t.Fatalf("after a wrong login: status %d", code)
	}
	code, out := call(t, c, "POST", srv.URL+"/sim/login", "", `{"token":"`+memberToken+`"}`)
	if code != http.StatusOK || out["role"] != "member" {
		t.Fatalf("login: %d %v", code, out)
	}
	for _, ck := range jar.Cookies(mustURL(t, srv.URL)) {
		if strings.Contains(ck.Value, memberToken) {
			t.Errorf("the cookie holds the token itself: %v", ck)
		}
	}
	if code, out := call(t, c, "POST", srv.URL+"/sim/messages", "", repSays); code != http.StatusOK {
		t.Fatalf("message with the cookie: %d %v", code, out)
	}
	// No admin token configured: nobody acts as an admin.
	if code, _ := call(t, c, "POST", srv.URL+"/sim/messages", "", adminSays); code != http.StatusForbidden {
		t.Fatalf("admin with a member cookie: status %d", code)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
