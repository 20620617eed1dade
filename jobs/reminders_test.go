package jobs_test

import (
	"strconv"
	"strings"
	"testing"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/jobs"
)

// One card per rep with today's and overdue follow-ups; the manager hears
// of a follow-up once, when it is three working days late.
func TestReminders(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(5, 8, 30))
	h.holidays2026()
	lina, wang := h.EastReps[0], h.EastReps[1]
	task := func(owner domain.Member, cust string, title string, due domain.Date, status domain.TaskStatus) domain.Task {
		t.Helper()
		tk := domain.Task{OwnerID: owner.ID, TeamID: owner.TeamID, CustomerID: h.Customer(cust).ID, Title: title, Due: due, Status: status}
		if err := s.CreateTask(h.ctx, &tk); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	late := task(lina, "华辰科技有限公司", "送样品", "2025-12-31", domain.TaskOpen) // Wed; 1, 2 Jan holidays
	task(lina, "金石重工股份有限公司", "报价", "2026-01-06", domain.TaskOpen)
	task(lina, "金石重工股份有限公司", "确认需求", "2026-01-05", domain.TaskOpen)
	task(lina, "金石重工股份有限公司", "已经做了", "2026-01-05", domain.TaskDone)
	task(wang, "德润精密机械有限公司", "回访", "2026-01-06", domain.TaskOpen)
	r := h.replica(jobs.Config{}, nil)

	// Monday 5 Jan: 送样品 is overdue by 2 working days (4th, 5th).
	msgs, err := r.runner.Plan(h.ctx, jobs.JobReminders, h.East.ID, "2026-01-05")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Recipient != recipient(lina) {
		t.Fatalf("Monday: %+v; want one card for lina", msgs)
	}
	card := msgs[0].Reply.Card
	if card == nil || card.Title != "今日跟进提醒（2 条）" || len(card.Fields) != 2 ||
		card.Fields[0].Label != "逾期5天" || card.Fields[0].Value != "华辰科技有限公司：送样品" || card.Fields[1].Label != "今天" {
		t.Fatalf("card = %+v", card)
	}
	wantKeys := []string{
		bot.KeyTaskDone + ":" + itoa(late.ID), bot.KeyTaskSnooze + ":" + itoa(late.ID),
	}
	for i, k := range wantKeys {
		if card.Buttons[i].Key != k {
			t.Errorf("button %d key = %q, want %q", i, card.Buttons[i].Key, k)
		}
	}
	if last := card.Buttons[len(card.Buttons)-1]; last.Key != "job_mute:reminders" || len(card.Buttons) != 5 {
		t.Errorf("buttons = %+v", card.Buttons)
	}
	if !strings.Contains(msgs[0].Reply.Text, "1. [逾期5天] 华辰科技有限公司：送样品") {
		t.Errorf("text fallback = %q", msgs[0].Reply.Text)
	}

	// Tuesday 6 Jan: three working days late → the manager hears of it,
	// once; wang gets his own card.
	msgs, _ = r.runner.Plan(h.ctx, jobs.JobReminders, h.East.ID, "2026-01-06")
	var got []string
	for _, m := range msgs {
		got = append(got, m.Recipient)
	}
	want := []string{recipient(lina), recipient(wang), recipient(h.EastManager) + ":late"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Tuesday recipients = %v, want %v", got, want)
	}
	esc := msgs[2].Reply.Text
	if !strings.Contains(esc, "已逾期 3 个工作日") || !strings.Contains(esc, "**李娜**（1 条）\n· 华辰科技有限公司：送样品（应于 12月31日）") {
		t.Errorf("escalation = %q", esc)
	}
	msgs, _ = r.runner.Plan(h.ctx, jobs.JobReminders, h.East.ID, "2026-01-07")
	for _, m := range msgs {
		if strings.HasSuffix(m.Recipient, ":late") {
			t.Errorf("Wednesday escalates again: %q", m.Reply.Text)
		}
	}

	// Muted: no card.
	if err := h.svc.MuteJob(h.ctx, lina, jobs.JobReminders, true); err != nil {
		t.Fatal(err)
	}
	msgs, _ = r.runner.Plan(h.ctx, jobs.JobReminders, h.East.ID, "2026-01-07")
	for _, m := range msgs {
		if m.Recipient == recipient(lina) {
			t.Error("a muted rep got the reminder")
		}
	}
}

// A quiet deal is told about on the day it becomes stale, and again when it
// has been quiet for another stretch, not every day: to its owner in the
// morning message, to the manager in one roll-up.
func TestStale(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(2, 10, 0))
	h.holidays2026()
	lina := h.EastReps[0]
	// 华辰 is an A customer (stale after 7 days), 德润精密 B (14 days).
	h.report(lina, "华辰科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 500_000}}) // Fri 2 Jan
	h.report(h.EastReps[1], "德润精密机械有限公司", domain.Report{})                                                    // Fri 2 Jan
	r := h.replica(jobs.Config{}, nil)
	told := map[domain.Date][]string{}
	for day := 5; day <= 31; day++ {
		d := domain.DateOf(at(day, 10, 0), cst)
		if !domain.NewCalendar([]domain.CalendarDay{{Date: "2026-01-04", Working: true}}).Working(d) {
			continue
		}
		morning, err := r.runner.Plan(h.ctx, jobs.JobReminders, h.East.ID, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range morning {
			if !strings.Contains(m.Reply.Text, "商机停滞提醒") {
				continue
			}
			told[d] = append(told[d], m.Recipient)
			if m.Recipient == recipient(lina) && !strings.Contains(m.Reply.Text, "华辰科技有限公司（A类，报价，50万）") {
				t.Errorf("%s: %q", d, m.Reply.Text)
			}
		}
		msgs, err := r.runner.Plan(h.ctx, jobs.JobStale, h.East.ID, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			told[d] = append(told[d], m.Recipient)
		}
	}
	mgr := recipient(h.EastManager) + ":rollup"
	want := map[domain.Date][]string{
		"2026-01-09": {recipient(lina), mgr},                           // 7 days
		"2026-01-16": {recipient(lina), recipient(h.EastReps[1]), mgr}, // 14 days: both
		"2026-01-23": {recipient(lina), mgr},                           // 21 days
		"2026-01-30": {recipient(lina), recipient(h.EastReps[1]), mgr}, // 28 days: A again, B again
	}
	if len(told) != len(want) {
		t.Errorf("stale alerts on %v, want %v", told, want)
	}
	for d, w := range want {
		if strings.Join(told[d], ",") != strings.Join(w, ",") {
			t.Errorf("%s: told %v, want %v", d, told[d], w)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
