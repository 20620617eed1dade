package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"salesbot/domain"
)

// Card buttons on pushed reminders (built here and by the jobs package):
//
//	task_done:<task id>     已处理: the follow-up is done
//	task_snooze:<task id>   推迟到明天: move it to tomorrow
//	job_mute:<job>          不再提醒: stop this job's pushes to me
//	job_unmute:<job>        恢复提醒
const (
	KeyTaskDone   = "task_done"
	KeyTaskSnooze = "task_snooze"
	KeyJobMute    = "job_mute"
	KeyJobUnmute  = "job_unmute"
)

// IsTaskAction reports whether a card action is one taskAction handles.
func IsTaskAction(key string) bool {
	verb, _, _ := strings.Cut(key, ":")
	switch verb {
	case KeyTaskDone, KeyTaskSnooze, KeyJobMute, KeyJobUnmute:
		return true
	}
	return false
}

var jobLabels = map[string]string{
	"reminders":   "早间跟进提醒",
	"stale":       "商机停滞提醒",
	"nudge":       "傍晚拜访提醒",
	"digest":      "每日简报",
	"leaderboard": "周排行榜",
	"monthend":    "月底目标通报",
}

// JobLabel is the Chinese name of a scheduled push.
func JobLabel(job string) string {
	if l, ok := jobLabels[job]; ok {
		return l
	}
	return job
}

// maxCardTasks and maxTaskButtons keep a reminder card within what every
// platform shows (WeCom: 6 fields and 6 buttons; DingTalk: 5 buttons).
const (
	maxCardTasks   = 6
	maxTaskButtons = 2 // tasks with their own 已处理 / 推迟 buttons
)

// FollowUpCard is the reminder of a member's open follow-ups due by day
// (overdue ones included): one card, not one message per task. The first
// tasks get 已处理 and 推迟到明天 buttons; muteJob, when set, adds 不再提醒.
func FollowUpCard(memberID int64, day domain.Date, tasks []domain.TaskView, muteJob string) Card {
	c := Card{ID: fmt.Sprintf("followups:%d:%s", memberID, day)}
	if len(tasks) == 0 {
		c.Title, c.Final = "今日跟进提醒", "都处理完了 👍"
		return c
	}
	c.Title = fmt.Sprintf("今日跟进提醒（%d 条）", len(tasks))
	for i, t := range tasks {
		if i == maxCardTasks {
			break
		}
		c.Fields = append(c.Fields, Field{Label: dueLabel(t.Task.Due, day), Value: taskLine(t)})
	}
	if n := len(tasks) - maxCardTasks; n > 0 {
		c.Note = fmt.Sprintf("还有 %d 条未列出，发送「今天的跟进」查看全部。", n)
	}
	for i, t := range tasks {
		if i == maxTaskButtons {
			break
		}
		name := shortName(t.Customer)
		if t.Customer == "" {
			name = oneLine(t.Task.Title, 8) // a reminder (明天提醒我…) has no customer
		}
		id := strconv.FormatInt(t.Task.ID, 10)
		c.Buttons = append(c.Buttons,
			Button{Key: KeyTaskDone + ":" + id, Text: "已处理·" + name, Style: "primary"},
			Button{Key: KeyTaskSnooze + ":" + id, Text: "推迟到明天·" + name},
		)
	}
	if muteJob != "" {
		c.Buttons = append(c.Buttons, Button{Key: KeyJobMute + ":" + muteJob, Text: "不再提醒"})
	}
	return c
}

// FollowUpText is the plain-text form of the reminder, for platforms
// without cards: every task, not only the first six.
func FollowUpText(day domain.Date, tasks []domain.TaskView) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**今日跟进提醒（%d 条）**", len(tasks))
	for i, t := range tasks {
		fmt.Fprintf(&b, "\n%d. [%s] %s", i+1, dueLabel(t.Task.Due, day), taskLine(t))
	}
	b.WriteString("\n处理完可以回复「今天的跟进」查看最新清单。")
	return b.String()
}

func dueLabel(due, day domain.Date) string {
	switch n := due.DaysSince(day); {
	case n <= 0:
		return "今天"
	default:
		return fmt.Sprintf("逾期%d天", n)
	}
}

func taskLine(t domain.TaskView) string {
	if t.Customer == "" {
		return oneLine(t.Task.Title, 40) // a reminder without a customer
	}
	return t.Customer + "：" + oneLine(t.Task.Title, 40)
}

// shortName trims a company name for a button: 华辰科技有限公司 → 华辰科技.
func shortName(name string) string {
	for _, suffix := range []string{"股份有限公司", "有限责任公司", "有限公司", "集团"} {
		if s := strings.TrimSuffix(name, suffix); s != name && s != "" {
			name = s
			break
		}
	}
	return oneLine(name, 8)
}

// taskAction handles the buttons of pushed reminders: done, snooze, mute
// and unmute. The Router's action switch hands it keys IsTaskAction accepts.
func (c *conv) taskAction(ctx context.Context, a CardAction) ([]Reply, error) {
	verb, arg, _ := strings.Cut(a.Key, ":")
	switch verb {
	case KeyJobMute, KeyJobUnmute:
		mute := verb == KeyJobMute
		if err := c.r.svc.MuteJob(ctx, c.me, arg, mute); err != nil {
			return c.fail(err)
		}
		if mute {
			card := Card{
				ID:      "mute:" + arg,
				Title:   "已关闭「" + JobLabel(arg) + "」",
				Note:    "以后不再给你发送这类提醒。想恢复时点下面的按钮。",
				Buttons: []Button{{Key: KeyJobUnmute + ":" + arg, Text: "恢复提醒"}},
			}
			return []Reply{{To: c.to, Text: CardText(card), Card: &card}}, nil
		}
		return c.say("已恢复「" + JobLabel(arg) + "」。"), nil
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return c.say("这个按钮已失效。"), nil
	}
	var t domain.Task
	switch verb {
	case KeyTaskDone:
		t, err = c.r.svc.CompleteTask(ctx, c.me, id)
	case KeyTaskSnooze:
		t, err = c.r.svc.SnoozeTask(ctx, c.me, id)
	default:
		return c.say("这个按钮已失效。"), nil
	}
	if err != nil {
		return c.fail(err)
	}
	// Show the card again with what is left to do today.
	today := c.r.svc.Today()
	views, err := c.r.svc.OpenFollowUps(ctx, c.me, today)
	if err != nil {
		return nil, err
	}
	card := FollowUpCard(c.me.ID, today, views, "reminders")
	what := "已处理"
	if verb == KeyTaskSnooze {
		what = "已推迟到 " + string(t.Due)
	}
	if t.Status == domain.TaskCancelled {
		what = "这条跟进已取消"
	}
	note := fmt.Sprintf("「%s」%s。", oneLine(t.Title, 20), what)
	if card.Note != "" {
		card.Note = note + "\n" + card.Note
	} else {
		card.Note = note
	}
	return []Reply{{To: c.to, Text: CardText(card), Update: &Update{CardID: a.CardID, Card: card}}}, nil
}
