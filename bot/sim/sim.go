// Package sim is the local chat simulator: a page at / and a small JSON API
// that drive the same Router the real platforms use, plus a Sender that
// keeps what jobs push so the page can show it.
package sim

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

//go:embed static
var static embed.FS

// Directory is what the simulator reads to list who can chat.
type Directory interface {
	ListMembers(ctx context.Context, f domain.MemberFilter) ([]domain.Member, error)
	ListTeams(ctx context.Context) ([]domain.Team, error)
	MemberByPlatformID(ctx context.Context, p domain.Platform, userID string) (domain.Member, error)
}

// Sim is the simulator adapter.
type Sim struct {
	h   bot.Handler
	dir Directory
	acc Access
	log *slog.Logger
	now func() time.Time

	hist *history

	mu     sync.Mutex
	pushes []Push
	seq    int
}

// Push is a message a job sent, as the page shows it.
type Push struct {
	Seq  int       `json:"seq"`
	Chat string    `json:"chat"`
	User string    `json:"user"`
	Text string    `json:"text"`
	Card *cardJSON `json:"card,omitempty"`
	At   time.Time `json:"at"`
}

// New builds the simulator on a Handler (the Router), open to those acc
// lets in.
func New(h bot.Handler, dir Directory, acc Access, log *slog.Logger) *Sim {
	return &Sim{h: h, dir: dir, acc: acc, log: log, now: time.Now, hist: newHistory()}
}

// Handler serves the page and the /sim API.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(mustSub(static, "static")))
	mux.HandleFunc("POST /sim/login", s.login)
	mux.HandleFunc("GET /sim/users", s.guard(s.users))
	mux.HandleFunc("GET /sim/chats", s.guard(s.chats))
	mux.HandleFunc("POST /sim/messages", s.guard(s.messages))
	mux.HandleFunc("POST /sim/actions", s.guard(s.actions))
	mux.HandleFunc("GET /sim/pushes", s.guard(s.listPushes))
	mux.HandleFunc("GET /sim/history", s.guard(s.history))
	mux.HandleFunc("GET /sim/images/{id}", s.guard(s.image))
	return mux
}

type userJSON struct {
	User string `json:"user"`
	Name string `json:"name"`
	Role string `json:"role"`
	Team string `json:"team"`
	Chat string `json:"chat"` // the team's group chat id
}

func (s *Sim) users(w http.ResponseWriter, r *http.Request) {
	teams, err := s.teamNames(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	members, err := s.dir.ListMembers(r.Context(), domain.MemberFilter{ActiveOnly: true})
	if err != nil {
		s.fail(w, err)
		return
	}
	out := []userJSON{}
	for _, m := range members {
		if m.SimUserID == "" {
			continue
		}
		t := teams[m.TeamID]
		out = append(out, userJSON{User: m.SimUserID, Name: m.Name, Role: string(m.Role), Team: t.Name, Chat: chatOf(t)})
	}
	writeJSON(w, http.StatusOK, out)
}

func chatOf(t domain.Team) string {
	if t.ID == 0 {
		return ""
	}
	return t.SimChatID()
}

func (s *Sim) teamNames(ctx context.Context) (map[int64]domain.Team, error) {
	teams, err := s.dir.ListTeams(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]domain.Team, len(teams))
	for _, t := range teams {
		out[t.ID] = t
	}
	return out, nil
}

func (s *Sim) chats(w http.ResponseWriter, r *http.Request) {
	teams, err := s.dir.ListTeams(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	type chat struct {
		Chat string `json:"chat"`
		Name string `json:"name"`
	}
	out := []chat{}
	for _, t := range teams {
		out = append(out, chat{Chat: t.SimChatID(), Name: t.Name + " 群"})
	}
	writeJSON(w, http.StatusOK, out)
}

type messageIn struct {
	User string `json:"user"`
	Chat string `json:"chat"`
	Text string `json:"text"`
	// Action fields (POST /sim/actions).
	Key  string `json:"key"`
	Card string `json:"card"`
}

type replyJSON struct {
	Chat  string    `json:"chat"`
	User  string    `json:"user"`
	Text  string    `json:"text"`
	Card  *cardJSON `json:"card,omitempty"`
	Final bool      `json:"update,omitempty"` // replaces the card with the same id
}

type cardJSON struct {
	ID      string       `json:"id"`
	Title   string       `json:"title"`
	Fields  []bot.Field  `json:"fields"`
	Note    string       `json:"note,omitempty"`
	Buttons []bot.Button `json:"buttons"`
	Final   string       `json:"final,omitempty"`
	// Changed: in the history, the fields an in-place update changed.
	Changed []string `json:"changed,omitempty"`
}

func (s *Sim) messages(w http.ResponseWriter, r *http.Request) {
	in, ok := s.decode(w, r)
	if !ok {
		return
	}
	if strings.TrimSpace(in.Text) == "" {
		writeError(w, http.StatusBadRequest, "text is required")
		return
	}
	s.handle(w, r, bot.Message{Text: in.Text}, in)
}

func (s *Sim) actions(w http.ResponseWriter, r *http.Request) {
	in, ok := s.decode(w, r)
	if !ok {
		return
	}
	if in.Key == "" {
		writeError(w, http.StatusBadRequest, "key is required")
		return
	}
	s.handle(w, r, bot.Message{Action: &bot.CardAction{Key: in.Key, CardID: in.Card}}, in)
}

func (s *Sim) decode(w http.ResponseWriter, r *http.Request) (messageIn, bool) {
	var in messageIn
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "body must be JSON: "+err.Error())
		return in, false
	}
	if in.User == "" {
		writeError(w, http.StatusBadRequest, "user is required")
		return in, false
	}
	return in, true
}

func (s *Sim) handle(w http.ResponseWriter, r *http.Request, m bot.Message, in messageIn) {
	if err := s.mayActAs(r, in.User); errors.Is(err, errAdminOnly) {
		writeError(w, http.StatusForbidden, "以管理员身份操作需要管理员令牌（SALESBOT_SIMULATOR_ADMIN_TOKEN）")
		return
	} else if err != nil {
		s.fail(w, err)
		return
	}
	m.Platform, m.UserID, m.ChatID, m.At = domain.PlatformSim, in.User, in.Chat, s.now()
	m.ID = newID()
	if m.Action == nil {
		s.hist.add(Entry{Conv: convKey(in.Chat, in.User), From: in.User, Name: s.nameOf(r.Context(), in.User), Text: in.Text}, m.At)
	}
	replies, err := s.h.Handle(r.Context(), m)
	if err != nil {
		s.log.Error("sim message", "user", in.User, "err", err)
		writeError(w, http.StatusInternalServerError, "系统繁忙，请稍后再试")
		return
	}
	out := []replyJSON{}
	for _, rep := range replies {
		out = append(out, toJSON(rep))
		s.keep(rep, false)
	}
	writeJSON(w, http.StatusOK, map[string]any{"replies": out})
}

func toJSON(r bot.Reply) replyJSON {
	out := replyJSON{Chat: r.To.ChatID, User: r.To.UserID, Text: bot.PlainText(r)}
	if r.Card == nil && r.Image != nil && r.Text == "" {
		out.Text = r.Image.Alt
	}
	c := r.Card
	if r.Update != nil {
		c, out.Final = &r.Update.Card, true
	}
	if c != nil {
		out.Card = &cardJSON{ID: c.ID, Title: c.Title, Fields: c.Fields, Note: c.Note, Buttons: c.Buttons, Final: c.Final}
		if out.Card.Fields == nil {
			out.Card.Fields = []bot.Field{}
		}
		if out.Card.Buttons == nil || c.Final != "" {
			out.Card.Buttons = []bot.Button{}
		}
	}
	return out
}

// Send records a push (from the jobs) for the page to show.
func (s *Sim) Send(ctx context.Context, r bot.Reply) error {
	if r.To.Platform != domain.PlatformSim {
		return errors.New("sim: not a simulator destination")
	}
	j := toJSON(r)
	s.keep(r, true)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.pushes = append(s.pushes, Push{Seq: s.seq, Chat: j.Chat, User: j.User, Text: j.Text, Card: j.Card, At: s.now()})
	if len(s.pushes) > 500 {
		s.pushes = s.pushes[len(s.pushes)-500:]
	}
	return nil
}

// Pushes returns what was pushed after seq.
func (s *Sim) Pushes(after int) []Push {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Push{}
	for _, p := range s.pushes {
		if p.Seq > after {
			out = append(out, p)
		}
	}
	return out
}

func (s *Sim) listPushes(w http.ResponseWriter, r *http.Request) {
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	writeJSON(w, http.StatusOK, s.Pushes(after))
}

func (s *Sim) fail(w http.ResponseWriter, err error) {
	s.log.Error("sim", "err", err)
	writeError(w, http.StatusInternalServerError, "系统繁忙，请稍后再试")
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "sim-" + hex.EncodeToString(b[:])
}
