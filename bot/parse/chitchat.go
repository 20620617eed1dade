package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chit-chat typed alone (恭喜恭喜, 好的, 嗯嗯, 收到, 哈哈, 在吗, 稍等, ok) names
// no organisation, so it never becomes a customer, whatever question it
// answers. The rule is about the shape of conversation, not a list of bad
// names: a text is chit-chat when, once trailing particles are dropped, it
// is made only of interjections, conversational formulae (greetings,
// thanks, acknowledgements, waiting, praise) and repeats of them, or is a
// number, an ordinal or a quantity (12, 第二个, 50万: a position or an
// amount, never a name). A real name such as 娃哈哈, 好利来, 滴滴, 美的 or 3M
// has a part that is none of these and stays a name.

// interjections are characters that only voice a reaction: a run of them
// (嗯嗯, 哈哈哈, 呃) says nothing else.
const interjections = "嗯哦噢喔啊呀哈呵嘿嘻额呃唉哎诶欸哼咦哇喂嘛吧呢啦嘞哟呦咯呗哒么吗"

// particles end a sentence without adding a word (好吧, 好嘞, 在吗, OK的).
const particles = "吧呢吗嘛啊呀啦嘞哟呦咯呗哒么哦噢喔哈的了滴"

// formulae are the conversational words a rep may type instead of an
// answer. They are matched as whole pieces, so a name is chit-chat only
// when it is nothing but these (好的谢谢, 收到收到, 稍等一下).
var formulae = []string{
	// acknowledgement and agreement
	"好", "好的", "好滴", "好嘞", "行", "可以", "没问题", "收到", "明白", "了解", "知道", "懂", "对", "是", "是的",
	"没错", "嗯", "当然", "没事", "不对", "不是", "错了", "一样", "同上", "同前", "如上", "随便", "都行", "都可以",
	// greetings and farewells
	"你好", "您好", "大家好", "各位", "在吗", "在不在", "在", "早", "早安", "早上好", "上午好", "中午好", "下午好",
	"晚上好", "晚安", "拜拜", "再见", "回见", "哈喽", "嗨",
	// thanks, praise, wishes
	"谢谢", "多谢", "感谢", "辛苦", "辛苦了", "麻烦", "麻烦了", "恭喜", "恭喜发财", "发财", "新年快乐", "节日快乐",
	"快乐", "周末愉快", "愉快", "加油", "厉害", "牛", "棒", "太棒了", "赞", "点赞", "优秀", "么么哒",
	// waiting and putting off
	"稍等", "等等", "等一下", "等下", "等会", "等会儿", "一下", "马上", "稍后", "一会", "一会儿", "回头", "回头说",
	"晚点", "晚点说", "在忙", "忙", "先这样", "就这样",
	// Latin-script chit-chat (compared in lower case)
	"ok", "okay", "k", "yes", "yeah", "yep", "no", "nope", "hi", "hello", "hey", "thanks", "thx", "thank you", "bye",
	"ha", "he", "lol", "hm", "hmm", "em", "um", "uh", "oh", "wow", "good", "great", "fine", "sure", "got it", "noted",
}

// IsChitChat reports whether text, typed alone, is conversation rather than
// a name (Dictionary.Organisation refuses it).
func IsChitChat(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	if chitEmoticon(t) {
		return true
	}
	t = strings.TrimFunc(t, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == '~' || r == '～'
	})
	if t == "" {
		return true // punctuation or emoji alone
	}
	if chitOrdinal(t) || chitQuantity(t) {
		return true
	}
	// Drop trailing particles while something is left (好吧 → 好, 娃哈哈 → 娃).
	for {
		r, n := utf8.DecodeLastRuneInString(t)
		if len(t) == n || !strings.ContainsRune(particles, r) {
			break
		}
		t = t[:len(t)-n]
	}
	return madeOfChitChat(t) || madeOfChitChat(squeezeLatin(t))
}

// chitEmoticon: the platforms' emoticon codes alone ([微笑], [强][强]).
func chitEmoticon(t string) bool {
	if !strings.HasPrefix(t, "[") || !strings.HasSuffix(t, "]") {
		return false
	}
	for _, part := range strings.Split(t[1:len(t)-1], "][") {
		if part == "" || strings.ContainsAny(part, "[]") || utf8.RuneCountInString(part) > 4 {
			return false
		}
	}
	return true
}

// chitOrdinal: digits or numerals alone, or 第N个 / 第N家 / N号 / 选N.
func chitOrdinal(t string) bool {
	t = strings.TrimPrefix(t, "选")
	t = strings.TrimPrefix(t, "第")
	for _, s := range []string{"个", "家", "号", "项", "条", "位"} {
		t = strings.TrimSuffix(t, s)
	}
	if t == "" {
		return false
	}
	for _, r := range t {
		if r < '0' || r > '9' {
			return chitSmallNumber(t) // 二, 十二; not 三一 (三一重工's short name)
		}
	}
	return true
}

// quantityUnits are the units a bare quantity ends with: money, counts,
// times (50万, 3个, 10点, 2026年).
const quantityUnits = "万千百亿元块圆个家号点年月日天周%％kw"

// chitQuantity: a number with or without a unit (50万, 3.5万元, 20%), never a
// name.
func chitQuantity(t string) bool {
	t = strings.TrimRightFunc(t, func(r rune) bool { return strings.ContainsRune(quantityUnits, r) })
	if t == "" {
		return false
	}
	digit := false
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r == '.' || r == ',':
		default:
			return false
		}
	}
	return digit
}

// chitSmallNumber: a well-formed Chinese number below a hundred (二, 十, 十二,
// 二十, 二十三).
func chitSmallNumber(t string) bool {
	const digits = "一二两三四五六七八九"
	r := []rune(t)
	isDigit := func(x rune) bool { return strings.ContainsRune(digits, x) }
	switch len(r) {
	case 1:
		return isDigit(r[0]) || r[0] == '十'
	case 2:
		return r[0] == '十' && isDigit(r[1]) || isDigit(r[0]) && r[1] == '十'
	case 3:
		return isDigit(r[0]) && r[1] == '十' && isDigit(r[2])
	}
	return false
}

// squeezeLatin folds runs of one Latin letter (emmm → em, okkk → ok,
// hhh → h) so that drawn-out chit-chat matches its plain form.
func squeezeLatin(t string) string {
	var b strings.Builder
	var last rune
	for _, r := range t {
		if r < utf8.RuneSelf && unicode.IsLetter(r) && r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// madeOfChitChat: t splits wholly into formulae and interjections (spaces
// and punctuation between them allowed), longest piece first.
func madeOfChitChat(t string) bool {
	ok := make([]bool, len(t)+1) // ok[i]: t[:i] splits
	ok[0] = true
	for i := 0; i < len(t); {
		r, n := utf8.DecodeRuneInString(t[i:])
		if ok[i] {
			if unicode.IsSpace(r) || unicode.IsPunct(r) || strings.ContainsRune(interjections, r) {
				ok[i+n] = true
			}
			for _, f := range formulae {
				// A Latin formula ends where its word ends, or is said again (haha).
				if end := i + len(f); strings.HasPrefix(t[i:], f) && (latinBoundary(t, end) || strings.HasPrefix(t[end:], f)) {
					ok[end] = true
				}
			}
		}
		i += n
	}
	return ok[len(t)]
}

// latinBoundary: a Latin formula ends where a word ends (ok, not okra).
func latinBoundary(t string, end int) bool {
	if end >= len(t) || end == 0 {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(t[:end])
	next, _ := utf8.DecodeRuneInString(t[end:])
	isLatin := func(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	return !(isLatin(prev) && isLatin(next))
}
