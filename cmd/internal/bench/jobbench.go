package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/domain/kv"
	"salesbot/domain/store"
	"salesbot/jobs"
	"salesbot/jobs/chart"
)

// JobOptions are the flags of `salesbot job bench`.
type JobOptions struct {
	DSN       string // MySQL server (the database name is DB)
	DB        string // database to keep the bench data in (created and filled when needed)
	Teams     int
	Reps      int // spread over the teams; each team also has a manager
	Deals     int // one customer each
	Visits    int // in all, today's included
	Years     int // years of history the deals span
	VisitDays int // days of history the visits span (0: as many as two visits per rep a day fill)
	Reseed    bool
	NoCharts  bool
	RedisURL  string // "": the in-process stand-in
	TZ        *time.Location
	// CPUProfile is where to write a CPU profile of the timed jobs ("": none).
	CPUProfile string
}

// RunJobs times the 03:00 pool job, the 08:30 morning message, the 10:00
// stale alerts, the 18:00 nudge and the 20:00 digest for every team, and
// the weekly leaderboard, on a large MySQL database (salesbot job bench).
//
// It keeps its data in a database of its own (default salesbot_jobbench on
// the server of --dsn), seeded once per size with bulk inserts: teams,
// reps, customers, deals with their stage history, visits spread over
// years, follow-ups, and the same amount of activity "today" whatever the
// size of the history. Redis keys get a prefix of their own. It then runs
// the digest through the scheduler (locks, outbox) and the leaderboard
// through the runner, first with Redis empty (leaderboards rebuilt from the
// database) and then warm, and prints the times.
func RunJobs(ctx context.Context, o JobOptions, stdout, stderr io.Writer) error {
	if o.Teams <= 0 || o.Reps < o.Teams || o.Deals < o.Reps || o.Visits < 2*o.Reps || o.Years <= 0 {
		return errors.New("job bench: need teams > 0, reps >= teams, deals >= reps, visits >= 2*reps, years > 0")
	}
	loc := o.TZ
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	now := time.Now().In(loc)
	day := domain.DateOf(now, loc)
	if o.VisitDays <= 0 {
		o.VisitDays = max(1, (o.Visits-2*o.Reps)/(2*o.Reps))
	}
	spec := benchSpec{teams: o.Teams, reps: o.Reps, deals: o.Deals, visits: o.Visits, years: o.Years, visitDays: o.VisitDays, day: day, loc: loc}
	st, fresh, err := benchStore(ctx, o.DSN, o.DB, spec, o.Reseed)
	if err != nil {
		return err
	}
	defer st.Close()
	if fresh {
		start := time.Now()
		fmt.Fprintf(stdout, "job bench: seeding %s: %d teams, %d reps, %d deals over %d years, %d visits over %d days (today %s)\n",
			o.DB, spec.teams, spec.reps, spec.deals, spec.years, spec.visits, spec.visitDays, day)
		if err := seedJobBench(ctx, st, spec, stdout); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "job bench: seeded in %s\n", time.Since(start).Round(time.Second))
	} else {
		fmt.Fprintf(stdout, "job bench: %s already holds %d visits for today %s (use --reseed to refill)\n", o.DB, spec.visits, day)
	}

	var b [6]byte
	rand.Read(b[:])
	k, err := kv.Open(ctx, kv.Config{URL: o.RedisURL, Prefix: "salesbot-jobbench-" + hex.EncodeToString(b[:]) + ":"})
	if err != nil {
		return err
	}
	defer func() {
		k.DeleteMatching(context.Background(), "*")
		k.Close()
	}()
	var charts *chart.Renderer
	if !o.NoCharts {
		if path, err := chart.FindFont(); err == nil {
			charts, _ = chart.New(path)
		}
	}
	senders := bot.Senders{domain.PlatformSim: discard{}}
	at20 := time.Date(now.Year(), now.Month(), now.Day(), 20, 0, 0, 0, loc)
	clock := func() time.Time { return at20 }
	svc := domain.NewService(st, loc, clock)
	runner := jobs.NewRunner(jobs.Deps{Store: st, KV: k, Senders: senders, Pool: svc, Charts: charts, Log: log, Loc: loc, Now: clock}, jobs.Config{})
	outbox := jobs.NewOutbox(jobs.OutboxDeps{Store: st, Limiter: k, Sender: senders, Settings: st, Log: log, Loc: loc}, jobs.Config{})
	monday := jobs.Week(day).From

	fmt.Fprintf(stdout, "job bench: MySQL, %s Redis, charts %v, GOMAXPROCS %d\n",
		map[bool]string{true: "in-process", false: "real"}[k.Embedded()], charts != nil, runtime.GOMAXPROCS(0))
	stopProfile, err := startProfile(o.CPUProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if err := benchMorning(ctx, runner, st, day, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-6s %12s %14s %10s %8s\n", "redis", "digest 20:00", "leaderboard", "total", "pushes")
	for _, phase := range []string{"cold", "warm"} {
		if _, err := st.PrunePushes(ctx, at20.Add(time.Hour), true); err != nil {
			return err
		}
		k.DeleteMatching(ctx, "state:job:*") // forget which instances ran
		sched := jobs.NewScheduler(runner, outbox, k, log)
		t0 := time.Now()
		if err := sched.Tick(ctx, at20); err != nil {
			return err
		}
		digest := time.Since(t0)
		t1 := time.Now()
		if err := benchLeaderboard(ctx, runner, st, monday); err != nil {
			return err
		}
		board := time.Since(t1)
		counts, err := st.CountPushes(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-6s %11.2fs %13.2fs %9.2fs %8d\n", phase, digest.Seconds(), board.Seconds(), (digest + board).Seconds(), counts[domain.PushPending])
	}
	fmt.Fprintln(stdout, "cold: leaderboards rebuilt from MySQL (the month for the digest's targets, two weeks for the leaderboard); warm: read from Redis")
	return nil
}

// runForTeams runs a job for every team, four teams at a time, as the
// scheduler does, and adds up what the runs changed and planned.
func runForTeams(ctx context.Context, r *jobs.Runner, st *store.Store, job string, day domain.Date) (changed, planned int, err error) {
	teams, err := st.ListTeams(ctx)
	if err != nil {
		return 0, 0, err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, 4)
	)
	for _, t := range teams {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res, err := r.Run(ctx, job, t.ID, day)
			mu.Lock()
			defer mu.Unlock()
			changed, planned = changed+res.Changed, planned+res.Planned
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	return changed, planned, errors.Join(errs...)
}

// benchLeaderboard runs the Monday leaderboard for every team.
func benchLeaderboard(ctx context.Context, r *jobs.Runner, st *store.Store, monday domain.Date) error {
	_, _, err := runForTeams(ctx, r, st, jobs.JobLeaderboard, monday)
	return err
}

// benchMorning times the pool job (03:00: recycle what is due), the
// morning message (08:30: follow-ups, stale deals, risks and pool
// warnings), the stale-deal alerts (10:00) and the evening nudge (18:00)
// for every team. The pool job first runs for yesterday,
// untimed in spirit: the seeded owners' clocks start over the last 45 days,
// so that run moves the backlog a live deployment would have moved day by
// day; today's run then moves what falls due today, and a rerun moves
// nothing.
func benchMorning(ctx context.Context, r *jobs.Runner, st *store.Store, day domain.Date, stdout io.Writer) error {
	fmt.Fprintf(stdout, "%-26s %10s %10s %10s\n", "job", "time", "recycled", "messages")
	for _, run := range []struct {
		label, job string
		day        domain.Date
	}{
		{"pool yesterday (backlog)", jobs.JobPool, day.AddDays(-1)},
		{"pool 03:00", jobs.JobPool, day},
		{"pool 03:00 again", jobs.JobPool, day},
		{"morning 08:30", jobs.JobReminders, day},
		{"stale 10:00", jobs.JobStale, day},
		{"nudge 18:00", jobs.JobNudge, day},
	} {
		start := time.Now()
		changed, msgs, err := runForTeams(ctx, r, st, run.job, run.day)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-26s %9.2fs %10d %10d\n", run.label, time.Since(start).Seconds(), changed, msgs)
	}
	return nil
}

type benchSpec struct {
	teams, reps, deals, visits, years, visitDays int
	day                                          domain.Date
	loc                                          *time.Location
}

func (s benchSpec) mark() string {
	return fmt.Sprintf("%d/%d/%d/%d/%d/%d/%s", s.teams, s.reps, s.deals, s.visits, s.years, s.visitDays, s.day)
}

const benchMark = "jobbench.seeded"

// benchStore opens the bench database, recreating it empty (fresh) unless
// it already holds this size for today.
func benchStore(ctx context.Context, dsn, name string, spec benchSpec, reseed bool) (*store.Store, bool, error) {
	mc, err := gomysql.ParseDSN(dsn)
	if err != nil {
		return nil, false, fmt.Errorf("--dsn: %w", err)
	}
	if strings.ContainsAny(name, "`;/ ") || name == "" {
		return nil, false, fmt.Errorf("--db %q: not a plain database name", name)
	}
	mc.DBName = ""
	admin, err := sql.Open("mysql", mc.FormatDSN())
	if err != nil {
		return nil, false, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return nil, false, fmt.Errorf("create database %s: %w", name, err)
	}
	mc.DBName = name
	st, err := store.Open(ctx, store.Config{MySQLDSN: mc.FormatDSN(), AutoMigrate: true})
	if err != nil {
		return nil, false, err
	}
	if !reseed {
		set, err := st.ListSettings(ctx)
		if err != nil {
			st.Close()
			return nil, false, err
		}
		for _, s := range set {
			if s.Name == benchMark && s.Value == spec.mark() {
				return st, false, nil
			}
		}
	}
	st.Close()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE `"+name+"`"); err != nil {
		return nil, false, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return nil, false, err
	}
	st, err = store.Open(ctx, store.Config{MySQLDSN: mc.FormatDSN(), AutoMigrate: true})
	return st, true, err
}

// seedJobBench fills an empty database. The history is random but fixed
// (a seeded generator); today always has two visits per rep, a few deals
// opened, moved, won and lost per team, and follow-ups for tomorrow.
func seedJobBench(ctx context.Context, st *store.Store, s benchSpec, stdout io.Writer) error {
	rng := mrand.New(mrand.NewPCG(1, 2))
	loc := s.loc
	today := s.day.Time(loc)
	historyDays := s.years * 365
	created := today.AddDate(-s.years, 0, -7)

	var b store.Bulk
	repsOf := map[int64][]int64{} // team → reps
	var repIDs []int64
	teamOf := map[int64]int64{} // member → team
	memberID := int64(0)
	for t := 1; t <= s.teams; t++ {
		b.Teams = append(b.Teams, domain.Team{ID: int64(t), Name: fmt.Sprintf("压测%03d组", t), CreatedAt: created})
		memberID++
		b.Members = append(b.Members, domain.Member{ID: memberID, Name: fmt.Sprintf("经理%03d", t), Role: domain.RoleManager,
			TeamID: int64(t), SimUserID: fmt.Sprintf("bm%d", memberID), Active: true, CreatedAt: created})
	}
	for i := 0; i < s.reps; i++ {
		memberID++
		team := int64(i%s.teams + 1)
		b.Members = append(b.Members, domain.Member{ID: memberID, Name: fmt.Sprintf("销售%04d", i+1), Role: domain.RoleRep,
			TeamID: team, SimUserID: fmt.Sprintf("bm%d", memberID), Active: true, CreatedAt: created})
		repsOf[team] = append(repsOf[team], memberID)
		repIDs = append(repIDs, memberID)
		teamOf[memberID] = team
	}

	// One customer and one deal each; the deal's story in stage changes.
	openStages := domain.Stages[:5]
	customersOf := map[int64][]int64{} // rep → customers (= deals)
	// IDs follow time, as they do in a live database: the recent rows of
	// every table sit together at its end.
	starts := make([]time.Time, s.deals)
	for i := range starts {
		starts[i] = today.Add(-time.Duration(24+rng.IntN(historyDays*24)) * time.Hour)
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	todayOpen := map[int64]int{}
	for i := 1; i <= s.deals; i++ {
		id := int64(i)
		owner := repIDs[(i-1)%len(repIDs)]
		team := teamOf[owner]
		customersOf[owner] = append(customersOf[owner], id)
		tier := domain.TierC
		switch r := rng.IntN(10); {
		case r < 2:
			tier = domain.TierA
		case r < 5:
			tier = domain.TierB
		}
		// Owners got their customers over the last 45 days, so that some
		// come due for the pool every day.
		b.Customers = append(b.Customers, domain.Customer{ID: id, Name: fmt.Sprintf("压测客户%06d", i), Tier: tier,
			OwnerID: owner, TeamID: team, OwnedSince: today.AddDate(0, 0, -rng.IntN(45)), CreatedAt: created})
		start := starts[i-1]
		last := start.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
		if !last.Before(today) {
			last = today.Add(-time.Hour)
		}
		final := openStages[rng.IntN(len(openStages))]
		switch r := rng.IntN(100); {
		case r < 35:
			final = domain.StageWon
		case r < 60:
			final = domain.StageLost
		}
		// Today, per team: five deals move (one won, one lost) and two
		// are opened.
		if n := todayOpen[team]; i > s.deals-7*s.teams && n < 7 {
			todayOpen[team]++
			last = today.Add(time.Duration(9+n) * time.Hour)
			switch n {
			case 0:
				final = domain.StageWon
			case 1:
				final = domain.StageLost
			case 5, 6:
				start, final = last, domain.StageProspecting
			default:
				final = openStages[1+rng.IntN(4)]
			}
		}
		path := []domain.Stage{domain.StageProspecting}
		if final.Closed() {
			path = append(path, openStages[1+rng.IntN(4)])
		}
		if final != domain.StageProspecting {
			path = append(path, final)
		}
		amount := int64(10+rng.IntN(1990)) * 1000
		b.Deals = append(b.Deals, domain.Deal{ID: id, CustomerID: id, OwnerID: owner, TeamID: team, Title: b.Customers[i-1].Name,
			Stage: final, Amount: amount, Status: domain.StatusFor(final), LastActivityAt: last, CreatedAt: start})
		for k, stg := range path {
			at := start.Add(last.Sub(start) * time.Duration(k) / time.Duration(len(path)))
			from := domain.Stage("")
			if k > 0 {
				from = path[k-1]
			}
			if k == len(path)-1 {
				at = last
			}
			b.StageChanges = append(b.StageChanges, domain.StageChange{DealID: id, MemberID: owner, From: from, To: stg, Amount: amount, At: at})
		}
	}
	slices.SortStableFunc(b.StageChanges, func(x, y domain.StageChange) int { return x.At.Compare(y.At) })
	for i := range b.StageChanges {
		b.StageChanges[i].ID = int64(i + 1)
	}
	if err := st.BulkLoad(ctx, b); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "job bench: %d teams, %d members, %d customers, %d deals, %d stage changes\n",
		len(b.Teams), len(b.Members), len(b.Customers), len(b.Deals), len(b.StageChanges))

	// Visits (and their follow-ups), in chunks: history, then today.
	const chunk = 50_000
	todayVisits := 2 * s.reps
	past := make([]domain.Date, s.visits-todayVisits)
	for i := range past {
		past[i] = s.day.AddDays(-1 - rng.IntN(s.visitDays))
	}
	slices.Sort(past)
	visitID, taskID := int64(0), int64(0)
	for done := 0; done < s.visits; {
		var vb store.Bulk
		for ; done < s.visits && len(vb.Visits) < chunk; done++ {
			visitID++
			var rep int64
			var date domain.Date
			var at time.Time
			if done < s.visits-todayVisits {
				rep = repIDs[rng.IntN(len(repIDs))]
				date = past[done]
				at = date.Time(loc).Add(time.Duration(9+rng.IntN(10)) * time.Hour)
			} else {
				rep = repIDs[(done-(s.visits-todayVisits))%len(repIDs)]
				date = s.day
				at = today.Add(time.Duration(9+rng.IntN(10)) * time.Hour)
			}
			cs := customersOf[rep]
			c := cs[rng.IntN(len(cs))]
			v := domain.Visit{ID: visitID, MemberID: rep, TeamID: teamOf[rep], CustomerID: c, DealID: c, Channel: domain.ChannelOnsite,
				VisitDate: date, Summary: "压测拜访", Platform: domain.PlatformSim, SourceMsgID: fmt.Sprintf("bench-%d", visitID),
				ReportedAt: at, CreatedAt: at}
			vb.Visits = append(vb.Visits, v)
			if date == s.day || rng.IntN(10) < 3 {
				taskID++
				due := date.AddDays(3)
				status := domain.TaskDone
				if date == s.day {
					due = s.day.AddDays(1)
					status = domain.TaskOpen
				} else if rng.IntN(20) == 0 {
					status = domain.TaskOpen
				}
				vb.Tasks = append(vb.Tasks, domain.Task{ID: taskID, OwnerID: rep, TeamID: teamOf[rep], CustomerID: c, DealID: c,
					VisitID: visitID, Title: "压测跟进", Due: due, Status: status, CreatedAt: at})
			}
		}
		if err := st.BulkLoad(ctx, vb); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "job bench: %d visits, %d follow-ups\n", visitID, taskID)
	return st.SaveSetting(ctx, domain.Setting{Name: benchMark, Value: s.mark(), UpdatedAt: time.Now()})
}

// discard is a platform that drops what it is sent: the bench only queues.
type discard struct{}

func (discard) Send(context.Context, bot.Reply) error { return nil }
