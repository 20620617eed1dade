package sim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"salesbot/domain"
)

// Access says who may use the simulator. With no tokens (the embedded
// default, on loopback) anyone who reaches it may act as any member. With a
// Token, every API call needs it, as a bearer token or the cookie the login
// sets; acting as an admin member then needs the AdminToken.
type Access struct {
	Token      string // acts as reps and managers
	AdminToken string // also acts as admins
}

// The roles a simulator session can have.
const (
	roleNone   = ""
	roleMember = "member" // reps and managers
	roleAdmin  = "admin"
)

const sessionCookie = "salesbot_sim"

func (a Access) open() bool { return a.Token == "" && a.AdminToken == "" }

// role is what a presented token (or cookie value) grants.
func (a Access) role(presented string, cookie bool) string {
	match := func(secret string) bool {
		if secret == "" {
			return false
		}
		want := secret
		if cookie {
			want = sessionValue(secret)
		}
		return subtle.ConstantTimeCompare([]byte(presented), []byte(want)) == 1
	}
	switch {
	case match(a.AdminToken):
		return roleAdmin
	case match(a.Token):
		return roleMember
	}
	return roleNone
}

// sessionValue is what the cookie holds for a token: derived from it, so
// the cookie jar never holds the token itself.
func sessionValue(token string) string {
	sum := sha256.Sum256([]byte("salesbot-sim-session:" + token))
	return hex.EncodeToString(sum[:])
}

// sessionRole is the role of the request's bearer token or cookie.
func (a Access) sessionRole(r *http.Request) string {
	if a.open() {
		return roleAdmin
	}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return a.role(strings.TrimSpace(tok), false)
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return a.role(c.Value, true)
	}
	return roleNone
}

// guard lets a request through only with a valid token or cookie.
func (s *Sim) guard(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.acc.sessionRole(r) == roleNone {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "请先输入模拟器令牌登录", "login": true})
			return
		}
		next(w, r)
	}
}

// login checks a token and sets the session cookie.
func (s *Sim) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "body must be JSON: "+err.Error())
		return
	}
	if s.acc.open() {
		writeJSON(w, http.StatusOK, map[string]string{"role": roleAdmin})
		return
	}
	role := s.acc.role(in.Token, false)
	if role == roleNone {
		s.log.Warn("sim login refused", "remote", r.RemoteAddr)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "令牌不对", "login": true})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: sessionValue(in.Token), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	})
	writeJSON(w, http.StatusOK, map[string]string{"role": role})
}

// errAdminOnly: a member session tried to act as an admin.
var errAdminOnly = errors.New("admin role needed")

// mayActAs checks that the session may act as the simulator user id.
func (s *Sim) mayActAs(r *http.Request, user string) error {
	if s.acc.sessionRole(r) == roleAdmin {
		return nil
	}
	m, err := s.dir.MemberByPlatformID(r.Context(), domain.PlatformSim, user)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil // an unknown sender: the bot tells them to ask an admin
	}
	if err != nil {
		return err
	}
	if m.Role == domain.RoleAdmin {
		return errAdminOnly
	}
	return nil
}
