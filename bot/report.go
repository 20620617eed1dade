package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"salesbot/domain"
)

// report handles a report: a plan becomes a follow-up; ask when the
// customer is missing, not an organisation, ambiguous or resembles a known
// one; ask "merge or new?" for a second same-day report; else store it.
func (c *conv) report(ctx context.Context, x Extract, note string) ([]Reply, error) {
	if c.isPlan(x) {
		return c.plan(ctx, x)
	}
	p := pending{Extract: x, MsgID: c.m.ID, Text: c.m.Text, At: c.m.At.Unix(), Word: x.Word}
	if x.Customer != "" && !x.Known && len(x.Candidates) == 0 && !x.Confirmed {
		if err := domain.CheckCustomerName(x.Customer); err != nil {
			return c.ask(ctx, p, domain.ErrorMessage(err)+"。")
		}
		if _, ok := c.organisation(x.Customer); !ok {
			x.Customer, p.Extract.Customer, p.Word = "", "", "" // 张总, 人是: a person or a slip, not a customer
		}
	}
	if x.Customer == "" && len(x.Candidates) == 0 {
		return c.ask(ctx, p)
	}
	if len(x.Resembles) > 0 && !x.Confirmed {
		// 华辰物联 begins like 华辰科技 but may be another company: ask once,
		// never file it under a colleague's customer unasked.
		p.Candidates, p.Word, p.AllowNew = x.Resembles, x.Customer, true
		return c.ask(ctx, p)
	}
	candidates := x.Candidates
	if len(candidates) > 0 && x.Word != "" {
		// This rep told us before what they mean by this word.
		if pref, ok, err := c.r.states.GetState(ctx, c.prefKey(x.Word)); err != nil {
			return nil, err
		} else if ok && contains(candidates, string(pref)) {
			x.Customer, candidates = string(pref), nil
		}
	}
	var cust *domain.Customer
	if len(candidates) == 0 && x.Known && x.CustomerID != 0 {
		cust = &domain.Customer{ID: x.CustomerID, Name: x.Customer}
	} else if len(candidates) == 0 {
		found, err := c.r.svc.ResolveCustomer(ctx, x.Customer)
		if err != nil {
			return nil, err
		}
		switch len(found) {
		case 0:
			if sg, ok := c.r.und.(Suggester); ok && !x.Confirmed {
				if similar := sg.Suggest(x.Customer); len(similar) > 0 {
					p.Candidates, p.Word, p.AllowNew = similar, x.Customer, true
					return c.ask(ctx, p)
				}
			}
		case 1:
			cust = &found[0]
		default:
			for _, f := range found {
				candidates = append(candidates, f.Name)
			}
		}
	}
	if len(candidates) > 0 {
		p.Candidates = candidates
		if p.Word == "" {
			p.Word = x.Customer
		}
		return c.ask(ctx, p)
	}
	r := c.domainReport(x)
	if cust != nil {
		r.CustomerID = cust.ID
		prev, found, err := c.r.svc.SameDayVisit(ctx, c.me, cust.ID, r.VisitDate, c.m.Platform, c.m.ID)
		if err != nil {
			return nil, err
		}
		if found {
			p.Ask, p.CustomerID, p.VisitID = askMerge, cust.ID, prev.ID
			if err := c.savePending(ctx, p); err != nil {
				return nil, err
			}
			return c.say(fmt.Sprintf("%s 你已经记录过一次「%s」的拜访。合并到那条，还是新增一条？请回复「合并」或「新增」。", prev.VisitDate, cust.Name)), nil
		}
	}
	return c.store(ctx, r, note)
}

// ask saves the report and asks which customer it is about.
func (c *conv) ask(ctx context.Context, p pending, why ...string) ([]Reply, error) {
	p.Ask = askCustomer
	if err := c.savePending(ctx, p); err != nil {
		return nil, err
	}
	return c.say(strings.Join(why, "") + c.question(p)), nil
}

// isPlan: the message only announces a future interaction. The
// understander may say so; else a report that tells of no interaction (no
// people met, no channel, stage or amount) and names a day ahead is one.
func (c *conv) isPlan(x Extract) bool {
	if x.Plan {
		return true
	}
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	return len(x.Contacts) == 0 && x.Channel == "" && x.Stage == "" && x.Amount == 0 && x.NextDate > today
}

// plan records a plan as a follow-up on its day (today when none), about
// the customer when exactly one known customer is named. It is not a
// visit, so it is counted nowhere.
func (c *conv) plan(ctx context.Context, x Extract) ([]Reply, error) {
	var customerID int64
	if x.Customer != "" && len(x.Candidates) == 0 {
		if found, err := c.r.svc.ResolveCustomer(ctx, x.Customer); err != nil {
			return nil, err
		} else if len(found) == 1 {
			customerID = found[0].ID
		}
	}
	what := strings.TrimSpace(x.NextAction)
	if what == "" {
		what = oneLine(c.m.Text, 60)
	}
	tv, err := c.r.svc.PlanFollowUp(ctx, c.me, customerID, x.NextDate, what)
	if err != nil {
		return c.fail(err)
	}
	// 撤销 right after takes the plan back (until a report comes in between).
	if err := c.r.states.SetState(ctx, c.planKey(), []byte(strconv.FormatInt(tv.Task.ID, 10)), stateTTL); err != nil {
		c.r.log.Warn("remember plan for undo", "task_id", tv.Task.ID, "err", err)
	}
	who := ""
	if tv.Customer != "" {
		who = tv.Customer + " "
	}
	return c.say(fmt.Sprintf("📅 已记下计划：%s %s%s\n计划不算拜访；到那天会出现在「今天的跟进」里，做完后再告诉我结果。", tv.Task.Due, who, tv.Task.Title)), nil
}

// planKey holds the member's last plan in this chat, for 撤销.
func (c *conv) planKey() string {
	return "plan:" + string(c.m.Platform) + ":" + c.m.UserID + ":" + c.m.ChatID
}

// undoPlan takes back the plan made last in this chat, if 撤销 comes before
// anything else was recorded; ok is false when there is none.
func (c *conv) undoPlan(ctx context.Context) ([]Reply, bool, error) {
	b, ok, err := c.r.states.GetState(ctx, c.planKey())
	if err != nil || !ok {
		return nil, false, err
	}
	if err := c.r.states.DeleteState(ctx, c.planKey()); err != nil {
		return nil, false, err
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return nil, false, nil
	}
	t, err := c.r.svc.CancelTask(ctx, c.me, id)
	if err != nil {
		out, err := c.fail(err)
		return out, true, err
	}
	return c.say(fmt.Sprintf("已撤销计划：%s %s。", t.Due, t.Title)), true, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// domainReport turns an Extract of the current message into a domain.Report.
func (c *conv) domainReport(x Extract) domain.Report {
	return domain.Report{Platform: c.m.Platform, SourceMsgID: c.m.ID, Text: c.m.Text, At: c.m.At, Facts: x.Facts}
}

func (c *conv) store(ctx context.Context, r domain.Report, note string) ([]Reply, error) {
	// From now on 撤销 means this report, not a plan made before it.
	if err := c.r.states.DeleteState(ctx, c.planKey()); err != nil {
		return nil, err
	}
	rec, err := c.r.svc.RecordReport(ctx, c.me, r)
	if r.CustomerID != 0 && domain.ErrorCode(err) == domain.ENOTFOUND {
		// The customer went away since the list was read: go by name.
		r.CustomerID = 0
		rec, err = c.r.svc.RecordReport(ctx, c.me, r)
	}
	if err != nil {
		return c.fail(err)
	}
	if rec.Duplicate {
		return nil, nil
	}
	if rec.NewCustomer {
		c.refresh(ctx)
	}
	for _, h := range c.r.hooks {
		h(ctx, rec)
	}
	if c.m.Voice {
		note = strings.TrimSpace("（根据语音识别记录，请核对）" + note)
	}
	return []Reply{c.recordCard(rec, note)}, nil
}

// recordCard shows what was understood and stored, with confirm / correct /
// undo buttons.
func (c *conv) recordCard(rec domain.Recorded, note string) Reply {
	card := c.visitCard(rec, note)
	return Reply{To: c.to, Text: CardText(card), Card: &card}
}

// cardUpdate replaces the card cardID (the platform's id of a card shown
// earlier) with the record as it now stands.
func (c *conv) cardUpdate(cardID string, rec domain.Recorded, note string) Reply {
	card := c.visitCard(rec, note)
	return Reply{To: c.to, Text: CardText(card), Update: &Update{CardID: cardID, Card: card}}
}

// visitCardID is our id of a record's card. Platforms that give each sent
// card its own id (WeCom task_id) report that id back on a click; an update
// without one addresses the card by this id.
func visitCardID(visitID int64) string { return "visit:" + strconv.FormatInt(visitID, 10) }

// visitCard is a record's card: its buttons carry the record's revision,
// so that a click on a card older than the record does not act. An undone
// record's card is final, with no buttons.
func (c *conv) visitCard(rec domain.Recorded, note string) Card {
	v := rec.Visit
	cust := rec.Customer.Name
	if rec.NewCustomer && !v.Undone() {
		cust += "（新客户，已建档）"
	}
	title := "✅ 已记录拜访"
	if v.VisitDate != domain.DateOf(v.ReportedAt, c.r.svc.Location()) {
		title = "✅ 已补录拜访"
	}
	fields := []Field{
		{"客户", cust},
		{"联系人", strings.Join(v.Contacts, "、")},
		{"方式", v.Channel.Label()},
		{"日期", string(v.VisitDate)},
		{"阶段", stageLine(rec)},
		{"金额", amountLine(v.Amount)},
		{"下一步", nextLine(v)},
	}
	if !rec.DealHidden {
		fields = append(fields, Field{"输单", lostLine(rec.Deal)}, Field{"预计签约", string(rec.Deal.ExpectedClose)})
	}
	if rec.DealHidden {
		note = strings.TrimSpace(note + " 该客户由同事负责，商机进展请向负责人或经理了解。")
	}
	card := Card{ID: visitCardID(v.ID), Title: title, Fields: fields, Note: note}
	if v.Undone() {
		card.Title, card.Final = "↩️ 已撤销的拜访", "已撤销"
		return card
	}
	key := func(verb string) string { return fmt.Sprintf("%s:%d:%d", verb, v.ID, v.Rev) }
	card.Buttons = []Button{
		{Key: key("confirm"), Text: "确认", Style: "primary"},
		{Key: key("correct"), Text: "修改"},
		{Key: key("undo"), Text: "撤销", Style: "danger"},
	}
	return card
}

// lostLine says who won a lost deal and why: 被XX抢走，原因：价格太高.
func lostLine(d domain.Deal) string {
	if d.Stage != domain.StageLost {
		return ""
	}
	var parts []string
	if d.LostTo != "" {
		parts = append(parts, "被"+d.LostTo+"抢走")
	}
	if d.LostReason != "" {
		parts = append(parts, "原因："+d.LostReason)
	}
	return strings.Join(parts, "，")
}

func stageLine(rec domain.Recorded) string {
	if rec.DealHidden { // a teammate's deal: only what this report said
		if rec.Visit.Stage == "" {
			return ""
		}
		return rec.Visit.Stage.Label()
	}
	if ch := rec.StageChange; ch != nil && ch.From != "" {
		return ch.From.Label() + " → " + ch.To.Label()
	}
	return rec.Deal.Stage.Label()
}

func amountLine(v int64) string {
	if v <= 0 {
		return ""
	}
	return domain.Yuan(v)
}

func nextLine(v domain.Visit) string {
	s := v.NextAction
	if !v.NextDate.IsZero() {
		s = strings.TrimSpace(string(v.NextDate) + " " + s)
	}
	return s
}

func unixTime(s int64) time.Time { return time.Unix(s, 0) }
