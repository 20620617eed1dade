package bot

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/kv"
)

// The reminder card's buttons act on the task and redraw the card. (An
// internal test: bottest imports bot.)
func TestTaskAction(t *testing.T) {
	ctx := context.Background()
	loc := time.FixedZone("CST", 8*3600)
	st := domaintest.MustOpen(t, domaintest.SQLite)
	d := domaintest.Seed(t, ctx, st)
	k, err := kv.Open(ctx, kv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	clock := domaintest.NewClock(time.Date(2026, 1, 6, 9, 0, 0, 0, loc))
	svc := domain.NewService(st, loc, clock.Now)
	r := NewRouter(svc, k, k, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	lina, wang := d.Member("李娜"), d.Member("王强")
	conv := func(m domain.Member) *conv {
		return &conv{r: r, m: Message{Platform: domain.PlatformSim, UserID: m.SimUserID}, me: m,
			to: Destination{Platform: domain.PlatformSim, UserID: m.SimUserID}}
	}
	var ids []int64
	for _, title := range []string{"送样品", "报价"} {
		tk := domain.Task{OwnerID: lina.ID, TeamID: lina.TeamID, CustomerID: d.Customer("华辰科技有限公司").ID, Title: title, Due: "2026-01-06", Status: domain.TaskOpen}
		if err := st.CreateTask(ctx, &tk); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	key := func(verb string, id int64) string { return verb + ":" + strconv.FormatInt(id, 10) }

	if !IsTaskAction(key(KeyTaskDone, ids[0])) || IsTaskAction("undo:3") {
		t.Fatal("IsTaskAction")
	}

	// Someone else's task: refused.
	out, err := conv(wang).taskAction(ctx, CardAction{Key: key(KeyTaskDone, ids[0]), CardID: "c1"})
	if err != nil || len(out) != 1 || !strings.Contains(out[0].Text, "只能处理自己的跟进") {
		t.Fatalf("wang's click = %+v, %v", out, err)
	}

	// Done: the card is redrawn with what is left.
	out, err = conv(lina).taskAction(ctx, CardAction{Key: key(KeyTaskDone, ids[0]), CardID: "c1"})
	if err != nil || len(out) != 1 || out[0].Update == nil || out[0].Update.CardID != "c1" {
		t.Fatalf("done = %+v, %v", out, err)
	}
	card := out[0].Update.Card
	if card.Title != "今日跟进提醒（1 条）" || !strings.Contains(card.Note, "「送样品」已处理") || len(card.Fields) != 1 {
		t.Errorf("card after done = %+v", card)
	}
	if tk, _ := st.TaskByID(ctx, ids[0]); tk.Status != domain.TaskDone {
		t.Errorf("task = %+v", tk)
	}

	// Snooze: moved to tomorrow; nothing left today.
	out, err = conv(lina).taskAction(ctx, CardAction{Key: key(KeyTaskSnooze, ids[1]), CardID: "c1"})
	if err != nil || out[0].Update == nil || out[0].Update.Card.Final == "" || !strings.Contains(out[0].Update.Card.Note, "已推迟到 2026-01-07") {
		t.Fatalf("snooze = %+v, %v", out, err)
	}

	// Mute and unmute.
	out, err = conv(lina).taskAction(ctx, CardAction{Key: KeyJobMute + ":nudge"})
	if err != nil || out[0].Card == nil || out[0].Card.Buttons[0].Key != "job_unmute:nudge" {
		t.Fatalf("mute = %+v, %v", out, err)
	}
	if set, _ := st.ListSettings(ctx); len(set) != 1 || set[0].MemberID != lina.ID || set[0].Name != "mute.nudge" {
		t.Errorf("settings after mute = %+v", set)
	}
	if _, err := conv(lina).taskAction(ctx, CardAction{Key: KeyJobUnmute + ":nudge"}); err != nil {
		t.Fatal(err)
	}
	if set, _ := st.ListSettings(ctx); len(set) != 0 {
		t.Errorf("settings after unmute = %+v", set)
	}
}

// A reminder set in chat (明天提醒我…) has no customer: its line and
// buttons name the reminder, not an empty customer.
func TestFollowUpCardReminderWithoutCustomer(t *testing.T) {
	day := domain.Date("2026-12-03")
	tasks := []domain.TaskView{
		{Task: domain.Task{ID: 7, Title: "整理本周拜访纪要发给张伟", Due: day}},
		{Task: domain.Task{ID: 8, Title: "带方案初稿再去一次", Due: day}, Customer: "华辰科技有限公司"},
	}
	c := FollowUpCard(1, day, tasks, "")
	if got := c.Fields[0].Value; got != "整理本周拜访纪要发给张伟" {
		t.Errorf("reminder line = %q", got)
	}
	if got := c.Fields[1].Value; got != "华辰科技有限公司：带方案初稿再去一次" {
		t.Errorf("follow-up line = %q", got)
	}
	if got := c.Buttons[0].Text; got != "已处理·整理本周拜访纪要…" {
		t.Errorf("reminder button = %q", got)
	}
	if got := c.Buttons[2].Text; got != "已处理·华辰科技" {
		t.Errorf("follow-up button = %q", got)
	}
	if txt := FollowUpText(day, tasks); strings.Contains(txt, "客户：") {
		t.Errorf("text names an empty customer:\n%s", txt)
	}
}
