package parse

import (
	"salesbot/domain"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Intent (CONTRACT.md "intent"): report, command or other. Questions and
// requests to colleagues (@someone, 谁, 有没有人, 大家), notices, forwarded
// news and chit-chat are other; requests about the sender's own records
// that address nobody are commands.

// botWords mark an @-mention of the bot rather than a person.
var botWords = []string{"助手", "机器人", "bot", "小秘", "助理", "小助"}

// mentions strips @-mentions from the normalised text: body is what is left,
// addressed is true when someone other than the bot was mentioned.
func (d *Dictionary) mentions(s string) (body string, addressed bool) {
	if !strings.ContainsRune(s, '@') {
		return strings.TrimSpace(s), false
	}
	var b strings.Builder
	for {
		i := strings.IndexRune(s, '@')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		rest := s[i+1:]
		j := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",，:：", r) })
		if j < 0 {
			j = len(rest)
		}
		name := rest[:j]
		if !d.isBot(name) {
			addressed = true
		}
		s = rest[j:]
	}
	return strings.TrimSpace(b.String()), addressed
}

func (d *Dictionary) isBot(name string) bool {
	name = strings.ToLower(name)
	for _, w := range botWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	for _, w := range d.botNames {
		if name == w || strings.HasPrefix(name, w) {
			return true
		}
	}
	return false
}

// forwarded reports notices, forwarded news and links.
func forwarded(s string) bool {
	return containsAny(s, "【通知】", "【公告】", "【转发】", "【转载】", "【新闻】", "[通知]", "通知:", "公告:", "转发:", "转:",
		"转自", "据报道", "据悉", "快讯", "http://", "https://", "www.", "分享一篇", "分享一个链接", "新闻:")
}

// groupAddress reports words that put a question or request to people:
// 谁, 有没有人, 大家, 各位, 你们.
func groupAddress(s string) bool {
	return containsAny(s, "谁", "有没有人", "有人", "大家", "各位", "你们", "哪位", "兄弟们", "同事们", "你那", "你有", "你帮")
}

// isQuestion reports a question or a request for an answer.
func isQuestion(s string) bool {
	if containsAny(s, "?", "吗", "哪", "几点", "什么", "怎么", "是否", "能不能", "有没有", "多少", "如何", "谁") {
		return true
	}
	for _, w := range []string{"几家", "几个", "几单", "几次", "几笔"} {
		if askedCount(s, w) {
			return true
		}
	}
	s = strings.TrimRight(s, " ~!。.")
	return strings.HasSuffix(s, "呢") || strings.HasSuffix(s, "么")
}

// askedCount reports 几个/几家 asked (签了几单, 拜访了几家客户), not told
// after a done verb in a clause that more text follows (提了几个问题，我周四
// 前回复: a few).
func askedCount(s, w string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], w)
		if k < 0 {
			return false
		}
		k += i
		i = k + len(w)
		if !strings.HasSuffix(s[:k], "了") && !strings.HasSuffix(s[:k], "过") {
			return true
		}
		if !strings.ContainsAny(s[i:], "，,。；;！!") {
			return true // 本周我拜访了几家客户: the count is asked in the last clause
		}
	}
}

// reportedQuestion reports a question the customer put to the rep, told
// in a report (刘总问我们能不能月底前出方案，我说没问题): 问 said of someone,
// no question mark, and the message not ending as a question.
func reportedQuestion(s string) bool {
	if strings.ContainsAny(s, "?？") || endsAsQuestion(s) {
		return false
	}
	for i := 0; ; {
		k := strings.Index(s[i:], "问")
		if k < 0 {
			return false
		}
		k += i
		i = k + len("问")
		before, after := s[:k], s[i:]
		if strings.HasSuffix(before, "请") || strings.HasSuffix(before, "想") || strings.HasSuffix(before, "我") ||
			strings.HasPrefix(after, "题") || strings.HasPrefix(after, "一下") || strings.HasPrefix(after, "下") {
			continue // 请问, 我想问, 问题, 问一下: asked by the sender
		}
		return before != ""
	}
}

// endsAsQuestion reports a message that ends as a question (…吗？, …了没).
func endsAsQuestion(s string) bool {
	s = strings.TrimRight(s, " ~!。.…")
	for _, w := range []string{"?", "吗", "呢", "么", "没", "不"} {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// requestWords mark a request to someone (发我一份, 帮忙看下).
func request(s string) bool {
	return containsAny(s, "发我", "帮我", "麻烦", "帮忙", "请", "给我", "辛苦")
}

// reportVerbs tell of an interaction or a deal change even without a
// channel or a stage word.
var reportVerbs = []string{"拜访", "跟进", "沟通", "聊了", "聊", "见了", "谈", "签", "报价", "汇报", "演示", "对接",
	"联系", "交流", "来电", "回访", "开会", "开了", "约了", "发了", "提交", "中标", "丢", "输", "取消", "立项", "预算",
	"需求", "合同", "反馈", "说", "确认", "去", "约", "见", "过去", "跑", "考察", "参观", "来访", "见面", "开会",
	"让我们", "要我们", "叫我们", "请我们", "启动", "认识", "介绍", "寄给", "快递给", "发给", "交给", "寄了"}

// features summarises what the families found, for the intent decision.
type features struct {
	customer, contacts, channel, stage, amount bool
	plan                                       bool // only a future interaction is announced
}

// decideIntent classifies a message that is not a command.
func decideIntent(s string, f features, addressed bool) domain.Intent {
	if forwarded(s) {
		return domain.IntentOther
	}
	verb := containsAny(s, reportVerbs...)
	report := f.customer && (f.channel || f.stage || f.amount || verb || f.plan) ||
		f.contacts && (f.channel || f.stage || verb) ||
		f.stage && f.amount
	q := isQuestion(s) && !reportedQuestion(s)
	if addressed || groupAddress(s) {
		if !report || q || request(s) {
			return domain.IntentOther
		}
	}
	if request(s) && containsAny(s, "发我", "给我", "发给我") && !f.channel && !f.contacts {
		return domain.IntentOther // 帮忙把蓝鲸的报价单发我一份: a request, no interaction told
	}
	if addressed && containsAny(s, "你", "您") && !f.channel && !f.contacts {
		return domain.IntentOther // @张伟 明天去捷运你跟我一起: an instruction to a colleague
	}
	if report && q && !(f.channel || f.stage) && utf8.RuneCountInString(s) < 30 ||
		report && endsAsQuestion(s) && !f.channel && !f.contacts {
		return domain.IntentOther
	}
	if report {
		return domain.IntentReport
	}
	return domain.IntentOther
}
