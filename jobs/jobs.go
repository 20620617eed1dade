// Package jobs pushes what managers bought salesbot for: the morning
// follow-up reminders, stale-deal alerts, the evening nudge, the daily
// digest, the weekly leaderboard and the month-end target report.
//
// A job is a named function of (team, day) that plans messages (bot.Reply
// values). The Runner plans a job and queues its messages in the outbox, a
// table whose unique key (job, period, team, recipient) means that running a
// job again, or on a second replica, cannot queue a message twice. The
// Outbox sends queued messages with retries, backoff, per-destination rate
// limits and quiet hours. The Scheduler decides when each team's jobs are
// due (cron specs in SALESBOT_TZ, working days, holidays) and takes a Redis
// lock per (job, team, period) so that one replica runs each instance.
// Boards keep live leaderboards in Redis sorted sets.
//
// The package imports domain and bot only; storage and Redis arrive as the
// small interfaces below, which domain/store and domain/kv satisfy.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"time"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/jobs/chart"
)

// Store is what the jobs read from and write to the database
// (*store.Store): domain's small storage interfaces plus the outbox.
type Store interface {
	domain.ReportStore
	domain.SettingStore
	domain.TeamReader
	domain.MemberReader
	domain.TargetReader
	OutboxStore
	ListDeals(ctx context.Context, f domain.DealFilter) ([]domain.Deal, error)
	QuietCustomers(ctx context.Context, f domain.QuietFilter) ([]domain.OwnedCustomer, error)
}

// Pool is the public pool's use cases the jobs call (*domain.Service).
type Pool interface {
	Recycle(ctx context.Context, teamID int64, day domain.Date) ([]domain.OwnerChange, error)
	OwnerChanges(ctx context.Context, teamID int64, from, to time.Time) ([]domain.OwnerChange, error)
}

// OutboxStore keeps pushes until they are sent (*store.Store).
type OutboxStore interface {
	// EnqueuePush stores p; false when its key was taken (p is then the
	// stored push).
	EnqueuePush(ctx context.Context, p *domain.Push) (bool, error)
	// EnqueuePushes stores several at once (one transaction).
	EnqueuePushes(ctx context.Context, ps []domain.Push) ([]bool, error)
	DuePushes(ctx context.Context, now time.Time, limit int) ([]domain.Push, error)
	ClaimPush(ctx context.Context, id, version int64, leaseUntil time.Time) (bool, error)
	SettlePush(ctx context.Context, p *domain.Push) (bool, error)
	CountPushes(ctx context.Context) (map[domain.PushStatus]int, error)
	ListPushes(ctx context.Context, f domain.PushFilter) ([]domain.Push, error)
	// PrunePushes deletes settled pushes (and with pending, all) created
	// before a time.
	PrunePushes(ctx context.Context, before time.Time, pending bool) (int64, error)
	// RewritePush replaces a push's payload (an upgrade of its format).
	RewritePush(ctx context.Context, id int64, payload []byte, imageHash string) error
	ImageStore
	Directory // where a push's destination is read when it is sent
	domain.PushKeys
}

// Locker holds a lock per job instance and remembers finished ones
// (*kv.KV).
type Locker interface {
	AcquireLock(ctx context.Context, name string, ttl time.Duration) (ok bool, release func(context.Context) error, err error)
	GetState(ctx context.Context, key string) ([]byte, bool, error)
	SetState(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

// Limiter counts sends per destination in fixed windows (*kv.KV).
type Limiter interface {
	AllowAt(ctx context.Context, key string, at time.Time, limit int, window time.Duration) (bool, error)
}

// KV is everything the jobs need from Redis (*kv.KV).
type KV interface {
	Locker
	Limiter
	BoardStore
}

// Config tunes delivery; the zero value takes the defaults.
type Config struct {
	// DeliveryDeadline: a push not sent this long after it was due is
	// marked failed with the last error. Default 12 h.
	DeliveryDeadline time.Duration
	// RetryMin and RetryMax bound the backoff between attempts.
	// Defaults 30 s and 10 min.
	RetryMin, RetryMax time.Duration
	// GroupLimit is how many pushes a group destination takes per minute
	// (group robots: 20).
	GroupLimit int
	// Workers sends to this many destinations at once, and runs this many
	// job instances at once. Default 4.
	Workers int
}

func (c Config) withDefaults() Config {
	if c.DeliveryDeadline <= 0 {
		c.DeliveryDeadline = 12 * time.Hour
	}
	if c.RetryMin <= 0 {
		c.RetryMin = 30 * time.Second
	}
	if c.RetryMax <= 0 {
		c.RetryMax = 10 * time.Minute
	}
	if c.GroupLimit <= 0 {
		c.GroupLimit = 20
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	return c
}

// Deps are the Runner's collaborators.
type Deps struct {
	Store   Store
	KV      KV
	Senders bot.Senders // the platforms pushes may go to
	// Apps are the platforms whose app is configured, so that they reach
	// members privately and the group chats the app is in, in order of
	// preference; group robot webhooks only need a sender. Nil: every
	// platform in Senders.
	Apps   []domain.Platform
	Pool   Pool            // nil: no public pool (no recycling, warnings or pool moves)
	Charts *chart.Renderer // nil: markdown only
	Log    *slog.Logger
	Loc    *time.Location // SALESBOT_TZ
	Now    func() time.Time
}

// Runner plans jobs and queues their messages.
type Runner struct {
	st      Store
	pool    Pool
	charts  *chart.Renderer
	log     *slog.Logger
	loc     *time.Location
	now     func() time.Time
	cfg     Config
	boards  *Boards
	senders bot.Senders
	apps    []domain.Platform // in preference order
	jobs    map[string]*job
}

// NewRunner builds the Runner.
func NewRunner(d Deps, cfg Config) *Runner {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	r := &Runner{
		st: d.Store, pool: d.Pool, charts: d.Charts, log: d.Log, loc: d.Loc, now: d.Now, cfg: cfg.withDefaults(),
		boards: NewBoards(d.KV, d.Store, d.Loc, d.Log), senders: d.Senders,
	}
	apps := d.Apps
	if apps == nil {
		apps = []domain.Platform{domain.PlatformWeCom, domain.PlatformDingTalk, domain.PlatformSim}
	}
	for _, p := range apps {
		if _, ok := d.Senders[p]; ok {
			r.apps = append(r.apps, p)
		}
	}
	r.jobs = map[string]*job{}
	for _, j := range allJobs() {
		r.jobs[j.name] = j
	}
	return r
}

// Boards are the live leaderboards the Runner reads.
func (r *Runner) Boards() *Boards { return r.boards }

// Location is SALESBOT_TZ.
func (r *Runner) Location() *time.Location { return r.loc }

// Names lists the jobs, in the order of their day.
func Names() []string {
	var out []string
	for _, j := range allJobs() {
		out = append(out, j.name)
	}
	return out
}

// Message is one push a job plans: a reply for one recipient.
type Message struct {
	Job       string
	TeamID    int64
	Period    string
	Recipient string // "m12" member 12, "g" the team group; a suffix tells two pushes to one recipient apart
	Name      string // who it is for, for people reading a dry run
	Reply     bot.Reply
}

// Key is the message's unique outbox key.
func (m Message) Key() string {
	return fmt.Sprintf("%s|%s|%d|%s", m.Job, m.Period, m.TeamID, m.Recipient)
}

// Result is what running one job instance did.
type Result struct {
	Job      string
	TeamID   int64
	Day      domain.Date
	Planned  int // messages the job produced
	Queued   int // new in the outbox
	Existing int // already queued by an earlier run
	Changed  int // records the job changed (pool: customers recycled)
	Messages []Message
}

// ErrUnknownJob: no job has that name.
var ErrUnknownJob = errors.New("unknown job")

// Plan runs a job for a team and day and returns the messages it would
// send, without queuing them (salesbot job --dry-run).
func (r *Runner) Plan(ctx context.Context, name string, teamID int64, day domain.Date) ([]Message, error) {
	j, ok := r.jobs[name]
	if !ok {
		return nil, fmt.Errorf("%w %q (known: %v)", ErrUnknownJob, name, Names())
	}
	env, err := r.loadEnv(ctx, teamID, day)
	if err != nil {
		return nil, err
	}
	return r.plan(ctx, j, env)
}

func (r *Runner) plan(ctx context.Context, j *job, env *teamEnv) ([]Message, error) {
	msgs, err := j.plan(ctx, r, env)
	if err != nil {
		return nil, fmt.Errorf("job %s team %d %s: %w", j.name, env.team.ID, env.day, err)
	}
	period := j.period(env.day)
	for i := range msgs {
		msgs[i].Job, msgs[i].TeamID, msgs[i].Period = j.name, env.team.ID, period
	}
	return msgs, nil
}

// Run plans a job for a team and day and queues its messages in the outbox;
// messages queued before (same key) are left as they are.
func (r *Runner) Run(ctx context.Context, name string, teamID int64, day domain.Date) (Result, error) {
	j, ok := r.jobs[name]
	if !ok {
		return Result{}, fmt.Errorf("%w %q (known: %v)", ErrUnknownJob, name, Names())
	}
	env, err := r.loadEnv(ctx, teamID, day)
	if err != nil {
		return Result{}, err
	}
	return r.run(ctx, j, env)
}

func (r *Runner) run(ctx context.Context, j *job, env *teamEnv) (Result, error) {
	res := Result{Job: j.name, TeamID: env.team.ID, Day: env.day}
	if j.act != nil {
		n, err := j.act(ctx, r, env)
		if err != nil {
			return res, fmt.Errorf("job %s team %d %s: %w", j.name, env.team.ID, env.day, err)
		}
		res.Changed = n
	}
	msgs, err := r.plan(ctx, j, env)
	if err != nil {
		return res, err
	}
	res.Planned, res.Messages = len(msgs), msgs
	now := r.now()
	pushes := make([]domain.Push, 0, len(msgs))
	for _, m := range msgs {
		payload, hash, err := encodePush(ctx, r.st, m.Recipient, m.TeamID, m.Reply, now)
		if err != nil {
			return res, fmt.Errorf("job %s: encode %s: %w", j.name, m.Key(), err)
		}
		at := env.cfg.quiet.after(now.In(r.loc))
		pushes = append(pushes, domain.Push{
			Key: m.Key(), Job: m.Job, TeamID: m.TeamID, Period: m.Period, Recipient: m.Recipient,
			Payload: payload, ImageHash: hash, Status: domain.PushPending, NextAt: at, Deadline: at.Add(r.cfg.DeliveryDeadline), CreatedAt: now,
		})
	}
	if len(pushes) == 0 {
		return res, nil
	}
	// One transaction for the team's messages: the commit, not the rows,
	// is what an insert costs on a busy server.
	created, err := r.st.EnqueuePushes(ctx, pushes)
	if err != nil {
		return res, fmt.Errorf("job %s: %w", j.name, err)
	}
	for _, c := range created {
		if c {
			res.Queued++
		} else {
			res.Existing++
		}
	}
	return res, nil
}

// job is one kind of push.
type job struct {
	name   string
	spec   string        // default cron spec (minute hour dom month dow) in SALESBOT_TZ
	days   dayRule       // on which days an occurrence counts
	window time.Duration // how long after its time a missed occurrence still runs
	// period names the instance a day belongs to (the outbox key and the
	// lock use it).
	period func(day domain.Date) string
	plan   func(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error)
	// act, when set, changes records before plan (Run only, never in a
	// dry run) and says how many it changed.
	act func(ctx context.Context, r *Runner, env *teamEnv) (int, error)
}

func daily(d domain.Date) string   { return string(d) }
func monthly(d domain.Date) string { return d.Month() }

// The job names.
const (
	JobReminders   = "reminders"
	JobStale       = "stale"
	JobNudge       = "nudge"
	JobDigest      = "digest"
	JobLeaderboard = "leaderboard"
	JobMonthEnd    = "monthend"
	JobPool        = "pool"
)

// allJobs lists the jobs with their default schedules.
func allJobs() []*job {
	return []*job{
		{name: JobPool, spec: "0 3 * * *", days: everyDay, window: 5 * time.Hour, period: daily, plan: planPool, act: recyclePool},
		{name: JobReminders, spec: "30 8 * * *", days: workingDays, window: 3 * time.Hour, period: daily, plan: planReminders},
		{name: JobStale, spec: "0 10 * * *", days: workingDays, window: 4 * time.Hour, period: daily, plan: planStale},
		{name: JobNudge, spec: "0 18 * * *", days: workingDays, window: 2 * time.Hour, period: daily, plan: planNudge},
		{name: JobDigest, spec: "0 20 * * *", days: workingDays, window: 3 * time.Hour, period: daily, plan: planDigest},
		{name: JobLeaderboard, spec: "0 9 * * 1", days: everyDay, window: 8 * time.Hour, period: daily, plan: planLeaderboard},
		{name: JobMonthEnd, spec: "0 17 * * *", days: lastWorkingDay, window: 5 * time.Hour, period: monthly, plan: planMonthEnd},
	}
}

// teamEnv is what a job instance knows about its team and day.
type teamEnv struct {
	team    domain.Team
	day     domain.Date
	cfg     TeamConfig
	cal     *Calendar
	members []domain.Member         // active members of the team, by id
	former  map[int64]domain.Member // members who left or moved away, who may still appear in records
	due     []domain.PoolDue        // the team's customers coming due for the pool soon, read once (poolDue)
	dueOK   bool
	tasks   []domain.TaskView // open follow-ups due by tasksTo (openTasks)
	tasksTo domain.Date
	tasksOK bool
	moves   []domain.StageMove // stage moves over the risk lookback (teamStageMoves)
	movesOK bool
	muted   map[int64]map[string]bool
}

// loadEnv reads a team's members, settings and the calendar around day.
func (r *Runner) loadEnv(ctx context.Context, teamID int64, day domain.Date) (*teamEnv, error) {
	team, err := r.st.TeamByID(ctx, teamID)
	if err != nil {
		return nil, fmt.Errorf("team %d: %w", teamID, err)
	}
	set, err := loadSettings(ctx, r.st)
	if err != nil {
		return nil, err
	}
	cal, err := domain.LoadCalendar(ctx, r.st, day.AddDays(-45), day.AddDays(45))
	if err != nil {
		return nil, err
	}
	return r.envFor(ctx, team, day, set, cal)
}

func (r *Runner) envFor(ctx context.Context, team domain.Team, day domain.Date, set *settings, cal *Calendar) (*teamEnv, error) {
	all, err := r.st.ListMembers(ctx, domain.MemberFilter{TeamID: team.ID})
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	env := &teamEnv{team: team, day: day, cfg: set.team(team.ID), cal: cal, muted: set.mutes, former: map[int64]domain.Member{}}
	for _, m := range all {
		if m.Active {
			env.members = append(env.members, m)
		} else {
			env.former[m.ID] = m
		}
	}
	return env, nil
}

// poolDue lists the team's customers coming due for the pool by the
// furthest day a job looks at (the digest's week ahead, the owners' last
// warning), soonest first, read once per job instance: the risks, the
// warnings and the digest share it. Only customers quiet long enough are
// read.
func (r *Runner) poolDue(ctx context.Context, env *teamEnv) ([]domain.PoolDue, error) {
	if r.pool == nil || env.dueOK {
		return env.due, nil
	}
	rules := env.cfg.Pool
	until := env.day.AddDays(poolSoonDays)
	warn := env.day
	for i := 0; i <= slices.Max(append([]int{0}, rules.WarnDays...)); i++ {
		warn = env.cal.NextWorkingDay(warn)
	}
	until = max(until, warn)
	if filter, ok := rules.DueFilter(env.team.ID, env.day, until, r.loc); ok {
		owned, err := r.st.QuietCustomers(ctx, filter)
		if err != nil {
			return nil, err
		}
		for _, d := range rules.DueList(owned, env.day, r.loc) {
			if d.Due <= until {
				env.due = append(env.due, d)
			}
		}
	}
	env.dueOK = true
	return env.due, nil
}

// poolSoonDays is how far ahead the digest lists customers coming due.
const poolSoonDays = 7

// name is how a member of the team, present or former, is shown; a former
// member is marked as such, anyone else outside the team reads 其他团队成员.
func (e *teamEnv) name(id int64) string {
	if m, ok := e.member(id); ok {
		return m.Name
	}
	if m, ok := e.former[id]; ok {
		return m.Name + "（已离职）"
	}
	if id == 0 {
		return "公海"
	}
	return "其他团队成员"
}

// isMuted reports whether m muted the pushes of job.
func (e *teamEnv) isMuted(m domain.Member, job string) bool { return e.muted[m.ID][job] }

// reps are the team's active reps.
func (e *teamEnv) reps() []domain.Member { return e.withRole(domain.RoleRep) }

// managers are the team's active managers.
func (e *teamEnv) managers() []domain.Member { return e.withRole(domain.RoleManager) }

func (e *teamEnv) withRole(role domain.Role) []domain.Member {
	var out []domain.Member
	for _, m := range e.members {
		if m.Role == role {
			out = append(out, m)
		}
	}
	return out
}

func (e *teamEnv) member(id int64) (domain.Member, bool) {
	for _, m := range e.members {
		if m.ID == id {
			return m, true
		}
	}
	return domain.Member{}, false
}

// dayBounds are the start and end of a calendar day in SALESBOT_TZ: [start, end).
func (r *Runner) dayBounds(d domain.Date) (time.Time, time.Time) {
	return d.Time(r.loc), d.AddDays(1).Time(r.loc)
}
