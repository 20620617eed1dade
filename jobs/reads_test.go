package jobs_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// countingStore counts a job's reads of open follow-ups and of all stage
// moves (not those of one stage, which the boards read).
type countingStore struct {
	*store.Store
	mu           sync.Mutex
	tasks, moves int
}

func (c *countingStore) OpenTasks(ctx context.Context, teamID int64, from, to domain.Date) ([]domain.TaskView, error) {
	c.mu.Lock()
	c.tasks++
	c.mu.Unlock()
	return c.Store.OpenTasks(ctx, teamID, from, to)
}

func (c *countingStore) StageMoves(ctx context.Context, f domain.StageMoveFilter) ([]domain.StageMove, error) {
	if f.ToStage == "" { // not the boards' won deals
		c.mu.Lock()
		c.moves++
		c.mu.Unlock()
	}
	return c.Store.StageMoves(ctx, f)
}

// The morning message and the digest each read the team's open follow-ups
// and its stage moves once, however many of their parts (reminders, risks,
// the day's moves, tomorrow's follow-ups) use them, and say the same as
// before: the overdue follow-up in the morning, tomorrow's in the digest.
func TestJobsReadTasksAndMovesOnce(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(5, 10, 0))
		wang := h.EastReps[1]
		h.report(wang, "德润精密机械有限公司", domain.Report{Facts: domain.Facts{NextDate: "2026-01-06", NextAction: "送报价"}})
		h.clock.Set(at(6, 10, 0))
		h.report(wang, "德润医疗器械有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 100_000, NextDate: "2026-01-08", NextAction: "演示"}})

		cs := &countingStore{Store: s}
		r := jobs.NewRunner(jobs.Deps{Store: cs, KV: h.kv, Senders: bot.Senders{domain.PlatformSim: h.rec}, Pool: h.svc, Loc: cst, Now: h.clock.Now}, jobs.Config{})
		day := domain.Date("2026-01-07")
		for job, want := range map[string]string{jobs.JobReminders: "送报价", jobs.JobDigest: "演示"} {
			cs.tasks, cs.moves = 0, 0
			msgs, err := r.Plan(h.ctx, job, h.East.ID, day)
			if err != nil {
				t.Fatal(err)
			}
			if cs.tasks != 1 {
				t.Errorf("%s read open follow-ups %d times, want once", job, cs.tasks)
			}
			if job == jobs.JobDigest && cs.moves != 1 {
				t.Errorf("%s read stage moves %d times, want once", job, cs.moves)
			}
			var text strings.Builder
			for _, m := range msgs {
				text.WriteString(m.Reply.Text)
			}
			if !strings.Contains(text.String(), want) {
				t.Errorf("%s does not mention %s:\n%s", job, want, text.String())
			}
		}
	})
}
