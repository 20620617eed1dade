package bot

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"salesbot/domain"
)

// 我的目标 and 设置目标 in chat.

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
	s := l.Text()
	if l.Target <= 0 {
		return s
	}
	m := l.Metric
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
		case targetMonthRe.MatchString(f):
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
