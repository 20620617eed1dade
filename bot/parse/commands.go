package parse

import (
	"strings"
	"unicode/utf8"

	"salesbot/domain"
)

// Commands (CONTRACT.md "intent: command"): requests to the bot about the
// sender's own records. The router acts on Record.Command.

// CommandKind names what the sender asks for.
type CommandKind string

// The commands the parser recognises.
const (
	CommandRankings       CommandKind = "rankings"        // 排行榜, 本周排名
	CommandMyCustomers    CommandKind = "my_customers"    // 我的客户
	CommandFollowupsToday CommandKind = "followups_today" // 今天要跟进哪些; Date says which day
	CommandFollowupsWeek  CommandKind = "followups_week"  // 本周待跟进
	CommandDealProgress   CommandKind = "deal_progress"   // 查一下华辰集团的进展; Customer
	CommandUndo           CommandKind = "undo"            // 撤销上一条
	CommandCorrect        CommandKind = "correct"         // 改一下，金额是60万; Changes, Unparsed, Customer
	CommandHelp           CommandKind = "help"            // 帮助
	CommandExport         CommandKind = "export"          // 导出我的客户列表; Subject
	CommandSetReminder    CommandKind = "set_reminder"    // 明天提醒我给张总打电话; Date and Text
	CommandStats          CommandKind = "stats"           // 本月业绩, 我这个月拜访了多少家客户
	CommandMyVisits       CommandKind = "my_visits"       // 看下我这个月的拜访记录
	CommandFunnel         CommandKind = "funnel"          // 漏斗, 转化率
	CommandPool           CommandKind = "pool"            // 公海
	CommandClaim          CommandKind = "claim"           // 领取 客户名; Customer
	CommandAssign         CommandKind = "assign"          // 分配 客户名 给 成员名; Customer and Text (the member)
)

// Periods a command may name: the domain's period names (domain.Date.Period
// gives each one's span).
const (
	PeriodToday     = domain.PeriodToday
	PeriodWeek      = domain.PeriodWeek
	PeriodLastWeek  = domain.PeriodLastWeek
	PeriodMonth     = domain.PeriodMonth
	PeriodLastMonth = domain.PeriodLastMonth
	PeriodQuarter   = domain.PeriodQuarter
	PeriodHalf      = domain.PeriodHalf
	PeriodYear      = domain.PeriodYear
	PeriodLast90    = domain.PeriodLast90
)

// Fields a correction may name (the Record's JSON keys).
const (
	FieldCustomer   = "customer"
	FieldContacts   = "contacts"
	FieldChannel    = "channel"
	FieldVisitDate  = "visit_date"
	FieldStage      = "stage"
	FieldAmount     = "amount"
	FieldNextDate   = "next_date"
	FieldNextAction = "next_action"
)

// Command is a recognised request to the bot.
type Command struct {
	Kind CommandKind
	// Period is the span a ranking, statistic, list or export is about
	// (one of the Period constants), "" when none is named.
	Period string
	// Date is a day the command names, YYYY-MM-DD: the day whose follow-ups
	// are asked for, or when to remind.
	Date string
	// Customer is the customer a deal_progress asks about: a canonical name
	// when CustomerKnown, else as written. Candidates is set when ambiguous.
	Customer      string
	CustomerKnown bool
	Candidates    []string
	// Changes are a correction's fields, in text order, each with its new
	// value; Unparsed holds, as written, each part of the correction that
	// could not be read. Customer (CustomerKnown, Candidates) is the record
	// the correction names (德润那条金额改成80万), "" for the last one.
	Changes  []Change
	Unparsed []string
	// Subject is what an export is about: "customers", "visits" or "deals".
	Subject string
	// Text is what a reminder is about.
	Text string
}

// command recognises a command in the message body (bot mentions removed).
// Query commands are refused when the message reads like a report.
func (d *Dictionary) command(m *msg, body string, reportLike bool) *Command {
	n := utf8.RuneCountInString(body)
	core := strings.Trim(body, " .。!！?？~～")
	switch {
	case isHelp(core):
		return &Command{Kind: CommandHelp}
	case n <= 24 && containsAny(body, "撤销", "撤回", "删除上一条", "删掉上一条", "删除刚才", "删掉刚才", "删除这条", "作废",
		"取消上一条", "删除最后一条", "删了上一条", "删掉这条", "回退", "删掉刚刚", "删除刚刚"),
		n <= 24 && containsAny(body, recordRefs...) && containsAny(body, "删掉", "删了", "删除", "删一下", "不要了"):
		return &Command{Kind: CommandUndo}
	case core == "":
		return nil
	case n <= 80 && isCorrection(body, reportLike):
		return d.correction(m)
	case strings.Contains(strings.ReplaceAll(body, "提醒我们", ""), "提醒我") ||
		containsAny(body, "提醒一下我", "设个提醒", "设置提醒", "设提醒", "帮我提醒", "记得提醒", "到时候提醒", "定个提醒", "加个提醒"):
		return m.reminder(body)
	}
	if reportLike {
		return nil
	}
	if c := d.poolCommand(m, core); c != nil {
		return c
	}
	c := &Command{Period: period(body)}
	switch {
	case containsAny(body, "导出", "下载") && containsAny(body, "客户", "拜访", "记录", "列表", "报表", "数据", "商机", "项目", "表"):
		c.Kind = CommandExport
		switch {
		case strings.Contains(body, "客户") && !containsAny(body, "拜访", "记录"):
			c.Subject = "customers"
		case containsAny(body, "商机", "项目"):
			c.Subject = "deals"
		default:
			c.Subject = "visits"
		}
	case containsAny(body, "排行", "排名", "榜单", "排行榜", "龙虎榜", "英雄榜", "排第几", "第几名", "排在第"):
		c.Kind = CommandRankings
	case containsAny(body, "待跟进", "要跟进", "需要跟进", "跟进哪些", "跟进什么", "待办", "跟进计划", "跟进列表", "该跟进", "跟进清单", "跟进谁",
		"的跟进", "跟进有哪些", "有哪些跟进"):
		c.Kind = CommandFollowupsToday
		if c.Period == PeriodWeek || containsAny(body, "下周", "一周", "这几天", "最近") {
			c.Kind = CommandFollowupsWeek
		}
		c.Date = formatDay(m.today)
		if strings.Contains(body, "明天") {
			c.Date = formatDay(days(m.today, 1))
		} else if strings.Contains(body, "后天") {
			c.Date = formatDay(days(m.today, 2))
		}
	case containsAny(body, "我的客户", "客户列表", "我负责的客户", "名下客户", "名下的客户", "我有哪些客户", "我的所有客户", "客户清单",
		"我手上的客户", "我跟的客户", "我负责哪些客户"):
		c.Kind = CommandMyCustomers
	case containsAny(body, "我的商机", "我的项目", "商机列表", "项目列表", "我跟的项目", "在跟的项目", "手上的项目"):
		c.Kind, c.Subject = CommandMyCustomers, "deals"
	case len(m.known) > 0 || m.org.end > m.org.start:
		if containsAny(body, "模板", "资料", "文件", "哪里", "在哪", "电话", "联系方式", "发票", "地址", "微信") {
			return nil // a question for colleagues, not about the deal
		}
		if !containsAny(body, "进展", "进度", "记录", "情况", "到哪", "阶段", "怎么样", "如何", "查", "看看", "看下", "看一下", "状态") &&
			!(endsAsQuestion(body) && containsAny(body, "签", "合同", "报价", "方案", "中标", "丢", "项目", "单", "谈")) {
			return nil
		}
		c.Kind = CommandDealProgress
		c.Period = ""
		if k, ok := m.pickKnown(); ok {
			c.Customer, c.CustomerKnown, c.Candidates = d.customerName(k, m)
		} else {
			c.Customer = string(m.src[m.org.start:m.org.end])
		}
	case containsAny(body, "拜访记录", "我的记录", "跟进记录", "拜访了哪些", "见了哪些", "拜访过哪些", "拜访明细"):
		c.Kind = CommandMyVisits
	case containsAny(body, "业绩", "战绩", "完成率", "新增", "完成情况", "目标", "统计", "多少", "几家", "几个", "几次", "几单", "数据", "报表", "汇总", "总结",
		"次数", "拜访量", "拜访数",
		"签单金额", "签单额", "签单数", "签约额", "签约金额", "成交额", "成交金额", "销售额", "回款额") &&
		(isQuestion(body) || containsAny(body, "查", "看", "统计", "汇总", "报表", "列出", "给我") || n <= 12 && !strings.Contains(body, "了")):
		c.Kind = CommandStats
	default:
		return nil
	}
	return c
}

// correctionCues mark a correction of the last record.
var correctionCues = []string{"改一下", "改成", "改为", "改到", "换成", "调整为", "调到", "更正", "修改", "纠正", "应该是",
	"写错了", "搞错了", "记错了", "改下", "填错了", "弄错了"}

// recordRefs point at the last record (刚才那条).
var recordRefs = []string{"刚才", "刚刚", "上一条", "那条", "这条", "记录", "上条"}

// fieldWords name a record's fields in a correction.
var fieldWords = []string{"金额", "客户", "阶段", "日期", "时间", "联系人", "方式", "渠道", "下次", "跟进日期", "拜访日期", "价格", "报价", "对接人"}

// isCorrection reports a correction of the last record: a correction word
// with a pointer to the record (刚才…写错了), opening the message (改一下，…), or
// right after a field's name (客户应该是…, 阶段改成…). A message that reads
// like a report needs one of the first two (给钱总打电话告诉他报价调整为245万).
func isCorrection(body string, reportLike bool) bool {
	if !containsAny(body, correctionCues...) {
		return false
	}
	if containsAny(body, recordRefs...) {
		return true
	}
	core := body
	for _, p := range []string{"不对", "错了", "哦", "啊", "嗯", "那个", ",", "，", " ", "!", "！"} {
		core = strings.TrimPrefix(core, p)
	}
	for _, c := range correctionCues {
		if strings.HasPrefix(core, c) && c != "修改" {
			return true
		}
	}
	for _, f := range fieldWords {
		if reportLike && !strings.HasPrefix(core, f) {
			continue
		}
		for _, c := range correctionCues {
			if c == "修改" {
				continue // 客户要求修改合同条款: the customer's wish
			}
			if i := strings.Index(body, f); i >= 0 {
				rest := body[i+len(f):]
				if j := strings.Index(rest, c); j >= 0 && utf8.RuneCountInString(rest[:j]) <= 4 {
					return true
				}
			}
		}
	}
	return false
}

// poolCommand reads the funnel and public-pool commands (CONTRACT.md "Chat
// commands"): 漏斗, 转化率, 公海, 领取 客户名, 分配 客户名 给 成员名.
func (d *Dictionary) poolCommand(m *msg, core string) *Command {
	switch {
	case containsAny(core, "漏斗", "转化率") && utf8.RuneCountInString(core) <= 16:
		return &Command{Kind: CommandFunnel, Period: period(core)}
	case core == "公海" || utf8.RuneCountInString(core) <= 12 && containsAny(core, "公海客户", "公海里", "看公海", "公海列表"):
		return &Command{Kind: CommandPool}
	case strings.HasPrefix(core, "领取"):
		c := &Command{Kind: CommandClaim}
		c.Customer, c.CustomerKnown, c.Candidates = d.namedCustomer(m, strings.TrimSpace(strings.TrimPrefix(core, "领取")))
		return c
	case strings.HasPrefix(core, "分配") && strings.Contains(core, "给"):
		rest := strings.TrimSpace(strings.TrimPrefix(core, "分配"))
		i := strings.LastIndex(rest, "给")
		c := &Command{Kind: CommandAssign, Text: strings.TrimSpace(rest[i+len("给"):])}
		c.Customer, c.CustomerKnown, c.Candidates = d.namedCustomer(m, strings.TrimSpace(rest[:i]))
		return c
	}
	return nil
}

// namedCustomer resolves the customer a command names: canonical when
// known, else as written.
func (d *Dictionary) namedCustomer(m *msg, text string) (string, bool, []string) {
	if k, ok := m.pickKnown(); ok {
		return d.customerName(k, m)
	}
	return text, false, nil
}

func isHelp(core string) bool {
	switch strings.ToLower(core) {
	case "帮助", "help", "怎么用", "使用说明", "菜单", "功能", "指令", "命令", "?", "？", "怎么使用", "如何使用",
		"你能做什么", "能做什么", "有什么功能", "用法", "说明", "帮助文档", "使用帮助", "menu":
		return true
	}
	return strings.HasPrefix(core, "怎么用") || strings.HasPrefix(core, "如何使用") || strings.HasPrefix(core, "你会什么") ||
		strings.HasPrefix(core, "你能做什么")
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// period reads the span a query names.
func period(s string) string {
	switch {
	case containsAny(s, "上周", "上星期", "上礼拜", "上个星期"):
		return PeriodLastWeek
	case containsAny(s, "本周", "这周", "这个星期", "本星期", "这礼拜", "这个礼拜", "周排行", "周榜"):
		return PeriodWeek
	case containsAny(s, "上个月", "上月"):
		return PeriodLastMonth
	case containsAny(s, "本月", "这个月", "当月", "月度", "月榜", "这月"):
		return PeriodMonth
	case containsAny(s, "季度", "本季"):
		return PeriodQuarter
	case containsAny(s, "上半年", "下半年", "半年"):
		return PeriodHalf
	case containsAny(s, "今年", "全年", "本年", "年度", "年榜"):
		return PeriodYear
	case containsAny(s, "今天", "今日"):
		return PeriodToday
	}
	return ""
}

// reminder reads a set_reminder: the first day named and what to do.
func (m *msg) reminder(body string) *Command {
	c := &Command{Kind: CommandSetReminder, Date: formatDay(m.today)}
	for _, d := range m.dates {
		if !d.date.Before(m.today) {
			c.Date = formatDay(d.date)
			break
		}
		if day, ok := d.ahead(m.today); ok {
			c.Date = formatDay(day)
			break
		}
	}
	text := body
	for _, w := range []string{"帮我提醒", "记得提醒", "到时候提醒", "提醒一下我", "提醒我", "设个提醒", "设置提醒", "设提醒", "定个提醒", "加个提醒"} {
		text = strings.Replace(text, w, " ", 1)
	}
	for _, d := range m.dates {
		text = strings.Replace(text, string(m.t[d.start:d.end]), " ", 1)
	}
	c.Text = strings.Join(strings.Fields(strings.Trim(text, " ,，:：。")), " ")
	return c
}
