package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/jobs"
)

const jobUsage = `usage:
  salesbot job NAME [--date YYYY-MM-DD] [--team ID|NAME] [--dry-run] [--png DIR] [--wait D]
      NAME: pool, reminders, stale, nudge, digest, leaderboard, monthend
      runs the job now for the day (default today) and team (default every
      team): its pushes are queued in the outbox and sent; a push queued
      before (same job, day, team and recipient) is not sent again.
      --dry-run prints what would be sent and sends nothing.
  salesbot job settings --team ID|NAME [NAME=VALUE ...]
      shows or changes a team's job settings (an empty VALUE resets one)
  salesbot job calendar [--from D] [--to D] [YYYY-MM-DD=holiday|workday|clear[:NOTE] ...]
      lists or changes public holidays and make-up workdays (调休)
  salesbot job bench [flags]
      times the 20:00 digest for every team plus the weekly leaderboard on a
      large MySQL database
`

// runJob runs or previews one scheduled job, or manages the job settings
// and the holiday calendar.
func runJob(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "bench" {
		return runJobBench(ctx, args, getenv, stdout, stderr)
	}
	fs := flag.NewFlagSet("job", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, jobUsage) }
	date := fs.String("date", "", "the day to run for, YYYY-MM-DD (default: today in SALESBOT_TZ)")
	teamFlag := fs.String("team", "", "team ID or name (default: every team)")
	dryRun := fs.Bool("dry-run", false, "print what would be sent; send nothing")
	pngDir := fs.String("png", "", "with --dry-run: write the charts into this directory")
	wait := fs.Duration("wait", 30*time.Second, "how long to wait for the pushes to be sent")
	from := fs.String("from", "", "calendar: first day to list")
	to := fs.String("to", "", "calendar: last day to list")
	configFile := fs.String("config", "", "file of SALESBOT_*=value lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if name == "" && len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "" {
		fmt.Fprint(stderr, jobUsage)
		return errors.New("job: which job?")
	}
	cfg, err := loadConfig(getenv, *configFile)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.mountPlatforms(ctx, nil); err != nil {
		return err
	}

	switch name {
	case "settings":
		return a.jobSettings(ctx, *teamFlag, rest, stdout)
	case "calendar":
		return a.jobCalendar(ctx, *from, *to, rest, stdout)
	}
	if len(rest) > 0 {
		return fmt.Errorf("job %s: unexpected arguments %v", name, rest)
	}
	day := domain.DateOf(time.Now(), cfg.TZ)
	if *date != "" {
		if day, err = domain.ParseDate(*date); err != nil {
			return fmt.Errorf("--date: %s", domain.ErrorMessage(err))
		}
	}
	teams, err := a.jobTeams(ctx, *teamFlag)
	if err != nil {
		return err
	}
	runner, outbox := a.newJobs()
	if *dryRun {
		return dryRunJob(ctx, runner, name, teams, day, *pngDir, stdout)
	}

	// Queue, then deliver what this process can (the simulator's pushes
	// are left to the running server, whose page shows them).
	var keys []string
	for _, t := range teams {
		res, err := runner.Run(ctx, name, t.ID, day)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s %s：%d 条消息，新排入 %d，之前已排入 %d\n", name, day, t.Name, res.Planned, res.Queued, res.Existing)
		if name == jobs.JobPool {
			fmt.Fprintf(stdout, "移入公海 %d 个客户\n", res.Changed)
		}
		for _, m := range res.Messages {
			keys = append(keys, m.Key())
		}
	}
	return a.deliverQueued(ctx, outbox, name, day, keys, *wait, stdout)
}

// newJobs builds the job runner and the outbox on the app's storage, cache
// and platform senders.
func (a *app) newJobs() (*jobs.Runner, *jobs.Outbox) {
	log := a.log.With("component", "jobs")
	var apps []domain.Platform
	if a.cfg.WeComCorpID != "" {
		apps = append(apps, domain.PlatformWeCom)
	}
	if a.cfg.DingTalkAppKey != "" {
		apps = append(apps, domain.PlatformDingTalk)
	}
	if a.sim != nil {
		apps = append(apps, domain.PlatformSim)
	}
	runner := jobs.NewRunner(jobs.Deps{
		Store: a.store, KV: a.kv, Senders: a.senders, Apps: apps, Pool: a.svc, Charts: a.charts, Log: log, Loc: a.cfg.TZ, Now: time.Now,
	}, jobs.Config{})
	outbox := jobs.NewOutbox(jobs.OutboxDeps{
		Store: a.store, Limiter: a.kv, Sender: a.senders, Settings: a.store, Log: log, Loc: a.cfg.TZ, Observe: a.pushMetrics(),
	}, jobs.Config{})
	return runner, outbox
}

// replyQueue queues the replies a platform did not take at once in the
// outbox, which the scheduler's drain sends (jobs.JobReply).
func (a *app) replyQueue() *jobs.ReplyQueue {
	return jobs.NewReplyQueue(jobs.ReplyQueueDeps{Store: a.store, Observe: a.pushMetrics()}, jobs.Config{})
}

// startScheduler runs the jobs on their schedules until stop is called
// (serve calls it after the platforms are mounted, and stop during
// shutdown, after the HTTP server).
func (a *app) startScheduler(ctx context.Context) (stop func(context.Context) error, err error) {
	runner, outbox := a.newJobs()
	s := jobs.NewScheduler(runner, outbox, a.kv, a.log.With("component", "scheduler"))
	s.Hold = func(ctx context.Context) bool { // outage messages first
		n, err := a.kv.JournalLen(ctx)
		return err == nil && n > 0
	}
	stop, err = s.Start(ctx)
	if err != nil {
		return nil, fmt.Errorf("start scheduler: %w", err)
	}
	a.log.Info("scheduler started", "jobs", strings.Join(jobs.Names(), ","), "tz", a.cfg.TZ.String())
	return stop, nil
}

// pushMetrics registers the outbox's figures on /metrics: pushes by job
// and outcome, and the outbox by status. It returns the outbox observer.
func (a *app) pushMetrics() func(job, outcome string) {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "salesbot_pushes_total", Help: "Job pushes by job and outcome (sent, retry, failed, deferred; queued for replies not sent at once, job reply).",
	}, []string{"job", "outcome"})
	if err := a.metrics.reg.Register(c); err != nil {
		var dup prometheus.AlreadyRegisteredError
		if !errors.As(err, &dup) {
			a.log.Warn("register push metrics", "err", err)
		} else if existing, ok := dup.ExistingCollector.(*prometheus.CounterVec); ok {
			c = existing
		}
	}
	_ = a.metrics.reg.Register(outboxCollector{a: a}) // a second registration is a no-op
	return func(job, outcome string) { c.WithLabelValues(job, outcome).Inc() }
}

// outboxCollector reports the outbox by status when /metrics is read.
type outboxCollector struct{ a *app }

var outboxDesc = prometheus.NewDesc("salesbot_outbox_pushes", "Pushes in the outbox by status (pending, sending, sent, failed).", []string{"status"}, nil)

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- outboxDesc }

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.a.store.CountPushes(ctx)
	if err != nil {
		c.a.log.Warn("outbox metrics", "err", err)
		return
	}
	for _, st := range []domain.PushStatus{domain.PushPending, domain.PushSending, domain.PushSent, domain.PushFailed} {
		ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
}

// jobTeams resolves --team (an ID or a name); empty means every team.
func (a *app) jobTeams(ctx context.Context, arg string) ([]domain.Team, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		teams, err := a.store.ListTeams(ctx)
		if err != nil {
			return nil, err
		}
		if len(teams) == 0 {
			return nil, errors.New("no teams yet: import them first (salesbot import teams FILE) or run salesbot serve --demo")
		}
		return teams, nil
	}
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		t, err := a.store.TeamByID(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("--team %s: %w", arg, err)
		}
		return []domain.Team{t}, nil
	}
	t, err := a.store.TeamByName(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("--team %s: %w", arg, err)
	}
	return []domain.Team{t}, nil
}

// dryRunJob prints each message a job would send.
func dryRunJob(ctx context.Context, runner *jobs.Runner, name string, teams []domain.Team, day domain.Date, pngDir string, stdout io.Writer) error {
	total := 0
	for _, t := range teams {
		msgs, err := runner.Plan(ctx, name, t.ID, day)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "== %s %s %s：%d 条消息（预览，未发送）\n", name, day, t.Name, len(msgs))
		if name == jobs.JobPool {
			due, err := runner.PoolDue(ctx, t.ID, day)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "将移入公海 %d 个客户（预览，未移动）\n", len(due))
			for _, d := range due {
				fmt.Fprintf(stdout, "· %s（%s类，应于 %s）\n", d.Customer.Name, d.Customer.Tier, d.Due)
			}
		}
		for _, m := range msgs {
			total++
			fmt.Fprintf(stdout, "\n→ %s（%s）key=%s\n", m.Name, describeDest(m.Reply.To), m.Key())
			body := m.Reply.Text
			if m.Reply.Card != nil && body == "" {
				body = bot.CardText(*m.Reply.Card)
			}
			fmt.Fprintln(stdout, body)
			if c := m.Reply.Card; c != nil && len(c.Buttons) > 0 && body != bot.CardText(*c) {
				var bs []string
				for _, b := range c.Buttons {
					bs = append(bs, "["+b.Text+"]")
				}
				fmt.Fprintln(stdout, "按钮："+strings.Join(bs, " "))
			}
			if img := m.Reply.Image; img != nil {
				fmt.Fprintf(stdout, "[图片 PNG %d KB：%s]\n", (len(img.PNG)+1023)/1024, img.Alt)
				if pngDir != "" {
					file := filepath.Join(pngDir, strings.NewReplacer("|", "_", ":", "_").Replace(m.Key())+".png")
					if err := os.WriteFile(file, img.PNG, 0o644); err != nil {
						return err
					}
					fmt.Fprintf(stdout, "（已写入 %s）\n", file)
				}
			}
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintf(stdout, "共 %d 条消息；--dry-run 未发送任何消息。\n", total)
	return nil
}

func describeDest(d bot.Destination) string {
	switch {
	case d.RobotURL != "":
		return string(d.Platform) + " 群机器人"
	case d.AIBot && d.ChatID != "":
		return string(d.Platform) + " 智能机器人 群 " + d.ChatID
	case d.AIBot:
		return string(d.Platform) + " 智能机器人 私聊 " + d.UserID
	case d.ChatID != "":
		return string(d.Platform) + " 群 " + d.ChatID
	}
	return string(d.Platform) + " 私聊 " + d.UserID
}

// deliverQueued drains the outbox until the job's pushes are sent or
// failed, or wait has passed, and reports each one.
func (a *app) deliverQueued(ctx context.Context, ob *jobs.Outbox, name string, day domain.Date, keys []string, wait time.Duration, stdout io.Writer) error {
	if len(keys) == 0 {
		return nil
	}
	if a.cfg.WeComCorpID == "" && a.cfg.DingTalkAppKey == "" && a.sim != nil {
		fmt.Fprintln(stdout, "只配置了聊天模拟器：消息已排入发送队列，正在运行的 salesbot serve 会在几秒内推送到模拟器页面。")
		return nil
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	deadline := time.Now().Add(wait)
	for {
		if _, err := ob.Drain(ctx, time.Now()); err != nil {
			return err
		}
		ps, err := a.store.ListPushes(ctx, domain.PushFilter{Job: name})
		if err != nil {
			return err
		}
		open := 0
		var mine []domain.Push
		for _, p := range ps {
			if !want[p.Key] {
				continue
			}
			mine = append(mine, p)
			if p.Status == domain.PushPending || p.Status == domain.PushSending {
				open++
			}
		}
		if open == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			sent, failed := 0, 0
			for _, p := range mine {
				switch p.Status {
				case domain.PushSent:
					sent++
				case domain.PushFailed:
					failed++
					fmt.Fprintf(stdout, "发送失败 %s：%s\n", p.Key, p.LastError)
				default:
					fmt.Fprintf(stdout, "尚未发送 %s（%d 次尝试，下次 %s）：%s\n", p.Key, p.Attempts, p.NextAt.In(a.cfg.TZ).Format("15:04:05"), p.LastError)
				}
			}
			fmt.Fprintf(stdout, "%s %s：已发送 %d，失败 %d，待发送 %d（服务运行时会继续重试）\n", name, day, sent, failed, open)
			return nil
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// jobSettings shows or changes a team's job settings.
func (a *app) jobSettings(ctx context.Context, teamArg string, assignments []string, stdout io.Writer) error {
	if strings.TrimSpace(teamArg) == "" {
		return errors.New("job settings: --team is required")
	}
	teams, err := a.jobTeams(ctx, teamArg)
	if err != nil {
		return err
	}
	team := teams[0]
	for _, kv := range assignments {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("job settings: %q: want NAME=VALUE", kv)
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if err := jobs.CheckTeamSetting(name, value); err != nil {
			return fmt.Errorf("job settings: %s", domain.ErrorMessage(err))
		}
		if err := a.store.SaveSetting(ctx, domain.Setting{TeamID: team.ID, Name: name, Value: value, UpdatedAt: time.Now()}); err != nil {
			return err
		}
	}
	lines, err := jobs.TeamSettings(ctx, a.store, team.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s（团队 %d）的推送设置：\n", team.Name, team.ID)
	for _, l := range lines {
		fmt.Fprintln(stdout, "  "+l)
	}
	return nil
}

// jobCalendar lists or changes holidays and make-up workdays.
func (a *app) jobCalendar(ctx context.Context, from, to string, changes []string, stdout io.Writer) error {
	for _, c := range changes {
		dayStr, rest, ok := strings.Cut(c, "=")
		kind, note, _ := strings.Cut(rest, ":")
		day, err := domain.ParseDate(dayStr)
		if !ok || err != nil || day.IsZero() {
			return fmt.Errorf("job calendar: %q: want YYYY-MM-DD=holiday|workday|clear[:NOTE]", c)
		}
		switch kind {
		case "holiday", "workday":
			err = a.store.SaveCalendarDay(ctx, domain.CalendarDay{Date: day, Working: kind == "workday", Note: note})
		case "clear":
			err = a.store.DeleteCalendarDay(ctx, day)
		default:
			return fmt.Errorf("job calendar: %q: want holiday, workday or clear", kind)
		}
		if err != nil {
			return err
		}
	}
	today := domain.DateOf(time.Now(), a.cfg.TZ)
	f, t := domain.Date(from), domain.Date(to)
	if f == "" {
		f = today.AddDays(-31)
	}
	if t == "" {
		t = today.AddDays(366)
	}
	days, err := a.store.ListCalendarDays(ctx, f, t)
	if err != nil {
		return err
	}
	// The statutory days shipped with salesbot, under this deployment's own.
	own := map[domain.Date]bool{}
	for _, d := range days {
		own[d.Date] = true
	}
	for _, d := range domain.StatutoryDays() {
		if d.Date >= f && d.Date <= t && !own[d.Date] {
			d.Note += "（法定）"
			days = append(days, d)
		}
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	fmt.Fprintf(stdout, "%s 至 %s 的节假日与调休（其余周一至周五为工作日；标「法定」的来自国务院办公厅通知，本部署的设置优先）：\n", f, t)
	for _, d := range days {
		kind := "放假"
		if d.Working {
			kind = "调休上班"
		}
		fmt.Fprintf(stdout, "  %s %s %s\n", d.Date, kind, d.Note)
	}
	return nil
}
