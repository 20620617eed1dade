package bot

import (
	"context"
	"encoding/json"
	"salesbot/domain"
	"strconv"
	"strings"
	"time"
)

// pending is a report waiting for the rep's answer to one short question.
type pending struct {
	Ask        string   `json:"ask"` // askCustomer or askMerge
	Extract    Extract  `json:"extract"`
	MsgID      string   `json:"msg_id"`
	Text       string   `json:"text"`
	At         int64    `json:"at"`         // unix seconds of the original message
	Word       string   `json:"word"`       // the customer word first used
	Candidates []string `json:"candidates"` // names offered to choose from
	CustomerID int64    `json:"customer_id"`
	VisitID    int64    `json:"visit_id"`  // askMerge: the earlier visit
	AllowNew   bool     `json:"allow_new"` // askCustomer: "新客户" keeps Word as a new customer
}

const (
	askCustomer = "customer"
	askMerge    = "merge"
)

func (c *conv) stateKey() string {
	return "conv:" + string(c.m.Platform) + ":" + c.m.UserID + ":" + c.m.ChatID
}

func (c *conv) savePending(ctx context.Context, p pending) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.r.states.SetState(ctx, c.stateKey(), b, stateTTL)
}

// continuePending treats text as the answer to the question asked last, if
// one is open. An answer that is clearly something else drops the question.
func (c *conv) continuePending(ctx context.Context, text string) ([]Reply, bool, error) {
	b, ok, err := c.r.states.GetState(ctx, c.stateKey())
	if err != nil || !ok {
		return nil, false, err
	}
	var p pending
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, false, c.r.states.DeleteState(ctx, c.stateKey())
	}
	if isCancel(text) {
		if err := c.r.states.DeleteState(ctx, c.stateKey()); err != nil {
			return nil, true, err
		}
		return c.say("好的，这条记录不保存了。"), true, nil
	}
	switch p.Ask {
	case askCustomer:
		return c.answerCustomer(ctx, p, text)
	case askMerge:
		return c.answerMerge(ctx, p, text)
	}
	return nil, false, c.r.states.DeleteState(ctx, c.stateKey())
}

// looksLikeName tells an answer to "which customer?" from a new message: a
// command or a report with people, a channel or a stage in it is not a name.
func (c *conv) looksLikeName(text string) bool {
	if len([]rune(text)) > 40 || strings.ContainsAny(text, "，,。；;") {
		return false
	}
	u := c.r.und.Understand(text, c.m.At)
	switch u.Intent {
	case domain.IntentCommand:
		return false
	case domain.IntentReport:
		x := u.Report
		return len(x.Contacts) == 0 && x.Channel == "" && x.Stage == "" && x.Amount == 0
	}
	return true
}

func isNewCustomer(text string) bool {
	switch text {
	case "新客户", "新建", "新的", "新建客户", "是新客户", "都不是":
		return true
	}
	return false
}

// prefTTL is how long a rep's meaning of an ambiguous word is remembered.
const prefTTL = 180 * 24 * time.Hour

func (c *conv) prefKey(word string) string {
	return "pref:" + strconv.FormatInt(c.me.ID, 10) + ":" + strings.ToLower(word)
}

func isCancel(text string) bool {
	switch strings.Trim(text, " 。.!！") {
	case "取消", "算了", "不用了", "不记了":
		return true
	}
	return false
}

// answerCustomer finishes a report from the rep's answer to "which customer?".
func (c *conv) answerCustomer(ctx context.Context, p pending, text string) ([]Reply, bool, error) {
	name := strings.Trim(text, " 。.!！")
	if n, err := strconv.Atoi(name); err == nil && n >= 1 && n <= len(p.Candidates) {
		name = p.Candidates[n-1]
	}
	newCustomer := p.AllowNew && isNewCustomer(name)
	if newCustomer {
		name = p.Word
	}
	if !newCustomer && !c.looksLikeName(name) {
		// Not an answer: a new message. Drop the question.
		return nil, false, c.abandon(ctx, p)
	}
	if cr, ok := c.r.und.(CustomerReader); ok && !newCustomer {
		if canonical, known := cr.CustomerIn(name); known {
			name = canonical // 是德润医疗 / 德润医疗那家 → the customer's name
		}
	}
	if err := c.r.states.DeleteState(ctx, c.stateKey()); err != nil {
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

// answerMerge finishes a second same-day report: merge into the earlier one
// or store it as new.
func (c *conv) answerMerge(ctx context.Context, p pending, text string) ([]Reply, bool, error) {
	t := strings.Trim(text, " 。.!！")
	merge := strings.Contains(t, "合并") || t == "1"
	fresh := strings.Contains(t, "新增") || strings.Contains(t, "新建") || strings.Contains(t, "新的") || t == "2"
	if !merge && !fresh {
		return nil, false, c.abandon(ctx, p)
	}
	if err := c.r.states.DeleteState(ctx, c.stateKey()); err != nil {
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
		return []Reply{c.recordCard(rec, "已合并到今天的记录。")}, true, nil
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
	c.abandoned = &p
	return c.r.states.DeleteState(ctx, c.stateKey())
}

// restore puts back a question whose answer could not be stored, so that
// the platform's redelivery of the answer finds it again.
func (c *conv) restore(ctx context.Context, p pending) {
	if err := c.savePending(ctx, p); err != nil {
		c.r.log.Error("restore pending question", "err", err)
	}
}

// abandonedNote tells the rep that a report waiting for an answer was
// dropped.
func (c *conv) abandonedNote() Reply {
	t := []rune(strings.ReplaceAll(c.abandoned.Text, "\n", " "))
	if len(t) > 24 {
		t = append(t[:24], '…')
	}
	return Reply{To: c.to, Text: "⚠️ 上一条「" + string(t) + "」在等你回答，没有保存，已放弃；需要的话请重新发送。"}
}

// refresh makes the next message see a customer or alias just added.
func (c *conv) refresh(ctx context.Context) {
	if rf, ok := c.r.und.(Refresher); ok {
		rf.Invalidate()
	}
}
