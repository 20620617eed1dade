package demo_test

import (
	"context"
	"testing"
	"time"

	"salesbot/domain"
	"salesbot/domain/demo"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

// The demo's activity gives README's first steps something to show: a
// follow-up due tomorrow for 李娜 (the reminders step), visits today in
// 张伟's team (今日团队, the digest), and deals for the funnel.
func TestActivity(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		loc, _ := time.LoadLocation("Asia/Shanghai")
		svc := domain.NewService(s, loc, domaintest.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, loc)).Now)
		c, err := demo.Fill(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := demo.Activity(ctx, svc, c); err != nil {
			t.Fatal(err)
		}
		today, tomorrow := domain.Date("2026-12-02"), domain.Date("2026-12-03")
		lina := c.Member("李娜")
		tasks, err := svc.OpenFollowUps(ctx, lina, tomorrow)
		if err != nil {
			t.Fatal(err)
		}
		due := map[domain.Date][]string{}
		for _, tv := range tasks {
			due[tv.Task.Due] = append(due[tv.Task.Due], tv.Customer+tv.Task.Title)
		}
		if len(due[tomorrow]) != 1 || len(due[today]) != 1 {
			t.Errorf("李娜's follow-ups = %v; want one today and one tomorrow", due)
		}
		east := c.Team("华东大客户部")
		visits, err := svc.TeamDay(ctx, c.Member("张伟"), east.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(visits) != 2 {
			t.Errorf("华东 visits today = %d; want 2 (王强, 刘洋)", len(visits))
		}
		for _, name := range []string{"金石重工股份有限公司", "德润精密机械有限公司", "德润医疗器械有限公司"} {
			vs, err := s.ListVisits(ctx, domain.VisitFilter{CustomerID: c.Customer(name).ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != 0 {
				t.Errorf("%s has %d demo visits; README's first steps report on it fresh", name, len(vs))
			}
		}
	})
}
