package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/jobs/chart"
)

// BoardStore keeps live leaderboards in Redis sorted sets (*kv.KV).
type BoardStore interface {
	// BoardIncr adds to a member's figure on a built board; false when
	// the board is not built (nothing changed).
	BoardIncr(ctx context.Context, board, metric, member string, by float64) (bool, error)
	// BoardLoad replaces a board and marks it built.
	BoardLoad(ctx context.Context, board string, metrics []string, scores map[string]map[string]float64, ttl time.Duration) error
	// BoardScores reads a metric; built is false when the board is missing.
	BoardScores(ctx context.Context, board, metric string) (scores map[string]float64, built bool, err error)
	BoardDrop(ctx context.Context, board string, metrics []string) error
}

// Figures are a member's figures on a board (the domain's ranking figures).
type Figures = domain.Figures

// Span is a week (Monday to Sunday) or a calendar month.
type Span struct {
	Kind     byte // 'w' or 'm'
	From, To domain.Date
}

// Week is the Monday-to-Sunday week containing d.
func Week(d domain.Date) Span {
	w := d.WeekSpan()
	return Span{Kind: 'w', From: w.From, To: w.To}
}

// Month is the calendar month containing d.
func Month(d domain.Date) Span {
	m := d.MonthSpan()
	return Span{Kind: 'm', From: m.From, To: m.To}
}

func (s Span) board(teamID int64) string { return fmt.Sprintf("t%d:%c%s", teamID, s.Kind, s.From) }

func (s Span) ttl() time.Duration {
	if s.Kind == 'w' {
		return 90 * 24 * time.Hour
	}
	return 400 * 24 * time.Hour
}

var boardMetrics = []string{string(domain.MetricVisits), string(domain.MetricNewDeals), string(domain.MetricWonAmount)}

// Boards are the live leaderboards: per team, week and month, the visits,
// new deals and won amount of each member, in Redis sorted sets. Record
// adds each new report as it arrives; a board Redis has lost (or never had)
// is rebuilt from the database, the source of truth, when next read.
type Boards struct {
	kv  BoardStore
	st  domain.FigureSource
	loc *time.Location
	log *slog.Logger
}

// NewBoards builds the Boards.
func NewBoards(kv BoardStore, st domain.FigureSource, loc *time.Location, log *slog.Logger) *Boards {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Boards{kv: kv, st: st, loc: loc, log: log}
}

// Record counts a newly stored report on the boards it belongs to (the
// Router's OnRecorded hook). The visit counts on its team's boards for its
// visit date; a deal it won counts for the deal's team on the day it moved.
func (b *Boards) Record(ctx context.Context, rec domain.Recorded) {
	if rec.Duplicate || rec.Visit.ID == 0 {
		return
	}
	v := rec.Visit
	member := strconv.FormatInt(v.MemberID, 10)
	for _, s := range []Span{Week(v.VisitDate), Month(v.VisitDate)} {
		b.incr(ctx, s.board(v.TeamID), string(domain.MetricVisits), member, 1)
		if v.CreatedDeal {
			b.incr(ctx, s.board(v.TeamID), string(domain.MetricNewDeals), member, 1)
		}
	}
	if c := rec.StageChange; c != nil && c.To == domain.StageWon && c.Amount > 0 {
		day := domain.DateOf(c.At, b.loc)
		mover := strconv.FormatInt(c.MemberID, 10)
		for _, s := range []Span{Week(day), Month(day)} {
			b.incr(ctx, s.board(rec.Deal.TeamID), string(domain.MetricWonAmount), mover, float64(c.Amount))
		}
	}
}

func (b *Boards) incr(ctx context.Context, board, metric, member string, by float64) {
	if _, err := b.kv.BoardIncr(ctx, board, metric, member, by); err != nil {
		// The board will be wrong until rebuilt: drop it so the next read
		// rebuilds it from the database.
		b.log.Warn("leaderboard increment failed", "board", board, "metric", metric, "err", err)
		if err := b.kv.BoardDrop(context.WithoutCancel(ctx), board, boardMetrics); err != nil {
			b.log.Error("drop leaderboard", "board", board, "err", err)
		}
	}
}

// Forget drops the week and month boards containing day, so that the next
// read rebuilds them: call it after an undo or a correction.
func (b *Boards) Forget(ctx context.Context, teamID int64, day domain.Date) error {
	for _, s := range []Span{Week(day), Month(day)} {
		if err := b.kv.BoardDrop(ctx, s.board(teamID), boardMetrics); err != nil {
			return err
		}
	}
	return nil
}

// Figures reads a team's board for a span, rebuilding it from the database
// when Redis does not have it.
func (b *Boards) Figures(ctx context.Context, teamID int64, s Span) (map[int64]Figures, error) {
	out := map[int64]Figures{}
	for _, m := range boardMetrics {
		scores, built, err := b.kv.BoardScores(ctx, s.board(teamID), m)
		if err != nil {
			return nil, err
		}
		if !built {
			return b.Rebuild(ctx, teamID, s)
		}
		for member, v := range scores {
			id, err := strconv.ParseInt(member, 10, 64)
			if err != nil {
				continue
			}
			f := out[id]
			switch domain.Metric(m) {
			case domain.MetricVisits:
				f.Visits = int(v)
			case domain.MetricNewDeals:
				f.NewDeals = int(v)
			case domain.MetricWonAmount:
				f.WonAmount = int64(v)
			}
			out[id] = f
		}
	}
	return out, nil
}

// Rebuild loads a team's board for a span from the database into Redis.
func (b *Boards) Rebuild(ctx context.Context, teamID int64, s Span) (map[int64]Figures, error) {
	figs, err := b.count(ctx, teamID, s)
	if err != nil {
		return nil, err
	}
	scores := map[string]map[string]float64{}
	for _, m := range boardMetrics {
		scores[m] = map[string]float64{}
	}
	for id, f := range figs {
		k := strconv.FormatInt(id, 10)
		if f.Visits != 0 {
			scores[string(domain.MetricVisits)][k] = float64(f.Visits)
		}
		if f.NewDeals != 0 {
			scores[string(domain.MetricNewDeals)][k] = float64(f.NewDeals)
		}
		if f.WonAmount != 0 {
			scores[string(domain.MetricWonAmount)][k] = float64(f.WonAmount)
		}
	}
	if err := b.kv.BoardLoad(ctx, s.board(teamID), boardMetrics, scores, s.ttl()); err != nil {
		return nil, err
	}
	b.log.Info("leaderboard rebuilt from the database", "board", s.board(teamID), "members", len(figs))
	return figs, nil
}

// count reads the span's figures from the database.
func (b *Boards) count(ctx context.Context, teamID int64, s Span) (map[int64]Figures, error) {
	return domain.LoadFigures(ctx, b.st, teamID, domain.Span{From: s.From, To: s.To}, b.loc)
}

// standing is a rep's place on a leaderboard and on the one before.
type standing struct {
	domain.Standing
	PrevRank int // rank on the previous board; 0 when not on it
}

// planLeaderboard: on Monday, last week's board into the team group, with
// each member's movement since the week before. With leaderboard_top N the
// group sees the top N and everyone below hears their own rank privately.
func planLeaderboard(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) {
	week := Week(env.day.AddDays(-7))
	prevWeek := Week(env.day.AddDays(-14))
	figs, err := r.boards.Figures(ctx, env.team.ID, week)
	if err != nil {
		return nil, err
	}
	prevFigs, err := r.boards.Figures(ctx, env.team.ID, prevWeek)
	if err != nil {
		return nil, err
	}
	ranking := domain.Ranking{Standings: domain.Rank(env.members, figs), Top: env.cfg.LeaderboardTop}
	prev := map[int64]int{}
	for _, s := range domain.Rank(env.members, prevFigs) {
		prev[s.Member.ID] = s.Rank
	}
	rows := make([]standing, len(ranking.Standings))
	for i, s := range ranking.Standings {
		rows[i] = standing{Standing: s, PrevRank: prev[s.Member.ID]}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	active := false
	for _, s := range rows {
		active = active || !s.Figures.Zero()
	}
	if !active { // nothing to rank: a line, not a table of zeros
		text := fmt.Sprintf("**🏆 %s 上周排行榜（%s–%s）**\n上周团队没有拜访记录。本周记得随手记录每一次拜访！",
			env.team.Name, shortDate(week.From), shortDate(week.To))
		return r.toGroups(env, bot.Reply{Text: text, Markdown: true}), nil
	}
	inGroup, _ := ranking.Visible(domain.Member{}, true)
	shown := rows[:len(inGroup)] // the rest hear their own rank privately
	title := fmt.Sprintf("🏆 %s 上周排行榜（%s–%s）", env.team.Name, shortDate(week.From), shortDate(week.To))
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n拜访 / 新商机 / 赢单金额", title)
	for _, s := range shown {
		fmt.Fprintf(&b, "\n%s%d. %s %d / %d / %s %s", medal(s), s.Rank, s.Member.Name,
			s.Figures.Visits, s.Figures.NewDeals, yuanOrZero(s.Figures.WonAmount), movement(s))
	}
	if len(shown) < len(rows) {
		fmt.Fprintf(&b, "\n（只显示前 %d 名，其他同事的名次已私信发送）", env.cfg.LeaderboardTop)
	}
	if top, n := leader(rows, func(f Figures) int64 { return int64(f.NewDeals) }); top != "" {
		fmt.Fprintf(&b, "\n新商机最多：%s（%d 个）", top, n)
	}
	if top, n := leader(rows, func(f Figures) int64 { return f.WonAmount }); top != "" {
		fmt.Fprintf(&b, "\n赢单金额最高：%s（%s）", top, domain.Yuan(n))
	}
	reply := bot.Reply{Text: b.String(), Markdown: true}
	if r.charts != nil {
		png, err := r.charts.Leaderboard(title, chartRows(shown))
		if err != nil {
			r.log.Warn("leaderboard chart; sending markdown only", "team_id", env.team.ID, "err", err)
		} else {
			reply.Image = &bot.Image{PNG: png, Alt: title}
		}
	}
	out := r.toGroups(env, reply)
	if len(shown) < len(rows) {
		for _, s := range rows[len(shown):] {
			if env.isMuted(s.Member, JobLeaderboard) {
				continue
			}
			to, ok := r.memberDest(s.Member)
			if !ok {
				continue
			}
			text := fmt.Sprintf("上周（%s–%s）你在%s排第 %d 名（共 %d 人）：拜访 %d 次，新商机 %d 个，赢单 %s。%s",
				shortDate(week.From), shortDate(week.To), env.team.Name, s.Rank, len(rows),
				s.Figures.Visits, s.Figures.NewDeals, yuanOrZero(s.Figures.WonAmount), movementSentence(s))
			out = append(out, Message{Recipient: memberRecipient(s.Member), Name: s.Member.Name, Reply: bot.Reply{To: to, Text: text}})
		}
	}
	return out, nil
}

func chartRows(rows []standing) []chart.Row {
	out := make([]chart.Row, len(rows))
	for i, s := range rows {
		out[i] = chart.Row{
			Rank: s.Rank, Name: s.Member.Name, Value: float64(s.Figures.Visits),
			Label: fmt.Sprintf("%d 次", s.Figures.Visits),
			Extra: fmt.Sprintf("新商机 %d · 赢单 %s", s.Figures.NewDeals, yuanOrZero(s.Figures.WonAmount)),
			Move:  movement(s),
		}
	}
	return out
}

// medal marks the first three places of members who did something.
func medal(s standing) string {
	if s.Figures.Zero() {
		return ""
	}
	switch s.Rank {
	case 1:
		return "🥇"
	case 2:
		return "🥈"
	case 3:
		return "🥉"
	}
	return ""
}

// movement is the change of rank since the previous board: ↑2, ↓1, –, or
// 新 for someone not on it.
func movement(s standing) string {
	switch {
	case s.PrevRank == 0:
		return "新"
	case s.Rank < s.PrevRank:
		return fmt.Sprintf("↑%d", s.PrevRank-s.Rank)
	case s.Rank > s.PrevRank:
		return fmt.Sprintf("↓%d", s.Rank-s.PrevRank)
	}
	return "–"
}

func movementSentence(s standing) string {
	switch {
	case s.PrevRank == 0:
		return ""
	case s.Rank < s.PrevRank:
		return fmt.Sprintf("比前一周上升 %d 名，继续加油！", s.PrevRank-s.Rank)
	case s.Rank > s.PrevRank:
		return fmt.Sprintf("比前一周下降 %d 名。", s.Rank-s.PrevRank)
	}
	return "与前一周持平。"
}

// leader names whoever leads on a figure ("" when nobody has any); ties
// are all named.
func leader(rows []standing, fig func(Figures) int64) (string, int64) {
	var best int64
	for _, s := range rows {
		best = max(best, fig(s.Figures))
	}
	if best == 0 {
		return "", 0
	}
	var names []string
	for _, s := range rows {
		if fig(s.Figures) == best {
			names = append(names, s.Member.Name)
		}
	}
	return strings.Join(names, "、"), best
}
