package sim

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"salesbot/bot"
	"salesbot/domain"
)

// keep puts a reply or push into the history: a card update changes the
// card shown earlier, anything else is a new entry.
func (s *Sim) keep(r bot.Reply, push bool) {
	e := entryOf(r, push)
	if r.Update != nil && e.Card != nil && s.hist.updateCard(e.Conv, *e.Card) {
		return
	}
	s.hist.add(e, s.now())
}

// nameOf is the member's name as the page shows it (the id when unknown).
func (s *Sim) nameOf(ctx context.Context, user string) string {
	m, err := s.dir.MemberByPlatformID(ctx, domain.PlatformSim, user)
	if err != nil || m.Name == "" {
		return user
	}
	return m.Name
}

// history answers GET /sim/history?user=ID&after=REV: the entries of the
// member's private chat and team group changed after REV, and the newest
// rev to ask after next time.
func (s *Sim) history(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	if user == "" {
		writeError(w, http.StatusBadRequest, "user is required")
		return
	}
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	if err := s.mayActAs(r, user); errors.Is(err, errAdminOnly) {
		writeError(w, http.StatusForbidden, "查看管理员的会话需要管理员令牌（SALESBOT_SIMULATOR_ADMIN_TOKEN）")
		return
	} else if err != nil {
		s.fail(w, err)
		return
	}
	convs := []string{convKey("", user)}
	if chat, err := s.chatOfMember(r.Context(), user); err != nil {
		s.fail(w, err)
		return
	} else if chat != "" {
		convs = append(convs, convKey(chat, user))
	}
	entries, rev := s.hist.since(after, convs...)
	writeJSON(w, http.StatusOK, map[string]any{"rev": rev, "entries": entries})
}

// chatOfMember is the group chat of the member's team ("" for none).
func (s *Sim) chatOfMember(ctx context.Context, user string) (string, error) {
	m, err := s.dir.MemberByPlatformID(ctx, domain.PlatformSim, user)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && m.TeamID == 0) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	teams, err := s.teamNames(ctx)
	if err != nil {
		return "", err
	}
	return chatOf(teams[m.TeamID]), nil
}

// image serves a picture of the history (a chart) by its entry id.
func (s *Sim) image(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	png := s.hist.image(id)
	if err != nil || png == nil {
		writeError(w, http.StatusNotFound, "图片已不在模拟器的记录里")
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(png)
}
