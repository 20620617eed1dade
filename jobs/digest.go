package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/jobs/chart"
)

// DayFigures is what a team did on a day: the daily digest's content.
type DayFigures struct {
	Team domain.Team
	Day  domain.Date

	// Visits: every active rep (with 0 when none), and anyone else who
	// reported a visit in the team that day, former members included, so
	// that the lines add up to TotalVisits; most visits first, then by
	// name.
	Visits      []MemberVisits
	TotalVisits int
	NoVisits    []domain.Member // active reps without a visit

	NewDeals              []DealDay // deals opened today
	Moved                 []DealDay // deals that moved along the funnel today and are still open
	Won                   []DealDay
	Lost                  []DealDay
	WonAmount, LostAmount int64

	Pipeline       []domain.StageTotal // open deals by stage, now
	PipelineDeals  int
	PipelineAmount int64

	Month []domain.TargetLine // the team's month to date against its targets

	NextDay  domain.Date       // the next working day
	Upcoming []domain.TaskView // open follow-ups due after today up to NextDay

	Risks     []Risk               // the team's current risks
	PoolMoves []domain.OwnerChange // owner changes of the day (claims, assignments, recycling, handovers)
	PoolSoon  []domain.PoolDue     // customers going back to the pool within the next 7 days
}

// MemberVisits is one member's visits on the day.
type MemberVisits struct {
	Member domain.Member
	Visits int
	Seen   []Seen // whom, in the order reported
}

// Seen is one visit: the customer and the stage the report moved its deal
// to ("" none).
type Seen struct {
	Customer string
	Stage    domain.Stage
}

// DealDay is one deal's stage moves on the day.
type DealDay struct {
	DealID   int64
	Customer string
	MemberID int64          // who made the last move
	Path     []domain.Stage // the stages it went through today, first to last
	Amount   int64          // its amount at the last move
	// LostTo and LostReason: a lost deal's competitor and reason, when known.
	LostTo, LostReason string
}

// DayFigures computes a team's figures for a day.
func (r *Runner) DayFigures(ctx context.Context, teamID int64, day domain.Date) (DayFigures, error) {
	env, err := r.loadEnv(ctx, teamID, day)
	if err != nil {
		return DayFigures{}, err
	}
	return r.dayFigures(ctx, env)
}

func (r *Runner) dayFigures(ctx context.Context, env *teamEnv) (DayFigures, error) {
	f := DayFigures{Team: env.team, Day: env.day}
	act, err := r.st.TeamActivity(ctx, env.team.ID, env.day, env.day)
	if err != nil {
		return f, err
	}
	seen, err := r.st.TeamVisits(ctx, env.team.ID, env.day, env.day)
	if err != nil {
		return f, err
	}
	counts := map[int64]int{}
	for _, a := range act {
		counts[a.MemberID] = a.Visits
		f.TotalVisits += a.Visits
	}
	listed := map[int64]bool{}
	for _, m := range env.members {
		n := counts[m.ID]
		if m.Role == domain.RoleRep || n > 0 {
			f.Visits = append(f.Visits, MemberVisits{Member: m, Visits: n})
			listed[m.ID] = true
		}
		if m.Role == domain.RoleRep && n == 0 {
			f.NoVisits = append(f.NoVisits, m)
		}
	}
	for _, a := range act { // former members and visitors from elsewhere
		if !listed[a.MemberID] && a.Visits > 0 {
			f.Visits = append(f.Visits, MemberVisits{Member: domain.Member{ID: a.MemberID, Name: env.name(a.MemberID)}, Visits: a.Visits})
		}
	}
	for i := range f.Visits {
		for _, v := range seen {
			if v.Visit.MemberID == f.Visits[i].Member.ID {
				f.Visits[i].Seen = append(f.Visits[i].Seen, Seen{Customer: v.Customer, Stage: v.Visit.Stage})
			}
		}
	}
	sort.SliceStable(f.Visits, func(i, j int) bool {
		a, b := f.Visits[i], f.Visits[j]
		if a.Visits != b.Visits {
			return a.Visits > b.Visits
		}
		return a.Member.Name < b.Member.Name
	})

	moves, err := r.dayStageMoves(ctx, env)
	if err != nil {
		return f, err
	}
	f.classify(moves)

	if f.Pipeline, err = r.st.Pipeline(ctx, env.team.ID); err != nil {
		return f, err
	}
	for _, p := range f.Pipeline {
		f.PipelineDeals += p.Deals
		f.PipelineAmount += p.Amount
	}

	targets, figs, err := r.monthProgress(ctx, env)
	if err != nil {
		return f, err
	}
	f.Month = targets.Team(figs)

	f.NextDay = env.cal.NextWorkingDay(env.day)
	if f.Upcoming, err = r.openTasks(ctx, env, env.day.AddDays(1), f.NextDay); err != nil {
		return f, err
	}
	if f.Risks, err = r.risks(ctx, env); err != nil {
		return f, err
	}
	if f.PoolMoves, err = r.poolMoves(ctx, env, env.day, env.day); err != nil {
		return f, err
	}
	due, err := r.poolDue(ctx, env)
	if err != nil {
		return f, err
	}
	for _, d := range due {
		if d.Due <= env.day.AddDays(poolSoonDays) {
			f.PoolSoon = append(f.PoolSoon, d)
		}
	}
	return f, nil
}

// classify groups the day's stage changes by deal, in the order they
// happened: a deal moved twice shows once with both steps.
func (f *DayFigures) classify(moves []domain.StageMove) {
	var order []int64
	deals := map[int64]*DealDay{}
	opened := map[int64]bool{}
	for _, m := range moves {
		d := deals[m.DealID]
		if d == nil {
			d = &DealDay{DealID: m.DealID, Customer: m.Customer}
			deals[m.DealID] = d
			order = append(order, m.DealID)
			if m.From == "" {
				opened[m.DealID] = true
			} else {
				d.Path = append(d.Path, m.From)
			}
		}
		d.Path = append(d.Path, m.To)
		d.Amount, d.MemberID = m.Amount, m.MemberID
		d.LostTo, d.LostReason = m.LostTo, m.LostReason
	}
	for _, id := range order {
		d := *deals[id]
		if opened[id] {
			f.NewDeals = append(f.NewDeals, d)
		}
		switch last := d.Path[len(d.Path)-1]; {
		case last == domain.StageWon:
			f.Won = append(f.Won, d)
			f.WonAmount += d.Amount
		case last == domain.StageLost:
			f.Lost = append(f.Lost, d)
			f.LostAmount += d.Amount
		case len(d.Path) > 1:
			f.Moved = append(f.Moved, d)
		}
	}
}

// monthProgress is the team's targets for the month of env.day and each
// member's figures for the month to date (through env.day). For today it
// reads the live board; for another day it counts the month's first days
// from the database.
func (r *Runner) monthProgress(ctx context.Context, env *teamEnv) (domain.MonthTargets, map[int64]Figures, error) {
	month := Month(env.day)
	var (
		figs map[int64]Figures
		err  error
	)
	if env.day == domain.DateOf(r.now(), r.loc) {
		figs, err = r.boards.Figures(ctx, env.team.ID, month)
	} else {
		figs, err = r.boards.count(ctx, env.team.ID, Span{Kind: 'm', From: month.From, To: env.day})
	}
	if err != nil {
		return domain.MonthTargets{}, nil, err
	}
	targets, err := domain.LoadTargets(ctx, r.st, env.team.ID, env.day.Month())
	return targets, figs, err
}

// planDigest: at 20:00 on working days, each manager gets the day's digest
// privately, with the pipeline funnel as a picture where charts are on; the
// team group gets a short version when the team wants it.
func planDigest(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) {
	f, err := r.dayFigures(ctx, env)
	if err != nil {
		return nil, err
	}
	var funnel []byte
	if r.charts != nil && f.PipelineDeals > 0 {
		funnel, err = r.charts.Funnel(fmt.Sprintf("%s 商机漏斗（%s）", env.team.Name, shortDate(env.day)), funnelSteps(f.Pipeline))
		if err != nil {
			r.log.Warn("funnel chart; sending markdown only", "team_id", env.team.ID, "err", err)
			funnel = nil
		}
	}
	full := digestText(env, f, funnel != nil, r.loc)
	week, err := r.weeklyFunnel(ctx, env)
	if err != nil {
		return nil, err
	}
	full += week
	var out []Message
	for _, m := range env.managers() {
		if env.isMuted(m, JobDigest) {
			continue
		}
		to, ok := r.memberDest(m)
		if !ok {
			continue
		}
		out = append(out, Message{Recipient: memberRecipient(m), Name: m.Name, Reply: bot.Reply{To: to, Text: full, Markdown: true}})
		if funnel != nil {
			out = append(out, Message{Recipient: memberRecipient(m) + ":funnel", Name: m.Name, Reply: bot.Reply{
				To: to, Text: funnelText(f), Markdown: true, Image: &bot.Image{PNG: funnel, Alt: "商机漏斗"},
			}})
		}
	}
	if env.cfg.GroupDigest {
		out = append(out, r.toGroups(env, bot.Reply{Text: groupDigestText(f), Markdown: true})...)
	}
	return out, nil
}

func pathText(p []domain.Stage) string {
	labels := make([]string, len(p))
	for i, s := range p {
		labels[i] = s.Label()
	}
	return strings.Join(labels, " → ")
}

// digestText is the manager's digest in markdown. With funnelImage the
// pipeline goes in a picture of its own.
func digestText(env *teamEnv, f DayFigures, funnelImage bool, loc *time.Location) string {
	name := env.name
	var b strings.Builder
	fmt.Fprintf(&b, "**📋 %s 日报 · %s**", env.team.Name, longDate(f.Day))

	fmt.Fprintf(&b, "\n\n**拜访 %d 次**", f.TotalVisits)
	for _, v := range f.Visits {
		fmt.Fprintf(&b, "\n· %s %d 次", v.Member.Name, v.Visits)
		if len(v.Seen) > 0 {
			b.WriteString("：" + seenText(v.Seen))
		}
	}
	if len(f.NoVisits) > 0 {
		names := make([]string, len(f.NoVisits))
		for i, m := range f.NoVisits {
			names[i] = m.Name
		}
		fmt.Fprintf(&b, "\n今天没有拜访记录：%s", strings.Join(names, "、"))
	}

	fmt.Fprintf(&b, "\n\n**新商机 %d 个**", len(f.NewDeals))
	for _, d := range f.NewDeals {
		fmt.Fprintf(&b, "\n· %s（%s，%s）", d.Customer, name(d.MemberID), d.Path[0].Label())
	}
	fmt.Fprintf(&b, "\n\n**阶段推进 %d 个**", len(f.Moved))
	for _, d := range f.Moved {
		fmt.Fprintf(&b, "\n· %s：%s（%s）", d.Customer, pathText(d.Path), name(d.MemberID))
	}
	fmt.Fprintf(&b, "\n\n**赢单 %d 个，共 %s**", len(f.Won), yuanOrZero(f.WonAmount))
	for _, d := range f.Won {
		fmt.Fprintf(&b, "\n· %s %s（%s）", d.Customer, yuanOrZero(d.Amount), name(d.MemberID))
	}
	fmt.Fprintf(&b, "\n\n**输单 %d 个，共 %s**", len(f.Lost), yuanOrZero(f.LostAmount))
	for _, d := range f.Lost {
		fmt.Fprintf(&b, "\n· %s %s（%s）%s", d.Customer, yuanOrZero(d.Amount), name(d.MemberID), lossNote(d))
	}

	riskSection(&b, f.Risks)
	poolSection(&b, env, f, loc)

	if funnelImage {
		fmt.Fprintf(&b, "\n\n**商机漏斗**：在跟 %d 个，共 %s（见下图）", f.PipelineDeals, yuanOrZero(f.PipelineAmount))
	} else {
		b.WriteString("\n\n" + funnelText(f))
	}

	fmt.Fprintf(&b, "\n\n**本月目标**（截至 %s）", shortDate(f.Day))
	for _, p := range f.Month {
		b.WriteString("\n· " + p.Text())
	}

	label := "明天"
	if f.NextDay != f.Day.AddDays(1) {
		label = "下个工作日（" + longDate(f.NextDay) + "）"
	}
	fmt.Fprintf(&b, "\n\n**%s的跟进 %d 条**", label, len(f.Upcoming))
	for i, t := range f.Upcoming {
		if i == 15 {
			fmt.Fprintf(&b, "\n……还有 %d 条", len(f.Upcoming)-15)
			break
		}
		fmt.Fprintf(&b, "\n· %s → %s：%s", name(t.Task.OwnerID), t.Customer, clip(t.Task.Title, 24))
	}
	return b.String()
}

// seenText lists whom a member visited: 华辰科技（→报价）、金石重工.
func seenText(seen []Seen) string {
	parts := make([]string, len(seen))
	for i, v := range seen {
		parts[i] = v.Customer
		if v.Stage != "" {
			parts[i] += "（→" + v.Stage.Label() + "）"
		}
	}
	return strings.Join(parts, "、")
}

// lossNote is what is known of why a deal was lost, for the digest's
// 输单 lines: "，输给 <LostTo>：<LostReason>", or the part that is known.
func lossNote(d DealDay) string {
	switch {
	case d.LostTo != "" && d.LostReason != "":
		return "，输给 " + d.LostTo + "：" + d.LostReason
	case d.LostTo != "":
		return "，输给 " + d.LostTo
	case d.LostReason != "":
		return "，原因：" + d.LostReason
	}
	return ""
}

// riskSection lists the team's current risks by kind, at most eight of
// each; those new today are marked 🆕.
func riskSection(b *strings.Builder, risks []Risk) {
	if len(risks) == 0 {
		return
	}
	fmt.Fprintf(b, "\n\n**⚠️ 风险 %d 项**", len(risks))
	titles := map[RiskKind]string{RiskQuietAccount: "A类客户久未拜访", RiskMissedDate: "约定日期已过无跟进", RiskLongStage: "大单停留超过团队中位数"}
	var kind RiskKind
	shown := 0
	for _, k := range risks {
		if k.Kind != kind {
			kind, shown = k.Kind, 0
			fmt.Fprintf(b, "\n%s：", titles[k.Kind])
		}
		if shown++; shown > 8 {
			continue
		}
		mark := ""
		if k.New {
			mark = "🆕 "
		}
		fmt.Fprintf(b, "\n· %s%s", mark, k.Text)
	}
}

// poolSection lists the day's owner changes and the customers going back
// to the pool within a week.
func poolSection(b *strings.Builder, env *teamEnv, f DayFigures, loc *time.Location) {
	if len(f.PoolMoves) > 0 {
		fmt.Fprintf(b, "\n\n**🌊 客户归属变动 %d 次**", len(f.PoolMoves))
		for _, m := range f.PoolMoves {
			b.WriteString("\n· " + moveLine(env, m, loc))
		}
	}
	if len(f.PoolSoon) > 0 {
		fmt.Fprintf(b, "\n\n**🌊 7 天内将移入公海 %d 个**", len(f.PoolSoon))
		for i, d := range f.PoolSoon {
			if i == 10 {
				fmt.Fprintf(b, "\n……还有 %d 个", len(f.PoolSoon)-10)
				break
			}
			fmt.Fprintf(b, "\n· %s（%s，%s）", d.Customer.Name, env.name(d.Customer.OwnerID), shortDate(d.Due))
		}
	}
}

// funnelText is the pipeline by stage in markdown (the picture's fallback).
func funnelText(f DayFigures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**商机漏斗**：在跟 %d 个，共 %s", f.PipelineDeals, yuanOrZero(f.PipelineAmount))
	for _, p := range f.Pipeline {
		fmt.Fprintf(&b, "\n· %s %d 个 · %s", p.Stage.Label(), p.Deals, yuanOrZero(p.Amount))
	}
	return b.String()
}

func funnelSteps(ps []domain.StageTotal) []chart.Step {
	out := make([]chart.Step, len(ps))
	for i, p := range ps {
		out[i] = chart.Step{Label: p.Stage.Label(), Value: float64(p.Deals), Note: fmt.Sprintf("%d 个 · %s", p.Deals, yuanOrZero(p.Amount))}
	}
	return out
}

// groupDigestText is the short version for the team group: totals only,
// nobody named for what they did not do.
func groupDigestText(f DayFigures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**📋 %s 今日战报 · %s**", f.Team.Name, longDate(f.Day))
	fmt.Fprintf(&b, "\n拜访 %d 次 · 新商机 %d 个 · 阶段推进 %d 个", f.TotalVisits, len(f.NewDeals), len(f.Moved))
	if len(f.Won) > 0 {
		fmt.Fprintf(&b, "\n🎉 赢单 %d 个，共 %s", len(f.Won), domain.Yuan(f.WonAmount))
	}
	for _, p := range f.Month {
		if p.Metric == domain.MetricWonAmount && p.Target > 0 {
			fmt.Fprintf(&b, "\n本月赢单 %s / %s（%s）", yuanOrZero(p.Done), yuanOrZero(p.Target), percent(p.Done, p.Target))
		}
	}
	return b.String()
}
