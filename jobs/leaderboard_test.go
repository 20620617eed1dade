package jobs_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/kv/kvtest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// Boards kept live as reports arrive equal the database's figures, and a
// board Redis lost is rebuilt identically.
func TestLeaderboardRebuild(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(5, 9, 0))
		r := h.replica(jobs.Config{}, nil)
		boards := r.runner.Boards()
		week, month := jobs.Week("2026-01-07"), jobs.Month("2026-01-07")
		// Build the (empty) boards first, so that reports count live.
		for _, sp := range []jobs.Span{week, month} {
			if _, err := boards.Figures(h.ctx, h.East.ID, sp); err != nil {
				t.Fatal(err)
			}
		}
		lina, wang, liu := h.EastReps[0], h.EastReps[1], h.EastReps[2]
		plan := []struct {
			day    int
			m      domain.Member
			cust   string
			report domain.Report
		}{
			{5, lina, "华辰科技有限公司", domain.Report{}},
			{5, wang, "德润精密机械有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 300_000}}},
			{6, lina, "金石重工股份有限公司", domain.Report{}},
			{6, wang, "德润精密机械有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageWon, Amount: 350_000}}},
			{7, liu, "蓝鲸新材料科技有限公司", domain.Report{}},
			{7, lina, "华辰科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageWon, Amount: 500_000}}},
			{8, liu, "云州市第一人民医院", domain.Report{Facts: domain.Facts{VisitDate: "2026-01-07"}}}, // 补录 for yesterday
		}
		for _, p := range plan {
			h.clock.Set(at(p.day, 10, 0))
			boards.Record(h.ctx, h.report(p.m, p.cust, p.report))
		}
		live := map[jobs.Span]map[int64]jobs.Figures{}
		for _, sp := range []jobs.Span{week, month} {
			f, err := boards.Figures(h.ctx, h.East.ID, sp)
			if err != nil {
				t.Fatal(err)
			}
			live[sp] = f
		}
		want := map[int64]jobs.Figures{
			lina.ID: {Visits: 3, NewDeals: 2, WonAmount: 500_000},
			wang.ID: {Visits: 2, NewDeals: 1, WonAmount: 350_000},
			liu.ID:  {Visits: 2, NewDeals: 2},
		}
		if diff := cmp.Diff(want, live[week]); diff != "" {
			t.Errorf("live week board (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, live[month]); diff != "" {
			t.Errorf("live month board (-want +got):\n%s", diff)
		}

		kvtest.Flush(t, h.kv) // Redis lost everything
		for _, sp := range []jobs.Span{week, month} {
			got, err := boards.Figures(h.ctx, h.East.ID, sp)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(live[sp], got); diff != "" {
				t.Errorf("rebuilt %c board differs from the live one (-live +rebuilt):\n%s", sp.Kind, diff)
			}
		}
		// Rebuilt boards count live again.
		h.clock.Set(at(8, 11, 0))
		boards.Record(h.ctx, h.report(wang, "德润医疗器械有限公司", domain.Report{}))
		got, _ := boards.Figures(h.ctx, h.East.ID, week)
		if got[wang.ID].Visits != 3 {
			t.Errorf("after a new report wang has %d visits, want 3", got[wang.ID].Visits)
		}
	})
}

// The Monday leaderboard: last week's ranks, movement since the week
// before, and with leaderboard_top the others' ranks privately.
func TestLeaderboardJob(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(5, 9, 0))
	lina, wang, liu := h.EastReps[0], h.EastReps[1], h.EastReps[2]
	// Week of 5 Jan: wang 2, lina 1. Week of 12 Jan: lina 2, liu 1 and a win.
	for _, v := range []struct {
		day  int
		m    domain.Member
		cust string
		r    domain.Report
	}{
		{5, wang, "德润精密机械有限公司", domain.Report{}}, {6, wang, "德润医疗器械有限公司", domain.Report{}},
		{7, lina, "华辰科技有限公司", domain.Report{}},
		{12, lina, "华辰科技有限公司", domain.Report{}}, {13, lina, "金石重工股份有限公司", domain.Report{}},
		{14, liu, "蓝鲸新材料科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageWon, Amount: 120_000}}},
	} {
		h.clock.Set(at(v.day, 10, 0))
		h.report(v.m, v.cust, v.r)
	}
	h.clock.Set(at(19, 9, 0))
	r := h.replica(jobs.Config{}, nil)
	msgs, err := r.runner.Plan(h.ctx, jobs.JobLeaderboard, h.East.ID, "2026-01-19")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Recipient != "g" || msgs[0].Reply.To.ChatID != h.East.SimChatID() {
		t.Fatalf("messages = %+v", msgs)
	}
	text := msgs[0].Reply.Text
	for _, line := range []string{
		"**🏆 华东大客户部 上周排行榜（1月12日–1月18日）**",
		"🥇1. 李娜 2 / 1 / 0 ↑1",
		"🥈2. 刘洋 1 / 1 / 12万 ↑1",
		"\n3. 王强 0 / 0 / 0 ↓2",
		"赢单金额最高：刘洋（12万）",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("leaderboard lacks %q:\n%s", line, text)
		}
	}

	if err := s.SaveSetting(h.ctx, domain.Setting{TeamID: h.East.ID, Name: jobs.SettingLeaderboardTop, Value: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.MuteJob(h.ctx, liu, jobs.JobLeaderboard, true); err != nil {
		t.Fatal(err)
	}
	msgs, err = r.runner.Plan(h.ctx, jobs.JobLeaderboard, h.East.ID, "2026-01-19")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || strings.Contains(msgs[0].Reply.Text, "王强") || !strings.Contains(msgs[0].Reply.Text, "只显示前 1 名") {
		t.Fatalf("top-1 messages = %+v", msgs)
	}
	own := msgs[1]
	if own.Recipient != recipient(wang) || own.Reply.To.UserID != wang.SimUserID ||
		!strings.Contains(own.Reply.Text, "你在华东大客户部排第 3 名（共 3 人）") || !strings.Contains(own.Reply.Text, "下降 2 名") {
		t.Errorf("wang's own rank = %+v", own)
	}
}

// rankLine matches the "rank. name visits / new deals / won" lines of a
// ranking as the chat answer and the leaderboard both write them.
var rankLine = regexp.MustCompile(`(\d+)\. (\S+) (\d+ / \d+ / \S+)`)

func text(rs []bot.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(bot.PlainText(r) + "\n")
	}
	return b.String()
}

func rankLines(s string) []string {
	var out []string
	for _, m := range rankLine.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1]+". "+m[2]+" "+m[3])
	}
	return out
}

// On the same week's records, 本周排行 asked on Sunday and the Monday
// leaderboard rank the same reps the same way, and under leaderboard_top
// the group sees the same top and a rep below it the same own rank.
func TestLeaderboardAgreesWithChat(t *testing.T) {
	t.Parallel()
	s := bottest.New(t) // Monday 2026-01-05 10:00
	lina, wang, liu, boss := s.Demo.Member("李娜"), s.Demo.Member("王强"), s.Demo.Member("刘洋"), s.Demo.Member("张伟")
	group := s.Demo.East.SimChatID()
	for i, r := range []struct {
		m    domain.Member
		text string
	}{
		{lina, "今天拜访金石重工张总，聊了需求"},
		{wang, "今天拜访德润精密王总，聊了需求"},
		{liu, "今天拜访蓝鲸新材料赵总，聊了需求"},
		{boss, "今天拜访华辰科技李经理，聊了合作"},
		{boss, "今天电话联系了金石重工钱总，聊了合作"},
	} {
		s.Send(t, r.m, "", "v"+string(rune('a'+i)), r.text)
	}
	s.Clock.Set(s.Clock.Now().AddDate(0, 0, 1))
	s.Send(t, lina, "", "w", "今天电话联系了华辰科技李经理，聊了需求")
	s.Clock.Set(s.Clock.Now().AddDate(0, 0, 5)) // Sunday 11 January

	runner := jobs.NewRunner(jobs.Deps{Store: s.Store, KV: s.KV, Senders: bot.Senders{domain.PlatformSim: &recorder{}},
		Loc: s.Loc, Now: func() time.Time { return s.Clock.Now().AddDate(0, 0, 1) }}, jobs.Config{})
	board := func() []jobs.Message {
		t.Helper()
		msgs, err := runner.Plan(context.Background(), jobs.JobLeaderboard, s.Demo.East.ID, "2026-01-12")
		if err != nil {
			t.Fatal(err)
		}
		return msgs
	}

	chat := rankLines(text(s.Send(t, boss, "", "q1", "本周排行")))
	job := rankLines(board()[0].Reply.Text)
	if diff := cmp.Diff(chat, job); diff != "" {
		t.Errorf("本周排行 and the leaderboard differ (-chat +job):\n%s", diff)
	}
	want := []string{"1. 李娜 2 / 1 / 0", "2. 刘洋 1 / 1 / 0", "2. 王强 1 / 1 / 0"}
	if diff := cmp.Diff(want, chat); diff != "" {
		t.Errorf("ranking (-want +got):\n%s", diff)
	}

	if err := s.Store.SaveSetting(context.Background(), domain.Setting{TeamID: s.Demo.East.ID, Name: domain.SettingLeaderboardTop, Value: "1"}); err != nil {
		t.Fatal(err)
	}
	msgs := board()
	chat, job = rankLines(text(s.Send(t, liu, group, "q2", "本周排行"))), rankLines(msgs[0].Reply.Text)
	if diff := cmp.Diff([]string{"1. 李娜 2 / 1 / 0"}, chat); diff != "" || !cmp.Equal(chat, job) {
		t.Errorf("group top 1: chat %q, job %q", chat, job)
	}
	if len(msgs) != 3 || msgs[1].Recipient != recipient(liu) {
		t.Fatalf("leaderboard messages = %+v, want the group's and 刘洋's and 王强's own ranks", msgs)
	}
	own := text(s.Send(t, liu, "", "q3", "本周排行"))
	if !strings.Contains(own, "你排第 2 名（共 3 人）") || !strings.Contains(msgs[1].Reply.Text, "你在华东大客户部排第 2 名（共 3 人）") {
		t.Errorf("刘洋's own rank: chat %q, job %q", own, msgs[1].Reply.Text)
	}
}
