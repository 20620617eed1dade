package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/bot/parse"
	"salesbot/domain"
)

func TestCockpitWords(t *testing.T) {
	p := bot.NewParser(nil, parse.Lexicon{})
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		text   string
		kind   bot.CommandKind
		period string
		args   string
	}{
		{"漏斗", bot.CmdFunnel, "month", ""},
		{"转化率", bot.CmdFunnel, "month", ""},
		{"本季度漏斗", bot.CmdFunnel, "quarter", ""},
		{"近90天的转化率", bot.CmdFunnel, "90d", ""},
		{"看看团队的销售漏斗", bot.CmdFunnel, "month", ""},
		{"漏斗 上个月", bot.CmdFunnel, "last_month", ""},
		{"我的目标", bot.CmdTargets, "", ""},
		{"团队目标完成情况？", bot.CmdTargets, "", ""},
		{"设置目标 李娜 12月 拜访60 签约100万", bot.CmdSetTarget, "", "李娜 12月 拜访60 签约100万"},
		{"设目标：团队 本月 拜访200", bot.CmdSetTarget, "", "团队 本月 拜访200"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			u := p.Understand(tt.text, at)
			got := u.Command
			if u.Intent != domain.IntentCommand || got.Kind != tt.kind || got.Period != tt.period || got.Text != tt.args {
				t.Errorf("Understand(%q) = %s %+v; want %s period %q args %q", tt.text, u.Intent, got, tt.kind, tt.period, tt.args)
			}
		})
	}
	for _, text := range []string{"今天拜访华辰科技，聊了漏斗分析的需求", "目标客户是华辰科技，下周拜访", "设置一下提醒"} {
		t.Run("Not/"+text, func(t *testing.T) {
			u := p.Understand(text, at)
			if k := u.Command.Kind; k == bot.CmdFunnel || k == bot.CmdTargets || k == bot.CmdSetTarget {
				t.Errorf("Understand(%q) = %s", text, k)
			}
		})
	}
}

// drawer records the funnel pictures asked for.
type drawer struct {
	titles []string
	steps  [][]bot.FunnelBar
}

func (d *drawer) Funnel(title string, steps []bot.FunnelBar) ([]byte, error) {
	d.titles = append(d.titles, title)
	d.steps = append(d.steps, steps)
	return []byte("\x89PNG fake"), nil
}

func TestTargetsInChat(t *testing.T) {
	s := bottest.New(t) // Monday 5 January 2026, 10:00
	lina, wang, boss := s.Demo.Member("李娜"), s.Demo.Member("王强"), s.Demo.Member("张伟")

	mustContain(t, text(s.Send(t, lina, "", "t1", "设置目标 李娜 1月 拜访20 签约100万")), "只有经理或管理员可以设置目标")
	mustContain(t, text(s.Send(t, boss, "", "t2", "设置目标 杨帆 1月 拜访20")), "只能给自己团队的成员设置目标")
	mustContain(t, text(s.Send(t, boss, "", "t3", "设置目标 李娜 1月 拜访20 签约100万")), "已设置 李娜 2026-01 的目标：拜访 20 次，赢单金额 100万")
	mustContain(t, text(s.Send(t, boss, "", "t4", "设置目标 李娜 1月 拜访20")), "没有改动")
	mustContain(t, text(s.Send(t, boss, "", "t5", "设置目标 团队 本月 拜访50 新商机6")), "已设置 华东大客户部 2026-01 的目标：拜访 50 次，新商机 6 个")
	mustContain(t, text(s.Send(t, boss, "", "t6", "设置目标 李娜 拜访")), "看不懂「拜访」", "格式：设置目标")
	mustContain(t, text(s.Send(t, boss, "", "t7", "设置目标 李娜 1月")), "没有写目标数值")

	s.Send(t, lina, "", "r1", "今天拜访华辰科技张总，合同签了，120万")
	s.Send(t, wang, "", "r2", "今天拜访德润精密刘经理，聊了需求")

	// 20 working days from Monday 5 January to the 30th, today included.
	got := text(s.Send(t, lina, "", "q1", "我的目标"))
	mustContain(t, got, "李娜 1月目标", "还剩 20 个工作日", "拜访 1 次 / 20 次（5%），还需每个工作日 1 次",
		"赢单金额 120万 / 100万（120%） ✅ 已完成", "新商机 1 个（未设目标）")
	if strings.Contains(got, "王强") {
		t.Errorf("a rep sees a colleague's figures:\n%s", got)
	}

	got = text(s.Send(t, boss, "", "q2", "我的目标"))
	mustContain(t, got, "华东大客户部 1月目标", "**团队**", "拜访 2 次 / 50 次（4%），还需每个工作日 3 次",
		"新商机 2 个 / 6 个（33%）", "**李娜**", "**王强**", "**刘洋**")

	// Asked in the group, the answer goes privately.
	rs := s.Send(t, lina, s.Demo.East.WeComChatID, "q3", "我的目标")
	if len(rs) != 2 || rs[0].To.ChatID != "" || rs[1].Text != "已私聊发给你。" {
		t.Errorf("group answer = %+v", rs)
	}
}

func TestFunnelInChat(t *testing.T) {
	d := &drawer{}
	s := bottest.New(t, bottest.Options{Charts: d})
	lina, wang, boss := s.Demo.Member("李娜"), s.Demo.Member("王强"), s.Demo.Member("张伟")
	day := func(n int) { s.Clock.Set(time.Date(2026, 1, n, 10, 0, 0, 0, s.Loc)) }

	day(5)
	s.Send(t, lina, "", "f1", "今天拜访华辰科技张总，初次接触，预算50万")
	s.Send(t, wang, "", "f2", "今天拜访德润精密刘经理，已发报价30万")
	day(9)
	s.Send(t, lina, "", "f3", "今天拜访华辰科技张总，已发报价50万")
	day(12)
	s.Send(t, lina, "", "f4", "华辰科技合同签了，50万")

	got := text(s.Send(t, lina, "", "q1", "漏斗"))
	// 李娜: one deal, 初步接触 4 days, then 报价 3 days, won.
	mustContain(t, got, "李娜 销售漏斗 · 本月", "1月1日–1月12日", "推进过的商机 1 个 · 赢单 1 个 50万 · 输单 0 个 · 赢率 100%",
		"初步接触 1 个 · 50万 → 需求分析 100% · 停留中位 4 天", "报价 1 个 · 50万 → 谈判 100% · 停留中位 3 天", "签约 1 个 · 50万")
	if strings.Contains(got, "王强") || strings.Contains(got, "各成员") {
		t.Errorf("a rep sees the team:\n%s", got)
	}

	rs := s.Send(t, boss, "", "q2", "本季度转化率")
	got = text(rs)
	// The team: 华辰 (won) and 德润精密 (opened at 报价): both reached 报价,
	// one went on; 初步接触 stays: 4 days (华辰 only; 德润精密 started later).
	mustContain(t, got, "华东大客户部 销售漏斗 · 本季度", "推进过的商机 2 个", "赢率 100%",
		"初步接触 2 个 · 80万 → 需求分析 100% · 停留中位 4 天", "报价 2 个 · 80万 → 谈判 50%",
		"**各成员**", "李娜：商机 1 个，赢单 1 个（50万），输单 0 个，赢率 100%", "王强：商机 1 个，赢单 0 个，输单 0 个，赢率 —", "刘洋：商机 0 个")
	if len(rs) != 2 || rs[1].Image == nil {
		t.Fatalf("want text and a picture, got %+v", rs)
	}
	last := d.steps[len(d.steps)-1]
	var notes []string
	for _, st := range last {
		notes = append(notes, st.Label+" "+st.Note)
	}
	want := []string{"初步接触 2 个 · 转化 100%", "需求分析 2 个 · 转化 100%", "方案 2 个 · 转化 100%",
		"报价 2 个 · 转化 50%", "谈判 1 个 · 转化 100%", "签约 1 个 · 50万"}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("picture steps (-want +got):\n%s", diff)
	}

	day(13)
	mustContain(t, text(s.Send(t, s.Demo.Member("刘洋"), "", "q3", "漏斗")), "刘洋 销售漏斗 · 本月", "还没有商机推进记录")
}
