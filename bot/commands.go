package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"salesbot/domain"
)

const notUnderstood = "没看懂这条消息。记录拜访可以直接说，例如：\n今天拜访华为张总，聊了ERP升级，已发报价50万，下周三再约演示\n发送「帮助」查看全部用法。"

const helpText = `我是销售助手，可以这样用：
· 记录拜访：今天拜访华为张总，聊了ERP升级，已发报价50万，下周三再约演示
· 撤销：撤销上一条
· 修改：改一下，金额是60万 / 客户应该是XX
· 我的客户 / 今天的跟进 / 本周的跟进
· XX 进展（查看某个客户的商机进度）
· 本周排行
· 今日团队（经理查看团队今天的拜访）
· 我的拜访 / 本月业绩
· 漏斗 / 转化率（可加 本月、本季度、近90天）
· 我的目标（经理看团队和每个人）
· 设置目标 李娜 12月 拜访60 新商机5 签约100万（经理）
· 明天提醒我给张总打电话
· 公海 / 领取 客户名 / 分配 客户名 给 成员名（经理）
在群里问的个人数据会私聊回复你。`

// command answers a recognised command, per the asker's role. Answers about
// the asker's own records are sent privately when asked in a group, so a
// group never sees one member's customers, deals or figures.
func (c *conv) command(ctx context.Context, cmd Command) ([]Reply, error) {
	out, err := c.answer(ctx, cmd)
	if err != nil || !c.m.Group() || !private[cmd.Kind] || len(out) == 0 {
		return out, err
	}
	for i := range out {
		out[i].To = Destination{Platform: c.to.Platform, UserID: c.to.UserID}
	}
	return append(out, Reply{To: c.to, Text: "已私聊发给你。"}), nil
}

// private are the commands whose answers belong to the asker alone.
var private = map[CommandKind]bool{
	CmdMyCustomers: true, CmdFollowUpsDay: true, CmdFollowUpsWeek: true, CmdDealProgress: true,
	CmdTeamToday: true, CmdStats: true, CmdMyVisits: true, CmdExport: true,
	CmdFunnel: true, CmdTargets: true,
}

func (c *conv) answer(ctx context.Context, cmd Command) ([]Reply, error) {
	switch cmd.Kind {
	case CmdHelp:
		return c.say(helpText), nil
	case CmdUndo:
		if out, ok, err := c.undoPlan(ctx); ok || err != nil {
			return out, err
		}
		return c.undo(ctx, 0, "", true)
	case CmdConfirm:
		return c.say("好的，已确认。"), nil
	case CmdCorrect:
		return c.correct(ctx, cmd, 0, "")
	case CmdMyCustomers:
		return c.myCustomers(ctx)
	case CmdFollowUpsDay, CmdFollowUpsWeek:
		return c.followUps(ctx, cmd)
	case CmdDealProgress:
		return c.progress(ctx, cmd.Customer)
	case CmdRanking:
		return c.ranking(ctx)
	case CmdTeamToday:
		return c.teamToday(ctx)
	case CmdRemind:
		return c.remind(ctx, cmd)
	case CmdStats:
		return c.stats(ctx, cmd)
	case CmdMyVisits:
		return c.myVisits(ctx, cmd)
	case CmdFunnel:
		return c.funnel(ctx, cmd)
	case CmdTargets:
		return c.targets(ctx)
	case CmdSetTarget:
		return c.setTarget(ctx, cmd)
	case CmdPool, CmdClaim, CmdAssign:
		return c.pool(ctx, cmd)
	case CmdExport:
		if c.me.Role == domain.RoleRep {
			return c.say("导出数据需要经理或管理员权限。"), nil
		}
		return c.say("请管理员在服务器上运行：salesbot export visits --from 开始日期 --to 结束日期 -o visits.xlsx"), nil
	}
	return c.say(helpText), nil
}

// undo takes back one of the rep's records (0: the last one) and closes
// its card (cardID: the platform's id of the card clicked, "" none); say
// adds a line saying so (a click needs none: the card shows it).
func (c *conv) undo(ctx context.Context, visitID int64, cardID string, say bool) ([]Reply, error) {
	u, err := c.r.svc.Undo(ctx, c.me, visitID)
	if err != nil {
		return c.fail(err)
	}
	c.changedDay(ctx, u.Visit.TeamID, u.Visit.VisitDate)
	rec, err := c.r.svc.OwnRecord(ctx, c.me, u.Visit.ID)
	if err != nil {
		return nil, err
	}
	if cardID == "" {
		cardID = visitCardID(u.Visit.ID)
	}
	out := []Reply{c.cardUpdate(cardID, rec, "")}
	if say {
		out = append([]Reply{{To: c.to, Text: fmt.Sprintf("已撤销 %s「%s」的记录。", u.Visit.VisitDate, u.Customer.Name)}}, out...)
	}
	return out, nil
}

// correct applies a correction to one of the rep's records: visitID when
// set (修改 on its card), else the latest record with the customer the
// correction names, else the latest. Every change is listed, and every part
// that could not be applied is named.
func (c *conv) correct(ctx context.Context, cmd Command, visitID int64, cardID string) ([]Reply, error) {
	cs := cmd.Changes
	var refused []string
	for _, u := range cmd.Unparsed {
		refused = append(refused, "「"+u+"」看不懂")
	}
	kept := cs[:0:0]
	for _, ch := range cs {
		if ch.Field == domain.FieldCustomer && ch.Value != "" && !c.knownOrOrganisation(ch.Value) {
			refused = append(refused, "客户（「"+excerpt(ch.Value)+"」不是客户名称）")
			continue
		}
		if ch.Field == domain.FieldCustomer && ch.Value != "" {
			if like := c.lookAlikes(ch.Value); len(like) > 0 {
				// A correction cannot ask "which one?": never make a
				// near-duplicate of a known customer from it.
				refused = append(refused, "客户（「"+excerpt(ch.Value)+"」像已有客户「"+strings.Join(like, "」「")+"」；是它的话请写它的全称）")
				continue
			}
		}
		ch, why := c.withoutNegated(c.m.Text, ch)
		ch = addingContacts(c.m.Text, ch)
		if why != "" {
			refused = append(refused, domain.FieldLabel(ch.Field)+"（"+why+"）")
			continue
		}
		kept = append(kept, ch)
	}
	if len(kept) == 0 && len(refused) == 0 {
		return c.say("要改哪一项？例如：改一下，金额是60万 / 客户应该是XX / 阶段改成谈判 / 下次跟进改到下周一"), nil
	}
	if visitID == 0 && cmd.Customer == "" {
		// Right after a plan, a correction is about the plan, as 撤销 is.
		if out, ok, err := c.correctPlan(ctx, kept, refused); ok || err != nil {
			return out, err
		}
	}
	if visitID == 0 && cmd.Customer != "" {
		v, err := c.r.svc.LastVisitTo(ctx, c.me, cmd.Customer)
		if err != nil {
			return c.fail(err)
		}
		visitID = v.ID
	}
	res, err := c.r.svc.Correct(ctx, c.me, visitID, kept)
	if err != nil {
		return c.fail(err)
	}
	if len(res.Changes) > 0 {
		c.changedDay(ctx, res.Visit.TeamID, res.Visit.VisitDate)
		if res.OldDate != res.Visit.VisitDate {
			c.changedDay(ctx, res.Visit.TeamID, res.OldDate)
		}
	}
	for _, u := range res.Unapplied {
		refused = append(refused, domain.FieldLabel(u.Field)+"（"+u.Reason+"）")
	}
	refused = append(refused, unchanged(kept, res)...)
	var b strings.Builder
	where := fmt.Sprintf("（%s %s）", res.Visit.VisitDate, res.Customer.Name)
	if len(res.Changes) > 0 {
		b.WriteString("已修改：")
		for i, ch := range res.Changes {
			if i > 0 {
				b.WriteString("；")
			}
			fmt.Fprintf(&b, "%s %s→%s", domain.FieldLabel(ch.Field), orEmpty(ch.Old), orEmpty(ch.New))
		}
		b.WriteString(where)
	} else {
		b.WriteString("这条记录没有改动" + where + "。")
	}
	if len(refused) > 0 {
		b.WriteString("\n没有改：" + strings.Join(refused, "；"))
	}
	out := []Reply{{To: c.to, Text: b.String()}}
	if len(res.Changes) > 0 {
		if cardID == "" {
			cardID = visitCardID(res.Visit.ID)
		}
		out = append(out, c.cardUpdate(cardID, res.Recorded, ""))
	}
	return out, nil
}

func orEmpty(s string) string {
	if s == "" {
		return "空"
	}
	return s
}

// lookAlikes are the known customers an unknown name resembles (华晨科技 for
// 华辰科技, 华辰物联 for 华辰科技); none for a known name.
func (c *conv) lookAlikes(name string) []string {
	if cr, ok := c.r.und.(CustomerReader); ok {
		if _, known := cr.CustomerIn(name); known {
			return nil
		}
	}
	sg, ok := c.r.und.(Suggester)
	if !ok {
		return nil
	}
	return sg.Suggest(name)
}

// knownOrOrganisation reports whether a name may become a record's
// customer: a known customer, or an organisation's name.
func (c *conv) knownOrOrganisation(name string) bool {
	if cr, ok := c.r.und.(CustomerReader); ok {
		if _, known := cr.CustomerIn(name); known {
			return true
		}
	}
	_, ok := c.organisation(name)
	return ok
}

func (c *conv) myCustomers(ctx context.Context) ([]Reply, error) {
	list, err := c.r.svc.MyCustomers(ctx, c.me)
	if err != nil {
		return c.fail(err)
	}
	if len(list) == 0 {
		return c.say("你名下还没有客户。记录一次拜访，客户就会自动建档。"), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s的客户（%d）**", scopeName(c.me), len(list))
	const max = 20
	for i, v := range list {
		if i == max {
			fmt.Fprintf(&b, "\n……还有 %d 个", len(list)-max)
			break
		}
		fmt.Fprintf(&b, "\n%d. %s（%s类）", i+1, v.Customer.Name, v.Customer.Tier)
		if v.Deal != nil {
			fmt.Fprintf(&b, " %s", v.Deal.Stage.Label())
			if v.Deal.Amount > 0 {
				fmt.Fprintf(&b, " %s", domain.Yuan(v.Deal.Amount))
			}
		}
		if !v.LastVisit.IsZero() {
			fmt.Fprintf(&b, "，最近拜访 %s", v.LastVisit)
		}
	}
	return []Reply{{To: c.to, Text: b.String(), Markdown: true}}, nil
}

func scopeName(m domain.Member) string {
	switch m.Role {
	case domain.RoleManager:
		return "团队"
	case domain.RoleAdmin:
		return "全公司"
	}
	return "你"
}

func (c *conv) followUps(ctx context.Context, cmd Command) ([]Reply, error) {
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	until, label := today, "今天"
	switch {
	case cmd.Kind == CmdFollowUpsWeek:
		until, label = today.WeekSpan().To, "本周"
	case !cmd.Date.IsZero() && cmd.Date != today:
		until, label = cmd.Date, string(cmd.Date)+"前"
	}
	tasks, err := c.r.svc.OpenFollowUps(ctx, c.me, until)
	if err != nil {
		return c.fail(err)
	}
	if len(tasks) == 0 {
		return c.say(label + "没有待跟进的事项。"), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s待跟进（%d）**", label, len(tasks))
	for i, tv := range tasks {
		t, who := tv.Task, ""
		if tv.Customer != "" {
			who = tv.Customer + "："
		}
		late := ""
		if t.Due < today {
			late = "（已逾期）"
		}
		fmt.Fprintf(&b, "\n%d. %s %s%s%s", i+1, t.Due, who, t.Title, late)
	}
	return []Reply{{To: c.to, Text: b.String(), Markdown: true}}, nil
}

func (c *conv) progress(ctx context.Context, name string) ([]Reply, error) {
	if strings.TrimSpace(name) == "" {
		return c.say("要查哪个客户？例如：华为进展"), nil
	}
	p, err := c.r.svc.DealProgress(ctx, c.me, name)
	if err != nil {
		return c.fail(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", p.Customer.Name)
	if p.Deal == nil {
		b.WriteString("\n还没有商机。")
	} else {
		fmt.Fprintf(&b, "\n当前阶段：%s", p.Deal.Stage.Label())
		if p.Deal.Amount > 0 {
			fmt.Fprintf(&b, "，金额 %s", domain.Yuan(p.Deal.Amount))
		}
		for _, h := range p.History {
			from := "新建"
			if h.From != "" {
				from = h.From.Label()
			}
			fmt.Fprintf(&b, "\n· %s %s → %s", domain.DateOf(h.At, c.r.svc.Location()), from, h.To.Label())
		}
	}
	for _, v := range p.Visits {
		fmt.Fprintf(&b, "\n拜访 %s %s %s", v.VisitDate, v.Channel.Label(), oneLine(v.Summary, 30))
	}
	for _, t := range p.Tasks {
		fmt.Fprintf(&b, "\n待跟进 %s：%s", t.Due, t.Title)
	}
	return []Reply{{To: c.to, Text: b.String(), Markdown: true}}, nil
}

func oneLine(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// ranking answers 本周排行 by the team's privacy setting (domain
// Ranking.Visible): a group sees the top N only; privately a rep also sees
// their own rank, a manager the whole team.
func (c *conv) ranking(ctx context.Context) ([]Reply, error) {
	if c.me.TeamID == 0 {
		return c.say("你不属于任何团队，没有排行。"), nil
	}
	week := domain.DateOf(c.m.At, c.r.svc.Location()).WeekSpan()
	rk, err := c.r.svc.Ranking(ctx, c.me, c.me.TeamID, week)
	if err != nil {
		return c.fail(err)
	}
	if len(rk.Standings) == 0 {
		return c.say("团队里还没有销售，没有排行。"), nil
	}
	shown, own := rk.Visible(c.me, c.m.Group())
	var b strings.Builder
	b.WriteString("**🏆 本周排行**（拜访数 / 新商机 / 赢单金额）")
	for _, s := range shown {
		fmt.Fprintf(&b, "\n%d. %s %s", s.Rank, s.Member.Name, figuresText(s.Figures))
	}
	if len(shown) < len(rk.Standings) {
		fmt.Fprintf(&b, "\n（只显示前 %d 名，私聊我可查看自己的名次）", rk.Top)
	}
	if own != nil {
		fmt.Fprintf(&b, "\n你排第 %d 名（共 %d 人）：%s", own.Rank, len(rk.Standings), figuresText(own.Figures))
	}
	return []Reply{{To: c.to, Text: b.String(), Markdown: true}}, nil
}

func figuresText(f domain.Figures) string {
	return fmt.Sprintf("%d / %d / %s", f.Visits, f.NewDeals, yuanOrZero(f.WonAmount))
}

func yuanOrZero(v int64) string {
	if v == 0 {
		return "0"
	}
	return domain.Yuan(v)
}

func (c *conv) teamToday(ctx context.Context) ([]Reply, error) {
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	visits, err := c.r.svc.TeamDay(ctx, c.me, c.me.TeamID, today)
	if err != nil {
		return c.fail(err)
	}
	if len(visits) == 0 {
		return c.say("团队今天还没有拜访记录。"), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**团队今天的拜访（%d）**", len(visits))
	for _, v := range visits {
		fmt.Fprintf(&b, "\n· %s → %s %s", v.Member, v.Customer, oneLine(v.Visit.Summary, 24))
	}
	return []Reply{{To: c.to, Text: b.String(), Markdown: true}}, nil
}

// action handles a card button click: confirm, correct or undo a record.
// Keys are verb:visit:revision; a click on a card older than its record
// does not act: the card is refreshed instead.
func (c *conv) action(ctx context.Context, a CardAction) ([]Reply, error) {
	if IsTaskAction(a.Key) {
		return c.taskAction(ctx, a)
	}
	if name, ok := strings.CutPrefix(a.Key, KeyPoolClaim+":"); ok {
		return c.claim(ctx, name)
	}
	parts := strings.Split(a.Key, ":")
	id, err := strconv.ParseInt(parts[min(1, len(parts)-1)], 10, 64)
	if len(parts) < 2 || len(parts) > 3 || err != nil {
		return c.say("这个按钮已失效。"), nil
	}
	verb := parts[0]
	if a.CardID == "" { // DingTalk: the click carries no card id
		a.CardID = visitCardID(id)
	}
	rec, err := c.r.svc.OwnRecord(ctx, c.me, id)
	if err != nil {
		return c.fail(err)
	}
	final := func(label string) []Reply {
		r := c.cardUpdate(a.CardID, rec, "")
		r.Update.Card.Buttons, r.Update.Card.Final = nil, label
		r.Text = CardText(r.Update.Card)
		return []Reply{r}
	}
	if rec.Visit.Undone() {
		return final("已撤销"), nil
	}
	// Cards sent before revisions were carried have no revision: they act.
	if len(parts) == 3 && parts[2] != strconv.Itoa(rec.Visit.Rev) {
		return []Reply{c.cardUpdate(a.CardID, rec, "这张卡片已过期，已刷新为最新内容，请在这张卡片上操作。")}, nil
	}
	switch verb {
	case "confirm":
		return final("已确认"), nil
	case "undo":
		return c.undo(ctx, id, a.CardID, false)
	case "correct":
		p := pending{Ask: askCorrect, VisitID: id, CardID: a.CardID}
		if err := c.savePending(ctx, p); err != nil {
			return nil, err
		}
		return c.say(fmt.Sprintf("请直接回复要改的内容（%s %s 这条），例如「金额是60万」「客户应该是XX」「阶段改成谈判」；回复「取消」不改。", rec.Visit.VisitDate, rec.Customer.Name)), nil
	}
	return c.say("这个按钮已失效。"), nil
}

func (c *conv) remind(ctx context.Context, cmd Command) ([]Reply, error) {
	t, err := c.r.svc.AddReminder(ctx, c.me, cmd.Date, cmd.Text)
	if err != nil {
		return c.fail(err)
	}
	return c.say(fmt.Sprintf("好的，%s 提醒你：%s", t.Due, t.Title)), nil
}

// period is the span a command's period names as of today (domain's
// periods), this week when it names none.
func period(today domain.Date, name string) (domain.Span, string) {
	if span, label, ok := today.Period(name); ok {
		return span, label
	}
	span, label, _ := today.Period(domain.PeriodWeek)
	return span, label
}

func (c *conv) stats(ctx context.Context, cmd Command) ([]Reply, error) {
	if c.me.TeamID == 0 {
		return c.say("你不属于任何团队，没有统计。"), nil
	}
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	span, label := period(today, cmd.Period)
	members, figs, err := c.r.svc.TeamFigures(ctx, c.me, c.me.TeamID, span)
	if err != nil {
		return c.fail(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s统计**（%s ~ %s）", label, span.From, span.To)
	for _, m := range members {
		if c.me.Role == domain.RoleRep && m.ID != c.me.ID {
			continue
		}
		f := figs[m.ID]
		fmt.Fprintf(&b, "\n%s：拜访 %d 次，新商机 %d 个，赢单 %s", m.Name, f.Visits, f.NewDeals, yuanOrZero(f.WonAmount))
	}
	return []Reply{{To: c.to, Text: b.String(), Markdown: true}}, nil
}

func (c *conv) myVisits(ctx context.Context, cmd Command) ([]Reply, error) {
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	span, label := period(today, cmd.Period)
	visits, err := c.r.svc.MyVisits(ctx, c.me, span.From, span.To)
	if err != nil {
		return c.fail(err)
	}
	if len(visits) == 0 {
		return c.say(label + "还没有拜访记录。"), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s的拜访（%d）**", label, len(visits))
	for i, v := range visits {
		if i == 20 {
			fmt.Fprintf(&b, "\n……还有 %d 条", len(visits)-20)
			break
		}
		fmt.Fprintf(&b, "\n%s %s %s", v.Visit.VisitDate, v.Customer, oneLine(v.Visit.Summary, 24))
	}
	return []Reply{{To: c.to, Text: b.String(), Markdown: true}}, nil
}
