package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"salesbot/domain"
)

// The public pool's commands (CONTRACT.md, ../shared/docs/pool.md):
// 公海 [关键词], 领取 客户名, 分配 客户名 给 成员名.
const (
	CmdPool   CommandKind = "pool"   // Text: the search words ("" all)
	CmdClaim  CommandKind = "claim"  // Customer: whom to claim
	CmdAssign CommandKind = "assign" // Customer to Text (a member's name)
)

// KeyPoolClaim starts the key of a pool listing's 领取 button; the
// customer's name follows the colon.
const KeyPoolClaim = "pool_claim"

var (
	poolRe   = regexp.MustCompile(`^(?:公海|公海池|客户池|查看公海|公海客户|公海列表)(?:\s+(.+))?$`)
	claimRe  = regexp.MustCompile(`^(?:领取|捞取|认领)(?:客户)?\s*(.+)$`)
	assignRe = regexp.MustCompile(`^(?:分配|指派)(?:客户)?\s*(.+?)\s*(?:给|→|->)\s*(.+)$`)
)

// poolWord recognises the pool commands; anything else is left to the
// parser.
func poolWord(text string) (Command, bool) {
	t := strings.Trim(strings.TrimSpace(text), "。.!！?？")
	if m := poolRe.FindStringSubmatch(t); m != nil {
		return Command{Kind: CmdPool, Text: strings.TrimSpace(m[1])}, true
	}
	if m := assignRe.FindStringSubmatch(t); m != nil {
		return Command{Kind: CmdAssign, Customer: strings.TrimSpace(m[1]), Text: strings.TrimSpace(m[2])}, true
	}
	if m := claimRe.FindStringSubmatch(t); m != nil && !strings.HasPrefix(m[1], "了") {
		return Command{Kind: CmdClaim, Customer: strings.TrimSpace(m[1])}, true
	}
	return Command{}, false
}

// pool answers the pool commands.
func (c *conv) pool(ctx context.Context, cmd Command) ([]Reply, error) {
	switch cmd.Kind {
	case CmdClaim:
		return c.claim(ctx, cmd.Customer)
	case CmdAssign:
		return c.assign(ctx, cmd)
	}
	list, err := c.r.svc.Pool(ctx, c.me, cmd.Text)
	if err != nil {
		return c.fail(err)
	}
	if len(list) == 0 {
		if cmd.Text != "" {
			return c.say(fmt.Sprintf("公海里没有和「%s」相关的客户。", cmd.Text)), nil
		}
		return c.say("公海里暂时没有你可以领取的客户。"), nil
	}
	today := domain.DateOf(c.m.At, c.r.svc.Location())
	card := Card{ID: "pool:" + string(today), Title: fmt.Sprintf("公海客户（%d）", len(list)), Note: "回复「领取 客户名」即可领取"}
	var b strings.Builder
	fmt.Fprintf(&b, "**公海客户（%d）**", len(list))
	for i, e := range list {
		line := poolLine(e, today, c.r.svc.Location())
		fmt.Fprintf(&b, "\n%d. %s", i+1, line)
		card.Fields = append(card.Fields, Field{Label: e.Customer.Name, Value: strings.TrimPrefix(line, e.Customer.Name+" ")})
		card.Buttons = append(card.Buttons, Button{Key: KeyPoolClaim + ":" + e.Customer.Name, Text: "领取·" + shortName(e.Customer.Name)})
	}
	b.WriteString("\n回复「领取 客户名」即可领取。")
	return []Reply{{To: c.to, Text: b.String(), Markdown: true, Card: &card}}, nil
}

// poolLine: 华辰科技有限公司 A类 · 电子制造 · 上次拜访 2026-01-05 · 入池 12 天 · 前负责人 李娜（30 天没有拜访或阶段推进）
func poolLine(e domain.PoolEntry, today domain.Date, loc *time.Location) string {
	parts := []string{e.Customer.Name + " " + string(e.Customer.Tier) + "类"}
	if e.Customer.Industry != "" {
		parts = append(parts, e.Customer.Industry)
	}
	if e.LastVisit.IsZero() {
		parts = append(parts, "没有拜访记录")
	} else {
		parts = append(parts, "上次拜访 "+string(e.LastVisit))
	}
	parts = append(parts, fmt.Sprintf("入池 %d 天", domain.DateOf(e.Since, loc).DaysSince(today)))
	if e.PrevOwner != "" {
		prev := "前负责人 " + e.PrevOwner
		if e.Reason != "" {
			prev += "（" + e.Reason + "）"
		}
		parts = append(parts, prev)
	}
	return strings.Join(parts, " · ")
}

// claim takes a customer from the pool and shows its history at once.
func (c *conv) claim(ctx context.Context, name string) ([]Reply, error) {
	ch, err := c.r.svc.Claim(ctx, c.me, name)
	if err != nil {
		return c.fail(err)
	}
	out := c.say(fmt.Sprintf("已领取「%s」，现在由你负责。以下是它的历史：", ch.Customer))
	history, err := c.progress(ctx, ch.Customer)
	return append(out, history...), err
}

// assign gives a customer to a member and tells the assignee.
func (c *conv) assign(ctx context.Context, cmd Command) ([]Reply, error) {
	if cmd.Customer == "" || cmd.Text == "" {
		return c.say("请这样说：分配 客户名 给 成员名"), nil
	}
	a, err := c.r.svc.Assign(ctx, c.me, cmd.Customer, cmd.Text)
	if err != nil {
		return c.fail(err)
	}
	from := "公海"
	if a.From.ID != 0 {
		from = a.From.Name
	}
	out := c.say(fmt.Sprintf("已把「%s」分配给%s（原来：%s）。", a.Change.Customer, a.To.Name, from))
	if id := a.To.PlatformUserID(c.to.Platform); id != "" && a.To.ID != c.me.ID {
		out = append(out, Reply{To: Destination{Platform: c.to.Platform, UserID: id},
			Text: fmt.Sprintf("%s把客户「%s」分配给了你，发送「%s进展」查看它的历史。", c.me.Name, a.Change.Customer, a.Change.Customer)})
	}
	return out, nil
}
