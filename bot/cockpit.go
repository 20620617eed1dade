package bot

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
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
	{"最近90天", "90d"}, {"近90天", "90d"}, {"90天", "90d"}, {"近三个月", "90d"}, {"近3个月", "90d"},
	{"本季度", "quarter"}, {"这个季度", "quarter"}, {"本季", "quarter"},
	{"本月", "month"}, {"这个月", "month"}, {"上月", "last_month"}, {"上个月", "last_month"},
	{"本周", "week"}, {"这周", "week"},
}

func cutPeriod(s string) (period, rest string) {
	for _, p := range funnelPeriods {
		if strings.Contains(s, p.word) {
			return p.period, strings.Replace(s, p.word, "", 1)
		}
	}
	return "month", s
}

// funnelSpan is the days a funnel period covers, up to today.
func funnelSpan(today domain.Date, period string) (domain.Span, string) {
	switch period {
	case "quarter":
		return domain.Span{From: today.QuarterSpan().From, To: today}, "本季度"
	case "90d":
		return domain.Span{From: today.AddDays(-89), To: today}, "近90天"
	case "week":
		return domain.Span{From: today.WeekSpan().From, To: today}, "本周"
	case "last_month":
		return today.MonthSpan().From.AddDays(-1).MonthSpan(), "上月"
	}
	return domain.Span{From: today.MonthSpan().From, To: today}, "本月"
}

func (c *conv) funnel(ctx context.Context, cmd Command) ([]Reply, error) {
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	span, label := funnelSpan(today, cmd.Period)
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

func (c *conv) targets(ctx context.Context) ([]Reply, error) {
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	r, err := c.r.svc.Targets(ctx, c.me, today)
	if err != nil {
		return c.fail(err)
	}
	month := today.Time(c.r.svc.Location()).Month()
	var b strings.Builder
	who := c.me.Name
	if c.me.Role != domain.RoleRep {
		who = r.TeamName
	}
	fmt.Fprintf(&b, "**🎯 %s %d月目标**（截至%s，本月还剩 %d 个工作日，含今天）", who, month, shortDay(today), r.DaysLeft)
	if len(r.Team) > 0 {
		b.WriteString("\n**团队**")
		for _, l := range r.Team {
			b.WriteString("\n· " + targetLineText(l, r.DaysLeft))
		}
	}
	for _, m := range r.Members {
		if len(r.Team) > 0 {
			fmt.Fprintf(&b, "\n**%s**", m.Member.Name)
		}
		for _, l := range m.Lines {
			b.WriteString("\n· " + targetLineText(l, r.DaysLeft))
		}
	}
	if !anyTarget(r) {
		b.WriteString("\n本月还没有设置目标。经理可以发送：设置目标 姓名 " + strconv.Itoa(int(month)) + "月 拜访60 新商机5 签约100万")
	}
	return []Reply{{To: c.to, Text: b.String(), Markdown: true}}, nil
}

func anyTarget(r domain.TargetReport) bool {
	for _, l := range r.Team {
		if l.Target > 0 {
			return true
		}
	}
	for _, m := range r.Members {
		for _, l := range m.Lines {
			if l.Target > 0 {
				return true
			}
		}
	}
	return false
}

func targetLineText(l domain.TargetLine, daysLeft int) string {
	m := l.Metric
	if l.Target <= 0 {
		return fmt.Sprintf("%s %s（未设目标）", m.Label(), m.Format(l.Done))
	}
	s := fmt.Sprintf("%s %s / %s（%d%%）", m.Label(), m.Format(l.Done), m.Format(l.Target), l.Done*100/l.Target)
	per := l.PerDay(daysLeft)
	if m == domain.MetricWonAmount {
		per = (per + 99) / 100 * 100 // a pace in whole hundreds: 3.34万, not 33334元
	}
	switch {
	case l.Done >= l.Target:
		s += " ✅ 已完成"
	case per > 0:
		s += "，还需每个工作日 " + m.Format(per)
	default:
		s += "，本月已没有工作日"
	}
	return s
}

// targetArgs reads 设置目标's arguments: 李娜 12月 拜访60 新商机5 签约100万.
var (
	targetMonthRe  = regexp.MustCompile(`^(?:(\d{4})[-年/.])?(\d{1,2})月?$`)
	targetMetricRe = regexp.MustCompile(`^(拜访|新商机|商机|签约金额|签约|赢单金额|赢单|业绩)[:：]?(\d+(?:\.\d+)?)(次|个|万|w|W|亿|元)?$`)
)

var targetMetricWords = map[string]domain.Metric{
	"拜访": domain.MetricVisits, "新商机": domain.MetricNewDeals, "商机": domain.MetricNewDeals,
	"签约金额": domain.MetricWonAmount, "签约": domain.MetricWonAmount, "赢单金额": domain.MetricWonAmount,
	"赢单": domain.MetricWonAmount, "业绩": domain.MetricWonAmount,
}

const setTargetUsage = "格式：设置目标 姓名 月份 指标，例如：设置目标 李娜 12月 拜访60 新商机5 签约100万（姓名写「团队」设置整个团队的目标）"

func (c *conv) setTarget(ctx context.Context, cmd Command) ([]Reply, error) {
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	in, err := parseTargetArgs(cmd.Text, today)
	if err != nil {
		return c.say(err.Error() + "\n" + setTargetUsage), nil
	}
	if in.Member == "团队" {
		team, err := c.r.svc.TeamOf(ctx, c.me)
		if err != nil {
			return c.fail(err)
		}
		in.Member, in.Team = "", team.Name
	}
	result, err := c.r.svc.SetTargets(ctx, c.me, in)
	if err != nil {
		return c.fail(err)
	}
	var parts []string
	for _, m := range domain.Metrics {
		if v, ok := in.Values[m]; ok {
			parts = append(parts, m.Label()+" "+m.Format(v))
		}
	}
	who := in.Member + in.Team
	if result == domain.Unchanged {
		return c.say(fmt.Sprintf("%s %s 的目标本来就是：%s，没有改动。", who, in.Month, strings.Join(parts, "，"))), nil
	}
	return c.say(fmt.Sprintf("已设置 %s %s 的目标：%s。发送「我的目标」查看进度。", who, in.Month, strings.Join(parts, "，"))), nil
}

// parseTargetArgs reads "姓名 月份 指标…"; a month without a year is the
// next such month from today (12月 in December is this December, 1月 in
// December next January).
func parseTargetArgs(text string, today domain.Date) (domain.TargetInput, error) {
	in := domain.TargetInput{Values: map[domain.Metric]int64{}}
	fields := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '　' || r == '，' || r == ',' || r == '、' })
	for _, f := range fields {
		switch {
		case f == "本月" || f == "这个月":
			in.Month = today.Month()
		case f == "下月" || f == "下个月":
			in.Month = today.MonthSpan().To.AddDays(1).Month()
		case targetMonthRe.MatchString(f) && in.Member != "":
			m := targetMonthRe.FindStringSubmatch(f)
			month, _ := strconv.Atoi(m[2])
			year, _ := strconv.Atoi(m[1])
			if year == 0 {
				year, _ = strconv.Atoi(string(today[:4]))
				if fmt.Sprintf("%04d-%02d", year, month) < today.Month() {
					year++
				}
			}
			in.Month = fmt.Sprintf("%04d-%02d", year, month)
		case targetMetricRe.MatchString(f):
			m := targetMetricRe.FindStringSubmatch(f)
			metric := targetMetricWords[m[1]]
			v, err := strconv.ParseFloat(m[2], 64)
			if err != nil {
				return in, fmt.Errorf("看不懂「%s」", f)
			}
			switch m[3] {
			case "万", "w", "W":
				v *= 10_000
			case "亿":
				v *= 100_000_000
			}
			if metric != domain.MetricWonAmount && v != float64(int64(v)) {
				return in, fmt.Errorf("「%s」应为整数", f)
			}
			in.Values[metric] = int64(v + 0.5)
		case in.Member == "":
			in.Member = f
		default:
			return in, fmt.Errorf("看不懂「%s」", f)
		}
	}
	switch {
	case in.Member == "":
		return in, fmt.Errorf("没有写给谁设置目标")
	case len(in.Values) == 0:
		return in, fmt.Errorf("没有写目标数值")
	case in.Month == "":
		in.Month = today.Month()
	}
	return in, nil
}
