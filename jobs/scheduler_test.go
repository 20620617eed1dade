package jobs_test

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/kv/kvtest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// Thirty simulated days of January 2026, with 元旦 and its make-up workday,
// on three replicas sharing the database and Redis: every push is delivered
// exactly once.
func TestThirtyDaysThreeReplicas(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(1, 0, 0))
		h.holidays2026()
		for _, tg := range []domain.Target{
			{TeamID: h.East.ID, Month: "2026-01", Metric: domain.MetricVisits, Value: 60},
			{TeamID: h.East.ID, MemberID: h.EastReps[0].ID, Month: "2026-01", Metric: domain.MetricWonAmount, Value: 1_000_000},
		} {
			if err := s.SaveTarget(h.ctx, &tg); err != nil {
				t.Fatal(err)
			}
		}
		replicas := []replica{h.replica(jobs.Config{}, nil), h.replica(jobs.Config{}, nil), h.replica(jobs.Config{}, nil)}
		cal := domain.NewCalendar([]domain.CalendarDay{{Date: "2026-01-01"}, {Date: "2026-01-02"}, {Date: "2026-01-04", Working: true}})
		reps := append(append([]domain.Member{}, h.EastReps...), h.SouthReps...)
		owned := map[int64][]domain.Customer{}
		for _, c := range h.Customers {
			owned[c.OwnerID] = append(owned[c.OwnerID], c)
		}

		wantNudges := map[string]bool{} // period|member
		for day := 1; day <= 30; day++ {
			date := domain.DateOf(at(day, 12, 0), cst)
			for _, step := range steps() {
				now := at(day, step/60, step%60)
				h.clock.Set(now)
				if step == 11*60 && cal.Working(date) {
					for i, m := range reps {
						if i%3 == 2 && day%2 == 1 {
							wantNudges[string(date)+"|"+m.Name] = true
							continue // the third rep of each team skips odd days
						}
						cs := owned[m.ID]
						c := cs[day%len(cs)]
						r := domain.Report{Facts: domain.Facts{Channel: domain.ChannelOnsite, NextDate: cal.NextWorkingDay(date), NextAction: "回访"}}
						if day%5 == 0 {
							r.Stage, r.Amount = domain.StageWon, int64(100_000*(i+1))
						}
						rec := h.report(m, c.Name, r)
						replicas[i%3].runner.Boards().Record(h.ctx, rec)
					}
				}
				everyReplica(t, replicas, tick(h.ctx, now))
				everyReplica(t, replicas, drain(h.ctx, now))
			}
		}
		h.clock.Set(at(31, 9, 0))
		everyReplica(t, replicas, drain(h.ctx, at(31, 9, 0)))

		all := h.pushes(domain.PushFilter{})
		sent := h.rec.replies()
		if len(all) == 0 {
			t.Fatal("nothing was pushed")
		}
		for _, p := range all {
			if p.Status != domain.PushSent {
				t.Errorf("push %s is %s (%s)", p.Key, p.Status, p.LastError)
			}
		}
		if len(sent) != len(all) {
			t.Errorf("the platform got %d messages for %d queued pushes", len(sent), len(all))
		}
		seen := map[string]int{}
		for _, r := range sent {
			id := r.To.UserID + "|" + r.To.ChatID + "|" + r.Text
			if r.Card != nil {
				id += "|" + r.Card.ID
			}
			seen[id]++
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("delivered %d times: %.80s", n, id)
			}
		}

		// Per job and period, who got what.
		got := map[string][]string{}
		for _, p := range all {
			got[p.Job] = append(got[p.Job], p.Period+"|"+p.Recipient)
		}
		workdays := []string{"2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09",
			"2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16", "2026-01-19", "2026-01-20", "2026-01-21",
			"2026-01-22", "2026-01-23", "2026-01-26", "2026-01-27", "2026-01-28", "2026-01-29", "2026-01-30"}
		var wantDigest []string
		for _, d := range workdays {
			for _, m := range []domain.Member{h.EastManager, h.SouthManager} {
				wantDigest = append(wantDigest, d+"|"+recipient(m))
			}
		}
		checkSet(t, "digest", got[jobs.JobDigest], wantDigest)
		checkSet(t, "leaderboard", got[jobs.JobLeaderboard], []string{
			"2026-01-05|g", "2026-01-05|g", "2026-01-12|g", "2026-01-12|g", "2026-01-19|g", "2026-01-19|g", "2026-01-26|g", "2026-01-26|g",
		})
		checkSet(t, "monthend", got[jobs.JobMonthEnd], []string{"2026-01|g", "2026-01|g"})
		for _, p := range h.pushes(domain.PushFilter{Job: jobs.JobMonthEnd}) {
			if !p.SentAt.Equal(at(30, 17, 0)) {
				t.Errorf("month-end report sent at %v, want the last working day 30 Jan 17:00", p.SentAt.In(cst))
			}
		}
		var nudges []string
		for _, p := range h.pushes(domain.PushFilter{Job: jobs.JobNudge}) {
			r, _ := jobs.ResolvePush(h.ctx, h.store, p)
			nudges = append(nudges, p.Period+"|"+nameOf(h, r.To.UserID))
		}
		var wantN []string
		for k := range wantNudges {
			wantN = append(wantN, k)
		}
		checkSet(t, "nudge", nudges, wantN)
		for _, job := range []string{jobs.JobReminders, jobs.JobNudge, jobs.JobDigest} {
			for _, p := range h.pushes(domain.PushFilter{Job: job}) {
				if !cal.Working(domain.Date(p.Period)) {
					t.Errorf("%s pushed on a day off: %s", job, p.Key)
				}
			}
		}
		if n := len(got[jobs.JobReminders]); n == 0 {
			t.Error("no morning reminders")
		}
	})
}

// steps are the minutes of the day the simulation looks at: every half
// hour from 07:00 to 22:30.
func steps() []int {
	var out []int
	for m := 7 * 60; m <= 22*60+30; m += 30 {
		out = append(out, m)
	}
	return out
}

func recipient(m domain.Member) string { return "m" + strconv.FormatInt(m.ID, 10) }

func nameOf(h *harness, simUser string) string {
	for _, m := range h.Members {
		if m.SimUserID == simUser {
			return m.Name
		}
	}
	return simUser
}

func checkSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s pushes:\n got %v\nwant %v", what, got, want)
	}
}

// The scheduler honours holidays and make-up workdays, and runs a job
// missed while every replica was down if its window is still open.
func TestDue(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(1, 0, 0))
	h.holidays2026()
	if err := s.SaveCalendarDay(h.ctx, domain.CalendarDay{Date: "2026-01-30", Note: "假想的假日"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSetting(h.ctx, domain.Setting{TeamID: h.South.ID, Name: "schedule.digest", Value: "30 19 * * *"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSetting(h.ctx, domain.Setting{TeamID: h.South.ID, Name: "schedule.nudge", Value: "off"}); err != nil {
		t.Fatal(err)
	}
	r := h.replica(jobs.Config{}, nil)
	tests := []struct {
		name string
		now  time.Time
		want []string // job:team:day, east then south
	}{
		{"HolidayThursday", at(1, 20, 30), nil},
		{"HolidayFriday", at(2, 8, 45), nil},
		{"Saturday", at(3, 20, 30), nil},
		{"MakeUpSunday", at(4, 20, 30), []string{"digest:E:2026-01-04", "digest:S:2026-01-04"}},
		{"BeforeTime", at(5, 8, 29), nil},
		{"OnTime", at(5, 8, 30), []string{"reminders:E:2026-01-05", "reminders:S:2026-01-05"}},
		{"MondayLeaderboard", at(5, 9, 0), []string{"reminders:E:2026-01-05", "leaderboard:E:2026-01-05", "reminders:S:2026-01-05", "leaderboard:S:2026-01-05"}},
		{"TeamSchedule", at(6, 19, 45), []string{"nudge:E:2026-01-06", "digest:S:2026-01-06"}},
		{"MissedButWindowOpen", at(6, 22, 20), []string{"digest:E:2026-01-06", "digest:S:2026-01-06"}},
		{"SouthWindowClosed", at(6, 22, 50), []string{"digest:E:2026-01-06"}},
		{"WindowClosed", at(6, 23, 10), nil},
		{"LastWorkingDayBeforeHoliday", at(29, 17, 5), []string{"monthend:E:2026-01-29", "monthend:S:2026-01-29"}},
		{"NoMonthEndOnHoliday", at(30, 17, 5), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, err := r.sched.Due(h.ctx, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, in := range due {
				team := "E"
				if in.TeamID == h.South.ID {
					team = "S"
				}
				if in.Job == jobs.JobStale {
					continue
				}
				got = append(got, in.Job+":"+team+":"+string(in.Day))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("due at %v:\n got %v\nwant %v", tt.now.Format("01-02 15:04"), got, tt.want)
			}
		})
	}
}

func TestCalendar(t *testing.T) {
	t.Parallel()
	c := domain.NewCalendar([]domain.CalendarDay{
		{Date: "2026-10-01"}, {Date: "2026-10-02"}, {Date: "2026-10-05"}, {Date: "2026-10-06"}, {Date: "2026-10-07"},
		{Date: "2026-09-28", Working: true}, {Date: "2026-10-10", Working: true},
	})
	tests := []struct {
		day     domain.Date
		working bool
		last    bool // last working day of its month
	}{
		{"2026-09-28", true, false}, // Monday anyway
		{"2026-09-30", true, true},
		{"2026-10-01", false, false},
		{"2026-10-03", false, false}, // Saturday
		{"2026-10-08", true, false},
		{"2026-10-10", true, false}, // make-up Saturday
		{"2026-10-11", false, false},
		{"2026-10-30", true, true}, // Friday; 31 is a Saturday
	}
	for _, tt := range tests {
		if got := c.Working(tt.day); got != tt.working {
			t.Errorf("Working(%s) = %v, want %v", tt.day, got, tt.working)
		}
		if got := c.LastWorkingDay(tt.day); got != tt.last {
			t.Errorf("LastWorkingDay(%s) = %v, want %v", tt.day, got, tt.last)
		}
	}
	if got := c.NextWorkingDay("2026-09-30"); got != "2026-10-08" {
		t.Errorf("NextWorkingDay(09-30) = %s, want 10-08", got)
	}
	if got := c.PrevWorkingDay("2026-10-08"); got != "2026-09-30" {
		t.Errorf("PrevWorkingDay(10-08) = %s, want 09-30", got)
	}
	if got := c.WorkingDaysAfter("2026-09-29", "2026-10-09"); got != 3 { // 30, 8, 9
		t.Errorf("WorkingDaysAfter = %d, want 3", got)
	}
}

// A replica that finds an instance done (by another replica) does not run
// it, and a second Tick of the same replica is a no-op.
func TestTickOnce(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 20, 0))
	a, b := h.replica(jobs.Config{}, nil), h.replica(jobs.Config{}, nil)
	for _, r := range []replica{a, a, b} {
		if err := r.sched.Tick(h.ctx, at(6, 20, 0)); err != nil {
			t.Fatal(err)
		}
	}
	ps := h.pushes(domain.PushFilter{Job: jobs.JobDigest})
	if len(ps) != 2 {
		t.Fatalf("digest pushes = %d, want 2 (one per manager)", len(ps))
	}
	// Redis lost: the outbox still refuses a second copy.
	kvtest.Flush(t, h.kv)
	c := h.replica(jobs.Config{}, nil)
	if err := c.sched.Tick(h.ctx, at(6, 20, 1)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.pushes(domain.PushFilter{Job: jobs.JobDigest})); n != 2 {
		t.Errorf("after Redis lost its marks: %d digest pushes, want 2", n)
	}
	if _, err := c.outbox.Drain(h.ctx, at(6, 20, 1)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.rec.replies()); n != 2 {
		t.Errorf("sent %d, want 2", n)
	}
}

// Held (messages of a database outage still being applied), a Tick runs
// nothing; the next one, released, runs what is due.
func TestTickHeld(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 20, 0))
	a := h.replica(jobs.Config{}, nil)
	held := true
	a.sched.Hold = func(context.Context) bool { return held }
	if err := a.sched.Tick(h.ctx, at(6, 20, 0)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.pushes(domain.PushFilter{Job: jobs.JobDigest})); n != 0 {
		t.Fatalf("held: %d digest pushes", n)
	}
	held = false
	if err := a.sched.Tick(h.ctx, at(6, 20, 5)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.pushes(domain.PushFilter{Job: jobs.JobDigest})); n != 2 {
		t.Errorf("released: %d digest pushes, want 2", n)
	}
}

// Started after every replica was down at 20:00, the scheduler runs the
// digest at once while its window is open, and delivers it.
func TestStartCatchesUp(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 21, 30))
	r := h.replica(jobs.Config{}, nil)
	stop, err := r.sched.Start(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(h.rec.replies()) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	sctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
	defer cancel()
	if err := stop(sctx); err != nil {
		t.Fatal(err)
	}
	got := h.rec.replies()
	if len(got) != 2 {
		t.Fatalf("sent %d, want the two managers' digests", len(got))
	}
	for _, rep := range got {
		if !strings.Contains(rep.Text, "日报 · 1月6日") {
			t.Errorf("sent %q", rep.Text)
		}
	}
}
