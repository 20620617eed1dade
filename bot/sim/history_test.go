package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"salesbot/bot"
	"salesbot/bot/sim"
	"salesbot/domain"
)

type historyJSON struct {
	Rev     int         `json:"rev"`
	Entries []sim.Entry `json:"entries"`
}

func getHistory(t *testing.T, base, user string, after int) historyJSON {
	t.Helper()
	res, err := http.Get(fmt.Sprintf("%s/sim/history?user=%s&after=%d", base, user, after))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("history of %s: status %d", user, res.StatusCode)
	}
	var h historyJSON
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHistoryKeepsEachConversation(t *testing.T) {
	_, srv, s := newSim(t)
	east := s.Demo.East.SimChatID()
	post(t, srv.URL+"/sim/messages", `{"user":"lina","chat":"","text":"帮助"}`)
	post(t, srv.URL+"/sim/messages", `{"user":"lina","chat":"`+east+`","text":"今天拜访金石重工张总，已发报价50万"}`)

	// A reload asks from the start and gets both chats, oldest first.
	h := getHistory(t, srv.URL, "lina", 0)
	if len(h.Entries) != 4 {
		t.Fatalf("lina's history = %+v; want her two messages and two answers", h.Entries)
	}
	mine, help, report, card := h.Entries[0], h.Entries[1], h.Entries[2], h.Entries[3]
	if mine.Conv != "p:lina" || mine.From != "lina" || mine.Name != "李娜" || mine.Text != "帮助" {
		t.Errorf("first entry = %+v", mine)
	}
	if help.Conv != "p:lina" || help.From != "" || help.Text == "" {
		t.Errorf("answer to 帮助 = %+v", help)
	}
	if report.Conv != "g:"+east || card.Conv != "g:"+east || card.Card == nil || !strings.Contains(card.Card.Title, "拜访") {
		t.Errorf("group entries = %+v, %+v", report, card)
	}
	if again := getHistory(t, srv.URL, "lina", h.Rev); len(again.Entries) != 0 || again.Rev != h.Rev {
		t.Errorf("nothing new, yet history after %d = %+v", h.Rev, again)
	}

	// A teammate sees the group, not her private chat; another team sees neither.
	if got := getHistory(t, srv.URL, "wangqiang", 0).Entries; len(got) != 2 || got[0].Text != report.Text {
		t.Errorf("王强's history = %+v; want the group's two entries", got)
	}
	if got := getHistory(t, srv.URL, "chenjing", 0).Entries; len(got) != 0 {
		t.Errorf("陈静 (华南) sees %+v", got)
	}
}

func TestCardUpdateChangesTheCardShownEarlier(t *testing.T) {
	_, srv, _ := newSim(t)
	post(t, srv.URL+"/sim/messages", `{"user":"lina","chat":"","text":"今天拜访金石重工张总，已发报价50万"}`)
	h := getHistory(t, srv.URL, "lina", 0)
	card := h.Entries[len(h.Entries)-1]
	if card.Card == nil || card.Card.Final != "" {
		t.Fatalf("last entry = %+v; want an open card", card)
	}
	undo := ""
	for _, b := range card.Card.Buttons {
		if b.Style == "danger" {
			undo = b.Key
		}
	}
	if undo == "" {
		t.Fatalf("card has no undo button: %+v", card.Card.Buttons)
	}
	code, out := post(t, srv.URL+"/sim/actions", fmt.Sprintf(`{"user":"lina","chat":"","card":%q,"key":%q}`, card.Card.ID, undo))
	if code != http.StatusOK {
		t.Fatalf("undo: %d %v", code, out)
	}
	changed := getHistory(t, srv.URL, "lina", h.Rev).Entries
	if len(changed) != 1 || changed[0].ID != card.ID {
		t.Fatalf("after undo, changed entries = %+v; want the card's own entry %d only", changed, card.ID)
	}
	c := changed[0].Card
	if c == nil || c.ID != card.Card.ID || c.Final != "已撤销" || len(c.Buttons) != len(card.Card.Buttons) {
		t.Errorf("updated card = %+v; want final 已撤销 with the old buttons kept (greyed by the page)", c)
	}
	if all := getHistory(t, srv.URL, "lina", 0).Entries; len(all) != len(h.Entries) {
		t.Errorf("history has %d entries after undo, %d before: the update was added as a copy", len(all), len(h.Entries))
	}

	// A correction changes the values and names what changed.
	post(t, srv.URL+"/sim/messages", `{"user":"lina","chat":"","text":"今天拜访金石重工张总，已发报价50万"}`)
	h = getHistory(t, srv.URL, "lina", 0)
	card = h.Entries[len(h.Entries)-1]
	post(t, srv.URL+"/sim/messages", `{"user":"lina","chat":"","text":"改一下，金额是60万"}`)
	var updated *sim.Entry
	for _, e := range getHistory(t, srv.URL, "lina", h.Rev).Entries {
		if e.ID == card.ID {
			updated = &e
		}
	}
	if updated == nil || updated.Card == nil || !strings.Contains(fmt.Sprint(updated.Card.Fields), "60万") || len(updated.Card.Changed) == 0 {
		t.Fatalf("card after 改一下 = %+v; want 60万 and the changed field named", updated)
	}
}

func TestPushesAreKeptPerMember(t *testing.T) {
	sm, srv, s := newSim(t)
	ctx := context.Background()
	east := s.Demo.East.SimChatID()
	png := []byte("\x89PNG\r\n\x1a\nnot really a picture")
	sends := []bot.Reply{
		{To: bot.Destination{Platform: domain.PlatformSim, UserID: "lina"}, Text: "**明天的跟进**\n- 华辰科技", Markdown: true},
		{To: bot.Destination{Platform: domain.PlatformSim, ChatID: east}, Text: "日报"},
		{To: bot.Destination{Platform: domain.PlatformSim, UserID: "zhangwei"}, Text: "商机漏斗", Image: &bot.Image{PNG: png, Alt: "商机漏斗"}},
	}
	for _, r := range sends {
		if err := sm.Send(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	lina := getHistory(t, srv.URL, "lina", 0).Entries
	if len(lina) != 2 || !lina[0].Push || !lina[0].Markdown || lina[0].Conv != "p:lina" || lina[1].Conv != "g:"+east {
		t.Fatalf("李娜's pushes = %+v", lina)
	}
	zw := getHistory(t, srv.URL, "zhangwei", 0).Entries
	if len(zw) != 2 || zw[0].Text != "日报" || zw[1].Image == "" || zw[1].Alt != "商机漏斗" {
		t.Fatalf("张伟's pushes = %+v; want the group digest and his picture", zw)
	}
	if got := getHistory(t, srv.URL, "chenjing", 0).Entries; len(got) != 0 {
		t.Errorf("陈静 got %+v", got)
	}
	res, err := http.Get(srv.URL + zw[1].Image)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, png) {
		t.Errorf("picture: status %d type %q body %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if res, err := http.Get(srv.URL + "/sim/images/99999"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown picture: %v %v", res.StatusCode, err)
	}
}

func TestHistoryIsBounded(t *testing.T) {
	sm, srv, _ := newSim(t)
	ctx := context.Background()
	push := func(user, text string) {
		if err := sm.Send(ctx, bot.Reply{To: bot.Destination{Platform: domain.PlatformSim, UserID: user}, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 250 {
		push("lina", fmt.Sprint(i))
	}
	got := getHistory(t, srv.URL, "lina", 0).Entries
	if len(got) != 200 || got[0].Text != "50" || got[199].Text != "249" {
		t.Fatalf("kept %d entries from %q; want the newest 200 (50…249)", len(got), got[0].Text)
	}
	// The idlest conversations are forgotten first.
	for i := range 120 {
		push(fmt.Sprintf("u%d", i), "x")
	}
	if n := len(getHistory(t, srv.URL, "lina", 0).Entries); n != 0 {
		t.Errorf("lina's idle chat kept %d entries after 120 newer chats", n)
	}
	if n := len(getHistory(t, srv.URL, "u119", 0).Entries); n != 1 {
		t.Errorf("newest chat has %d entries", n)
	}

	// Only the newest 50 pictures are kept.
	for range 51 {
		if err := sm.Send(ctx, bot.Reply{To: bot.Destination{Platform: domain.PlatformSim, UserID: "zhangwei"}, Image: &bot.Image{PNG: []byte("png"), Alt: "图"}}); err != nil {
			t.Fatal(err)
		}
	}
	pics := getHistory(t, srv.URL, "zhangwei", 0).Entries
	status := func(e sim.Entry) int {
		res, err := http.Get(srv.URL + e.Image)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if len(pics) != 51 || status(pics[0]) != http.StatusNotFound || status(pics[1]) != http.StatusOK {
		t.Errorf("%d pictures; the oldest answers %d, the next %d; want 404 then 200", len(pics), status(pics[0]), status(pics[1]))
	}
}
