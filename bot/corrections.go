package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"salesbot/domain"
)

// negations are the words by which a rep says what a value is not (不是报价
// 是谈判, 联系人不是马经理是孙工).
var negations = []string{"不是", "并非", "而非"}

// withoutNegated drops from a correction the values the rep's text says it
// is not: a value after 不是 is never the new value. A list keeps the
// values not negated. For a single value, what the same clause affirms
// after it (不是报价是谈判, 金额不是50万是80万) is read instead, as a correction
// of that field alone; when it names nothing, the part is not applied and
// why says so.
func (c *conv) withoutNegated(text string, ch domain.Correction) (domain.Correction, string) {
	if ch.Field == domain.FieldContacts {
		var keep []string
		for _, name := range strings.Split(strings.TrimPrefix(ch.Value, "+"), "|") {
			if _, neg := negatedAt(text, name); !neg {
				keep = append(keep, name)
			}
		}
		if len(keep) == 0 && ch.Value != "" {
			return ch, "「不是" + strings.ReplaceAll(ch.Value, "|", "、") + "」，没看出要改成谁"
		}
		ch.Value = strings.Join(keep, "|")
		return ch, ""
	}
	label := valueLabel(ch)
	rest, neg := negatedAt(text, label)
	if !neg {
		return ch, ""
	}
	if v, ok := c.affirmed(ch.Field, rest); ok && valueLabel(domain.Correction{Field: ch.Field, Value: v}) != label {
		ch.Value = v
		return ch, ""
	}
	return ch, "「不是" + label + "」，没看出要改成什么"
}

// negatedAt finds 不是<label> in text; rest is the clause after it.
func negatedAt(text, label string) (rest string, ok bool) {
	if label == "" {
		return "", false
	}
	for _, n := range negations {
		if i := strings.Index(text, n+label); i >= 0 {
			rest = text[i+len(n+label):]
			if j := strings.IndexAny(rest, "，,；;。\n"); j >= 0 {
				rest = rest[:j]
			}
			return rest, true
		}
	}
	return "", false
}

// affirmed reads what a clause (是谈判, 而是80万) says a field is, as a
// correction of that field alone.
func (c *conv) affirmed(field, clause string) (string, bool) {
	clause = strings.TrimSpace(clause)
	if clause == "" {
		return "", false
	}
	u := c.r.und.Understand("改一下，"+domain.FieldLabel(field)+clause, c.m.At)
	if u.Intent != domain.IntentCommand || u.Command.Kind != CmdCorrect {
		return "", false
	}
	for _, ch := range u.Command.Changes {
		if ch.Field == field && strings.TrimSpace(ch.Value) != "" {
			return ch.Value, true
		}
	}
	return "", false
}

// addWords say that contacts are added to those already on the record
// (联系人加上孙工), not put in their place.
var addWords = []string{"加上", "添加", "增加", "补充", "补上", "再加", "加一个", "还有"}

// addingContacts marks a contacts correction that adds names ("+" before
// the list: the domain keeps the names already there).
func addingContacts(text string, ch domain.Correction) domain.Correction {
	if ch.Field != domain.FieldContacts || ch.Value == "" || strings.HasPrefix(ch.Value, "+") {
		return ch
	}
	first := strings.Split(ch.Value, "|")[0]
	for _, clause := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune("，,；;。\n", r) }) {
		i := strings.Index(clause, first)
		if i < 0 {
			continue
		}
		for _, w := range addWords {
			if strings.Contains(clause[:i], w) { // 加上孙工: the word comes before the name
				ch.Value = "+" + ch.Value
				return ch
			}
		}
	}
	return ch
}

// valueLabel is a correction's value as the rep would write it.
func valueLabel(ch domain.Correction) string {
	switch ch.Field {
	case domain.FieldStage:
		if st, err := domain.ParseStage(ch.Value); err == nil {
			return st.Label()
		}
	case domain.FieldChannel:
		if c, err := domain.ParseChannel(ch.Value); err == nil {
			return c.Label()
		}
	case domain.FieldAmount:
		if n, err := strconv.ParseInt(ch.Value, 10, 64); err == nil && n > 0 {
			return domain.Yuan(n)
		}
	}
	return ch.Value
}

// unchanged names the fields a correction named whose value was already
// the one given, so that no part of it passes in silence.
func unchanged(asked []domain.Correction, res domain.Corrected) []string {
	done := map[string]bool{}
	for _, ch := range res.Changes {
		done[ch.Field] = true
	}
	for _, u := range res.Unapplied {
		done[u.Field] = true
	}
	var out []string
	for _, ch := range asked {
		if done[ch.Field] || strings.TrimSpace(ch.Value) == "" {
			continue
		}
		done[ch.Field] = true
		out = append(out, domain.FieldLabel(ch.Field)+"（本来就是"+valueLabel(ch)+"）")
	}
	return out
}

// correctPlan applies a correction made right after a plan (before any
// report) to that plan: a new day moves it; fields a plan does not have
// (amount, stage: nothing has happened yet) are named, and no earlier
// record is touched. ok is false when the last thing recorded in this chat
// was not a plan.
func (c *conv) correctPlan(ctx context.Context, cs []domain.Correction, refused []string) ([]Reply, bool, error) {
	b, found, err := c.r.states.GetState(ctx, c.planKey())
	if err != nil || !found {
		return nil, false, err
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return nil, false, nil
	}
	var day domain.Date
	for _, ch := range cs {
		switch ch.Field {
		case domain.FieldVisitDate, domain.FieldNextDate:
			day = domain.Date(ch.Value)
		default:
			refused = append(refused, domain.FieldLabel(ch.Field)+"（计划还没有发生，没有这一项；做完后告诉我结果即可）")
		}
	}
	var msg strings.Builder
	if day != "" {
		t, err := c.r.svc.RescheduleTask(ctx, c.me, id, day)
		if err != nil {
			out, err := c.fail(err)
			return out, true, err
		}
		fmt.Fprintf(&msg, "📅 已把计划改到 %s：%s", t.Due, t.Title)
	} else {
		msg.WriteString("计划没有改动。")
	}
	if len(refused) > 0 {
		msg.WriteString("\n没有改：" + strings.Join(refused, "；"))
	}
	msg.WriteString("\n要改之前的拜访记录，请在那条记录的卡片上点「修改」。")
	return c.say(msg.String()), true, nil
}
