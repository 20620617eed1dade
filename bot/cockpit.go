package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"salesbot/domain"
)

// The manager's cockpit in chat: 漏斗 / 转化率 (with a period), 我的目标, and
// 设置目标 for managers.

// cockpitWord recognises the cockpit commands. 设置目标 keeps its arguments
// in Text; they are read when answered, against the day it is asked.
func cockpitWord(text string) (Command, bool) {
	s := strings.Trim(strings.TrimSpace(text), "。.!！?？")
	for _, p := range []string{"设置目标", "设定目标", "设目标"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return Command{Kind: CmdSetTarget, Text: strings.TrimLeft(rest, " :：，,")}, true
		}
	}
	if strings.Contains(s, "漏斗") || strings.Contains(s, "转化率") {
		period, rest := cutPeriod(s)
		if strings.Trim(funnelFiller.Replace(rest), " ") == "" {
			return Command{Kind: CmdFunnel, Period: period}, true
		}
	}
	if strings.Contains(s, "目标") && strings.Trim(targetFiller.Replace(s), " ") == "" {
		return Command{Kind: CmdTargets}, true
	}
	return Command{}, false
}

// The words that may stand around 漏斗 / 转化率 and 目标 in a command.
var (
	funnelFiller = strings.NewReplacer("漏斗", "", "转化率", "", "转化", "", "销售", "", "商机", "", "团队", "", "我的", "",
		"我们", "", "看看", "", "看下", "", "看一下", "", "查看", "", "查询", "", "查", "", "的", "", "和", "", "、", "", "/", "", "情况", "")
	targetFiller = strings.NewReplacer("目标", "", "我的", "", "团队", "", "本月", "", "这个月", "", "完成", "", "进度", "",
		"情况", "", "看看", "", "查看", "", "查询", "", "的", "", "怎么样", "", "多少", "")
)

// funnelPeriods are the periods 漏斗 understands, by the words for them.
var funnelPeriods = []struct{ word, period string }{
	{"最近90天", domain.PeriodLast90}, {"近90天", domain.PeriodLast90}, {"90天", domain.PeriodLast90},
	{"近三个月", domain.PeriodLast90}, {"近3个月", domain.PeriodLast90},
	{"本季度", domain.PeriodQuarter}, {"这个季度", domain.PeriodQuarter}, {"本季", domain.PeriodQuarter},
	{"本月", domain.PeriodMonth}, {"这个月", domain.PeriodMonth}, {"上月", domain.PeriodLastMonth}, {"上个月", domain.PeriodLastMonth},
	{"本周", domain.PeriodWeek}, {"这周", domain.PeriodWeek},
}

func cutPeriod(s string) (period, rest string) {
	for _, p := range funnelPeriods {
		if strings.Contains(s, p.word) {
			return p.period, strings.Replace(s, p.word, "", 1)
		}
	}
	return domain.PeriodMonth, s
}

func (c *conv) funnel(ctx context.Context, cmd Command) ([]Reply, error) {
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	span, label, ok := today.Period(cmd.Period)
	if !ok {
		span, label, _ = today.Period(domain.PeriodMonth)
	}
	rep, err := c.r.svc.FunnelOf(ctx, c.me, span)
	if err != nil {
		return c.fail(err)
	}
	title := fmt.Sprintf("%s 销售漏斗 · %s", rep.Scope, label)
	if rep.Funnel.Deals == 0 {
		return c.say(fmt.Sprintf("%s（%s）还没有商机推进记录。记录拜访时说明阶段（如「已发报价」），漏斗就会有数据。", title, spanText(span))), nil
	}
	text := FunnelText(title, rep.Funnel)
	if len(rep.Members) > 0 {
		text += "\n\n" + membersFunnelText(rep.Members)
	}
	reply := Reply{To: c.to, Text: text, Markdown: true}
	if c.r.charts != nil {
		png, err := FunnelPicture(c.r.charts, title, rep.Funnel)
		if err != nil {
			c.r.log.Warn("funnel chart; answering with text only", "member_id", c.me.ID, "err", err)
		} else {
			return []Reply{reply, {To: c.to, Text: title, Image: &Image{PNG: png, Alt: title}}}, nil
		}
	}
	return []Reply{reply}, nil
}

func spanText(s domain.Span) string {
	return shortDay(s.From) + "–" + shortDay(s.To)
}

func shortDay(d domain.Date) string {
	t := d.Time(time.UTC)
	if t.IsZero() {
		return string(d)
	}
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

func membersFunnelText(ms []domain.MemberFunnel) string {
	var b strings.Builder
	b.WriteString("**各成员**")
	for _, m := range ms {
		f := m.Funnel
		fmt.Fprintf(&b, "\n· %s：商机 %d 个，赢单 %d 个", m.Member.Name, f.Deals, f.Won)
		if f.WonAmount > 0 {
			fmt.Fprintf(&b, "（%s）", domain.Yuan(f.WonAmount))
		}
		fmt.Fprintf(&b, "，输单 %d 个，赢率 %s", f.Lost, rateText(f.WinRate()))
	}
	return b.String()
}
