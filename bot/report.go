package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"salesbot/domain"
)

// report handles a report: ask when the customer is missing or ambiguous,
// ask "merge or new?" for a second same-day report, else store it.
func (c *conv) report(ctx context.Context, x Extract, note string) ([]Reply, error) {
	p := pending{Extract: x, MsgID: c.m.ID, Text: c.m.Text, At: c.m.At.Unix(), Word: x.Word}
	if x.Customer == "" && len(x.Candidates) == 0 {
		p.Ask = askCustomer
		if err := c.savePending(ctx, p); err != nil {
			return nil, err
		}
		return c.say("这条记录是关于哪个客户的？请回复客户名称（回复「取消」放弃）。"), nil
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
					return c.askSimilar(ctx, p, x.Customer, similar)
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
		p.Ask, p.Candidates = askCustomer, candidates
		if p.Word == "" {
			p.Word = x.Customer
		}
		if err := c.savePending(ctx, p); err != nil {
			return nil, err
		}
		var b strings.Builder
		fmt.Fprintf(&b, "「%s」对应多个客户，是哪一个？请回复序号或全称：", p.Word)
		for i, n := range candidates {
			fmt.Fprintf(&b, "\n%d. %s", i+1, n)
		}
		return c.say(b.String()), nil
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

// askSimilar asks whether an unknown name means a known customer with a
// similar name, or is a new customer.
func (c *conv) askSimilar(ctx context.Context, p pending, word string, similar []string) ([]Reply, error) {
	p.Ask, p.Candidates, p.Word, p.AllowNew = askCustomer, similar, word, true
	if err := c.savePending(ctx, p); err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "「%s」是下面哪个客户？请回复序号或全称；如果是新客户，回复「新客户」：", word)
	for i, n := range similar {
		fmt.Fprintf(&b, "\n%d. %s", i+1, n)
	}
	return c.say(b.String()), nil
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
	v := rec.Visit
	cust := rec.Customer.Name
	if rec.NewCustomer {
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
	if rec.DealHidden {
		note = strings.TrimSpace(note + " 该客户由同事负责，商机进展请向负责人或经理了解。")
	}
	id := fmt.Sprint(v.ID)
	card := &Card{
		ID: "visit:" + id, Title: title, Fields: fields, Note: note,
		Buttons: []Button{
			{Key: "confirm:" + id, Text: "确认", Style: "primary"},
			{Key: "correct:" + id, Text: "修改"},
			{Key: "undo:" + id, Text: "撤销", Style: "danger"},
		},
	}
	return Reply{To: c.to, Text: CardText(*card), Card: card}
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
