package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"salesbot/domain"
)

// Scheduler runs each team's jobs when they are due. Every minute (Tick)
// it looks, per team and job, for an occurrence of the job's cron spec
// within the job's window before now, on a day the job's rule allows
// (working days, the month's last working day). An occurrence whose window
// is still open runs even if its minute has passed, so that a job missed
// while every replica was down runs on start-up.
//
// Each occurrence is an instance (job, team, period). A replica runs it
// under a Redis lock and marks it done afterwards; the outbox's unique keys
// make a second run harmless even if the lock or the mark is lost.
type Scheduler struct {
	r     *Runner
	ob    *Outbox
	locks Locker
	log   *slog.Logger
	now   func() time.Time

	mu   sync.Mutex
	done map[string]bool // instances this replica knows are done

	// Hold, when set and true, makes a Tick run nothing: the jobs wait
	// (while messages from a database outage are still being applied, so
	// that digests and boards count them). Due instances run on a later
	// Tick while their window is open.
	Hold func(context.Context) bool
}

// NewScheduler builds a Scheduler on the Runner's clock.
func NewScheduler(r *Runner, ob *Outbox, locks Locker, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{r: r, ob: ob, locks: locks, log: log, now: r.now, done: map[string]bool{}}
}

const (
	runLease = 10 * time.Minute    // a replica that dies mid-run frees the instance after this
	doneTTL  = 40 * 24 * time.Hour // how long a finished instance is remembered in Redis
	lockNS   = "job"               // lock and mark name prefix
	// keepPushes is how long settled pushes stay in the outbox.
	keepPushes = 35 * 24 * time.Hour
)

// Instance is one due job occurrence.
type Instance struct {
	Job    string
	TeamID int64
	Day    domain.Date
	Period string
}

func (i Instance) name() string { return fmt.Sprintf("%s:%s:%d:%s", lockNS, i.Job, i.TeamID, i.Period) }

// Due lists the job instances whose window is open at now, run or not.
func (s *Scheduler) Due(ctx context.Context, now time.Time) ([]Instance, error) {
	due, _, _, err := s.due(ctx, now)
	return due, err
}

func (s *Scheduler) due(ctx context.Context, now time.Time) ([]Instance, *settings, *Calendar, error) {
	loc := s.r.loc
	now = now.In(loc)
	teams, err := s.r.st.ListTeams(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	set, err := loadSettings(ctx, s.r.st)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, e := range set.bad {
		s.log.Warn("bad job setting; using the default", "err", e)
	}
	today := domain.DateOf(now, loc)
	cal, err := domain.LoadCalendar(ctx, s.r.st, today.AddDays(-45), today.AddDays(45))
	if err != nil {
		return nil, nil, nil, err
	}
	var out []Instance
	for _, t := range teams {
		cfg := set.team(t.ID)
		for _, j := range allJobs() {
			spec := cfg.Schedules[j.name]
			if spec == "off" || spec == "" {
				continue
			}
			sched, err := cron.ParseStandard(spec)
			if err != nil {
				continue // loadSettings reported it
			}
			occ := sched.Next(now.Add(-j.window))
			if occ.After(now) {
				continue
			}
			day := domain.DateOf(occ, loc)
			if !j.days.holds(cal, day) {
				continue
			}
			out = append(out, Instance{Job: j.name, TeamID: t.ID, Day: day, Period: j.period(day)})
		}
	}
	return out, set, cal, nil
}

// Tick runs every job instance due at now that no replica has run yet.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	if s.Hold != nil && s.Hold(ctx) {
		s.log.Info("jobs wait: held")
		return nil
	}
	due, set, cal, err := s.due(ctx, now)
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	var (
		wg   sync.WaitGroup
		sem  = make(chan struct{}, s.r.cfg.Workers)
		mu   sync.Mutex
		errs []error
	)
	for _, in := range due {
		if s.isDone(in) {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := s.runInstance(ctx, in, set, cal); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("scheduler: %d job instances failed, first: %w", len(errs), errs[0])
	}
	return nil
}

func (s *Scheduler) isDone(in Instance) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done[in.name()]
}

func (s *Scheduler) markDone(in Instance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done[in.name()] = true
	if len(s.done) > 50_000 { // forget old ones; Redis still remembers
		s.done = map[string]bool{in.name(): true}
	}
}

// runInstance runs one instance under its lock, unless it is done.
func (s *Scheduler) runInstance(ctx context.Context, in Instance, set *settings, cal *Calendar) error {
	log := s.log.With("job", in.Job, "team_id", in.TeamID, "period", in.Period)
	mark := in.name() + ":done"
	if _, ok, err := s.locks.GetState(ctx, mark); err != nil {
		return fmt.Errorf("%s: %w", in.name(), err)
	} else if ok {
		s.markDone(in)
		return nil
	}
	got, release, err := s.locks.AcquireLock(ctx, in.name(), runLease)
	if err != nil {
		return fmt.Errorf("%s: %w", in.name(), err)
	}
	if !got {
		return nil // another replica is running it
	}
	defer func() {
		if err := release(context.WithoutCancel(ctx)); err != nil {
			log.Warn("release job lock", "err", err)
		}
	}()
	// Another replica may have finished it between the check and the lock.
	if _, ok, err := s.locks.GetState(ctx, mark); err != nil {
		return fmt.Errorf("%s: %w", in.name(), err)
	} else if ok {
		s.markDone(in)
		return nil
	}
	team, err := s.r.st.TeamByID(ctx, in.TeamID)
	if err != nil {
		return fmt.Errorf("%s: %w", in.name(), err)
	}
	env, err := s.r.envFor(ctx, team, in.Day, set, cal)
	if err != nil {
		return fmt.Errorf("%s: %w", in.name(), err)
	}
	start := time.Now()
	res, err := s.r.run(ctx, s.r.jobs[in.Job], env)
	if err != nil {
		log.Error("job failed; will retry while its window is open", "err", err)
		return err
	}
	if err := s.locks.SetState(ctx, mark, []byte("1"), doneTTL); err != nil {
		return fmt.Errorf("%s: mark done: %w", in.name(), err)
	}
	s.markDone(in)
	log.Info("job ran", "day", in.Day, "planned", res.Planned, "queued", res.Queued, "already_queued", res.Existing, "took", time.Since(start))
	return nil
}

// Start runs the scheduler on the wall clock until stop is called: a tick
// now (catching up on instances missed while no replica was up), then one
// at the start of every minute, and the outbox drained every few seconds.
// Both run through robfig/cron in SALESBOT_TZ, with panics recovered and a
// run skipped while the previous one is still going. stop waits for running
// ticks and drains to finish, or for ctx to end.
func (s *Scheduler) Start(ctx context.Context) (stop func(context.Context) error, err error) {
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	cl := cronLogger{s.log}
	c := cron.New(cron.WithLocation(s.r.loc), cron.WithLogger(cl),
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	tick := func() {
		if err := s.Tick(runCtx, s.now()); err != nil && runCtx.Err() == nil {
			s.log.Error("scheduler tick", "err", err)
		}
	}
	drain := func() {
		if _, err := s.ob.Drain(runCtx, s.now()); err != nil && runCtx.Err() == nil {
			s.log.Error("outbox drain", "err", err)
		}
	}
	if _, err := c.AddFunc("* * * * *", tick); err != nil {
		cancel()
		return nil, err
	}
	if _, err := c.AddFunc("@every 5s", drain); err != nil {
		cancel()
		return nil, err
	}
	// Sent and failed pushes are kept a while for the record, then pruned.
	if _, err := c.AddFunc("17 4 * * *", func() {
		n, err := s.r.st.PrunePushes(runCtx, s.now().Add(-keepPushes), false)
		if err != nil && runCtx.Err() == nil {
			s.log.Error("prune outbox", "err", err)
		} else if n > 0 {
			s.log.Info("outbox pruned", "pushes", n)
		}
	}); err != nil {
		cancel()
		return nil, err
	}
	first := make(chan struct{})
	go func() {
		defer close(first)
		tick()
		drain()
	}()
	c.Start()
	return func(sctx context.Context) error {
		cancel()
		done := c.Stop()
		select {
		case <-done.Done():
		case <-sctx.Done():
			return sctx.Err()
		}
		select {
		case <-first:
			return nil
		case <-sctx.Done():
			return sctx.Err()
		}
	}, nil
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
