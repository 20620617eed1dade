package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"salesbot/bot/parse"
	"salesbot/domain"
)

// pending is what the bot waits for in one chat: the rep's answer to a
// short question about a report not stored yet (which customer? merge or
// new?), or, after 修改 on a card, the correction of that card's record.
type pending struct {
	Ask        string   `json:"ask"` // askCustomer, askMerge or askCorrect
	Extract    Extract  `json:"extract"`
	MsgID      string   `json:"msg_id"`
	Text       string   `json:"text"`
	At         int64    `json:"at"`         // unix seconds of the original message
	Asked      int64    `json:"asked"`      // unix seconds of the message that asked
	Tries      int      `json:"tries"`      // answers so far that named no customer
	Word       string   `json:"word"`       // the customer word first used
	Candidates []string `json:"candidates"` // names offered to choose from
	CustomerID int64    `json:"customer_id"`
	VisitID    int64    `json:"visit_id"`  // askMerge: the earlier visit; askCorrect: the record
	CardID     string   `json:"card_id"`   // askCorrect: the platform's id of the card clicked
	AllowNew   bool     `json:"allow_new"` // askCustomer: the last choice keeps Word as a new customer
}

const (
	askCustomer = "customer"
	askMerge    = "merge"
	askCorrect  = "correct"
)

// pendingTTL is how long a question or a 修改 stays open, by the clock of
// the messages (so a test moves it with the clock); the stored state lives a
// little longer so that the bot can still say the question lapsed.
const pendingTTL = 30 * time.Minute

// maxBadAnswers is how many answers naming no customer drop the report.
const maxBadAnswers = 3

func (c *conv) stateKey() string {
	return "conv:" + string(c.m.Platform) + ":" + c.m.UserID + ":" + c.m.ChatID
}

func (c *conv) savePending(ctx context.Context, p pending) error {
	if p.Asked == 0 {
		p.Asked = c.m.At.Unix()
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.r.states.SetState(ctx, c.stateKey(), b, stateTTL)
}

func (c *conv) dropPending(ctx context.Context) error {
	return c.r.states.DeleteState(ctx, c.stateKey())
}

// continuePending treats text as the answer to what the bot waits for, if
// anything. An answer that is clearly something else (a command, a new
// report) drops the question and is handled as a message of its own.
func (c *conv) continuePending(ctx context.Context, text string) ([]Reply, bool, error) {
	b, ok, err := c.r.states.GetState(ctx, c.stateKey())
	if err != nil || !ok {
		return nil, false, err
	}
	var p pending
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, false, c.dropPending(ctx)
	}
	asked := p.Asked
	if asked == 0 { // saved before questions carried the time they were asked
		asked = p.At
	}
	if c.m.At.Sub(time.Unix(asked, 0)) > pendingTTL {
		if p.Ask != askCorrect {
			c.expired = &p
		}
		return nil, false, c.dropPending(ctx)
	}
	if isCancel(text) {
		if err := c.dropPending(ctx); err != nil {
			return nil, true, err
		}
		if p.Ask == askCorrect {
			return c.say("好的，不改了。"), true, nil
		}
		return c.say("好的，这条记录不保存了。"), true, nil
	}
	u := c.r.und.Understand(text, c.m.At)
	if u.Intent == domain.IntentCommand && u.Command.Kind == CmdUndo {
		return c.undoWhilePending(ctx, p)
	}
	switch p.Ask {
	case askCustomer:
		return c.answerCustomer(ctx, p, text, u)
	case askMerge:
		return c.answerMerge(ctx, p, text)
	case askCorrect:
		return c.boundCorrection(ctx, p, text, u)
	}
	return nil, false, c.dropPending(ctx)
}

// undoWhilePending: 撤销 while a question is open cancels only the message
// waiting for the answer; the record stored before it stays. After 修改,
// 撤销 takes back that card's record.
func (c *conv) undoWhilePending(ctx context.Context, p pending) ([]Reply, bool, error) {
	if err := c.dropPending(ctx); err != nil {
		return nil, true, err
	}
	if p.Ask == askCorrect {
		out, err := c.undo(ctx, p.VisitID, p.CardID, true)
		return out, true, err
	}
	return c.say("已取消等待回答的「" + excerpt(p.Text) + "」，没有保存；之前的记录不受影响。"), true, nil
}

// boundCorrection applies the message after 修改 to that card's record: a
// correction (改一下，金额是60万) or just what to change (金额是60万, 联系人是
// 周总和孙工). A command or a new report is handled as such instead.
func (c *conv) boundCorrection(ctx context.Context, p pending, text string, u Understanding) ([]Reply, bool, error) {
	x := u.Report
	if u.Intent == domain.IntentCommand && u.Command.Kind != CmdCorrect {
		return nil, false, c.abandon(ctx, p)
	}
	cmd := u.Command
	if u.Intent != domain.IntentCommand {
		w := c.r.und.Understand("改一下，"+text, c.m.At)
		readAll := w.Intent == domain.IntentCommand && w.Command.Kind == CmdCorrect && len(w.Command.Changes) > 0 && len(w.Command.Unparsed) == 0
		// A report naming a customer, or telling of an interaction that
		// does not read wholly as field changes, is a new report; a line
		// that reads wholly as changes (不是电话是上门，金额30万) is the
		// correction even though it names a channel.
		if u.Intent == domain.IntentReport && (c.namesCustomer(x) || x.Channel != "" && !readAll) {
			return nil, false, c.abandon(ctx, p)
		}
		if w.Intent != domain.IntentCommand || w.Command.Kind != CmdCorrect || len(w.Command.Changes) == 0 && len(w.Command.Unparsed) == 0 {
			return c.say("没看懂要改什么。请直接回复要改的内容，例如「金额是60万」「阶段改成谈判」；回复「取消」不改。"), true, nil
		}
		cmd = w.Command
	}
	if err := c.dropPending(ctx); err != nil {
		return nil, true, err
	}
	out, err := c.correct(ctx, cmd, p.VisitID, p.CardID)
	return out, true, err
}

// namesCustomer: the report names a known customer, several, or an
// organisation (not a slip such as 人是 from 联系人是…).
func (c *conv) namesCustomer(x Extract) bool {
	if x.Known || len(x.Candidates) > 0 {
		return true
	}
	if x.Customer == "" {
		return false
	}
	_, ok := c.organisation(x.Customer)
	return ok
}

// newReport tells a new report from an answer to "which customer?": it
// names people, a channel, a stage or an amount.
func newReport(u Understanding) bool {
	x := u.Report
	return u.Intent == domain.IntentReport && (len(x.Contacts) > 0 || x.Channel != "" || x.Stage != "" || x.Amount > 0)
}

// prefTTL is how long a rep's meaning of an ambiguous word is remembered.
const prefTTL = 180 * 24 * time.Hour

func (c *conv) prefKey(word string) string {
	return "pref:" + strconv.FormatInt(c.me.ID, 10) + ":" + strings.ToLower(word)
}

// organisation reads text as an organisation's name (a customer can be
// created from it): the name as written, or ok false when it names none.
// Without a checker every text passes.
func (c *conv) organisation(text string) (string, bool) {
	if oc, ok := c.r.und.(OrganisationChecker); ok {
		return oc.Organisation(text)
	}
	return strings.TrimSpace(text), true
}

// answerCustomer finishes a report from the rep's answer to "which
// customer?". An answer that names no organisation gets the question again,
// up to maxBadAnswers; a command or a new report drops the question.
func (c *conv) answerCustomer(ctx context.Context, p pending, text string, u Understanding) ([]Reply, bool, error) {
	name := trimAnswer(text)
	n, numbered := position(name)
	if numbered && n >= 1 && n <= len(p.Candidates) {
		name = p.Candidates[n-1]
	} else if len(p.Candidates) > 0 && !numbered {
		// Part of one listed name (医疗 for 德润医疗器械有限公司) picks it.
		if pick, ok := partOf(name, p.Candidates); ok {
			name = pick
		} else if p.AllowNew && partOfWord(name, p.Word) {
			name = p.Word // 物联 for 新客户 蓝鲸物联
		}
	}
	newCustomer := p.AllowNew && (numbered && n == len(p.Candidates)+1 || isNewCustomer(name) || name == "新客户 "+p.Word || name == p.Word)
	if newCustomer {
		name = p.Word
	}
	if !newCustomer && (u.Intent == domain.IntentCommand || newReport(u) || strings.ContainsAny(name, "，,。；;")) {
		// Not an answer: a new message. Drop the question.
		return nil, false, c.abandon(ctx, p)
	}
	known := false
	if cr, ok := c.r.und.(CustomerReader); ok && !newCustomer {
		var canonical string
		if canonical, known = cr.CustomerIn(name); known {
			name = canonical // 是德润医疗 / 德润医疗那家 → the customer's name
		}
	}
	if !known && !newCustomer {
		if err := domain.CheckCustomerName(name); err != nil {
			return c.askAgain(ctx, p, domain.ErrorMessage(err)+"。")
		}
		org, ok := c.organisation(name)
		if !ok || ownWords(org) {
			return c.askAgain(ctx, p, "「"+excerpt(name)+"」不是客户名称。")
		}
		name = org
		if like := c.lookAlikes(name); len(like) > 0 && !p.AllowNew {
			// A typed answer that looks like a known customer (华晨科技 for
			// 华辰科技) is asked about once, as it would be in a report.
			p.Candidates, p.Word, p.AllowNew = like, name, true
			p.Asked = c.m.At.Unix()
			if err := c.savePending(ctx, p); err != nil {
				return nil, true, err
			}
			return c.say(c.question(p)), true, nil
		}
	}
	if err := c.dropPending(ctx); err != nil {
		return nil, true, err
	}
	found, err := c.r.svc.ResolveCustomer(ctx, name)
	if err != nil {
		return nil, true, err
	}
	c.m.ID, c.m.Text = p.MsgID, p.Text
	c.m.At = unixTime(p.At)
	x := p.Extract
	x.Customer, x.Known, x.Candidates, x.Confirmed = name, len(found) == 1, nil, true
	var learned string
	if newCustomer {
		found = nil
		x.Known = false
	}
	if len(found) == 1 {
		x.Customer = found[0].Name
		if p.Word != "" && len(p.Candidates) > 1 && !p.AllowNew {
			// The word names several customers: remember what this rep means.
			if err := c.r.states.SetState(ctx, c.prefKey(p.Word), []byte(found[0].Name), prefTTL); err != nil {
				return nil, true, err
			}
			learned = "已记住你说的「" + p.Word + "」是" + found[0].Name + "。"
		} else if p.Word != "" && p.Word != found[0].Name {
			ok, err := c.r.svc.LearnAlias(ctx, c.me, found[0].ID, p.Word)
			if err != nil {
				return nil, true, err
			}
			if ok {
				learned = "已记住「" + p.Word + "」就是" + found[0].Name + "，下次不用再问。"
				c.refresh(ctx)
			}
		}
	}
	out, err := c.report(ctx, x, learned)
	if err != nil {
		c.restore(ctx, p)
	}
	return out, true, err
}

// askAgain repeats the question after an answer that named no customer,
// or drops the report after maxBadAnswers of them.
func (c *conv) askAgain(ctx context.Context, p pending, why string) ([]Reply, bool, error) {
	p.Tries++
	if p.Tries >= maxBadAnswers {
		if err := c.dropPending(ctx); err != nil {
			return nil, true, err
		}
		return c.say(why + "还是没看出客户名称，「" + excerpt(p.Text) + "」没有保存。需要的话请重新发送，并写上客户的名称。"), true, nil
	}
	p.Asked = c.m.At.Unix()
	if err := c.savePending(ctx, p); err != nil {
		return nil, true, err
	}
	return c.say(why + c.question(p)), true, nil
}

// question is the text that asks p's question.
func (c *conv) question(p pending) string {
	var b strings.Builder
	switch {
	case p.AllowNew:
		fmt.Fprintf(&b, "「%s」是下面哪个客户？请回复序号：", p.Word)
		for i, n := range p.Candidates {
			fmt.Fprintf(&b, "\n%d. %s", i+1, n)
		}
		fmt.Fprintf(&b, "\n%d. 新客户 %s", len(p.Candidates)+1, p.Word)
	case len(p.Candidates) > 0:
		fmt.Fprintf(&b, "「%s」对应多个客户，是哪一个？请回复序号或全称：", p.Word)
		for i, n := range p.Candidates {
			fmt.Fprintf(&b, "\n%d. %s", i+1, n)
		}
	default:
		b.WriteString("这条记录是关于哪个客户的？请回复客户名称")
	}
	b.WriteString("（回复「取消」放弃）")
	return b.String()
}

// answerMerge finishes a second same-day report: merge into the earlier one
// or store it as new.
func (c *conv) answerMerge(ctx context.Context, p pending, text string) ([]Reply, bool, error) {
	t := strings.Trim(text, " 。.!！")
	n, numbered := position(t)
	merge := strings.Contains(t, "合并") || numbered && n == 1
	fresh := strings.Contains(t, "新增") || strings.Contains(t, "新建") || strings.Contains(t, "新的") || numbered && n == 2
	if !merge && !fresh && parse.IsChitChat(t) {
		// 好的, 嗯: not a choice, and not a new message either. Ask again.
		p.Asked = c.m.At.Unix()
		if err := c.savePending(ctx, p); err != nil {
			return nil, true, err
		}
		return c.say("请回复「合并」（并入之前那条）或「新增」（另记一条）；回复「取消」不保存。"), true, nil
	}
	if !merge && !fresh {
		return nil, false, c.abandon(ctx, p)
	}
	if err := c.dropPending(ctx); err != nil {
		return nil, true, err
	}
	c.m.ID, c.m.Text, c.m.At = p.MsgID, p.Text, unixTime(p.At)
	r := c.domainReport(p.Extract)
	r.CustomerID = p.CustomerID
	if merge {
		rec, err := c.r.svc.MergeReport(ctx, c.me, p.VisitID, r)
		if err != nil {
			out, err := c.fail(err)
			if err != nil {
				c.restore(ctx, p)
			}
			return out, true, err
		}
		c.changedDay(ctx, rec.Visit.TeamID, rec.Visit.VisitDate)
		note := fmt.Sprintf("已合并到 %s「%s」的记录。", rec.Visit.VisitDate, rec.Customer.Name)
		return []Reply{{To: c.to, Text: note}, c.cardUpdate(visitCardID(rec.Visit.ID), rec, "")}, true, nil
	}
	out, err := c.store(ctx, r, "")
	if err != nil {
		c.restore(ctx, p)
	}
	return out, true, err
}

// abandon drops a question the rep did not answer (they sent something
// else) and remembers it, so the reply can say that report was not stored.
func (c *conv) abandon(ctx context.Context, p pending) error {
	if p.Ask != askCorrect {
		c.abandoned = &p
	}
	return c.dropPending(ctx)
}

// restore puts back a question whose answer could not be stored, so that
// the platform's redelivery of the answer finds it again.
func (c *conv) restore(ctx context.Context, p pending) {
	if err := c.savePending(ctx, p); err != nil {
		c.r.log.Error("restore pending question", "err", err)
	}
}

// droppedNotes tell the rep that a report waiting for an answer was not
// stored: they moved on, or it waited too long.
func (c *conv) droppedNotes() []Reply {
	var out []Reply
	if c.expired != nil {
		out = append(out, Reply{To: c.to, Text: "⚠️ 上一条「" + excerpt(c.expired.Text) + "」等你回答已超时，没有保存；需要的话请重新发送。"})
	}
	if c.abandoned != nil {
		out = append(out, Reply{To: c.to, Text: "⚠️ 上一条「" + excerpt(c.abandoned.Text) + "」在等你回答，没有保存，已放弃；需要的话请重新发送。"})
	}
	return out
}

// excerpt is the start of a message, on one line.
func excerpt(s string) string {
	return oneLine(s, 24)
}

// refresh makes the next message see a customer or alias just added.
func (c *conv) refresh(ctx context.Context) {
	if rf, ok := c.r.und.(Refresher); ok {
		rf.Invalidate()
	}
}
