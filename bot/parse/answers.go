package parse

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Answers to "哪个客户？" (CONTRACT.md "Reports, plans and conversations"): a
// customer is created only from an organisation's name, never from an
// answer that names none (就那个, 上次说的那家, 联系人是周总和孙工).

// MaxNameRunes is the longest organisation name an answer may give.
const MaxNameRunes = 100

// answerLeads and answerTails are words around a name in an answer
// (是德润医疗的, 客户叫星海科技).
var (
	answerLeads = []string{"客户名称是", "客户名是", "客户是", "公司是", "就是", "应该是", "是", "叫", "客户", "公司名", "名字是"}
	answerTails = []string{"那家公司", "那家", "的", "吧", "啊", "呀", "哈"}
)

// notNameWords make an answer name no organisation: pronouns,
// demonstratives, time words, fields and verbs.
var notNameWords = []string{"那个", "这个", "那家", "这家", "那边", "这边", "哪个", "哪家", "上次", "之前", "刚才", "就那", "我们",
	"他们", "你们", "我", "你", "他", "她", "它", "联系人", "金额", "阶段", "方式", "日期", "时间", "是", "了", "吗", "呢", "说",
	"不知道", "不清楚", "忘了", "随便", "没有", "不是", "算了", "好的", "收到", "谢谢"}

// Organisation reads an answer that should name an organisation. A known
// customer or alias gives its canonical name (known); an alias shared by
// several customers gives the words as written. An unknown name with an
// organisation's suffix (公司, 集团, 医院, 银行, 科技, 电池…), or a plausible
// proper name typed alone, is returned as written (2 to MaxNameRunes runes).
// ok is false when the answer names no organisation (医疗那个, 就那个,
// 上次说的那家, 联系人是周总和孙工, 人是, 那家公司) or is chit-chat (see
// chitchat.go).
func (d *Dictionary) Organisation(text string) (name string, known, ok bool) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > MaxNameRunes || IsChitChat(text) {
		return "", false, false // 恭喜恭喜, 嗯嗯, 稍等, ok, 12: chit-chat names none
	}
	name, known, ok = d.organisation(text)
	if !ok || IsChitChat(name) { // 是好的 → 好的
		return "", false, false
	}
	// Keep the dot of an abbreviation that ends the name (Acme Robotics Inc.).
	if r := []rune(name); !known && len(r) > 0 && isLatin(r[len(r)-1]) && strings.HasSuffix(text, name+".") {
		name += "."
	}
	return name, known, true
}

// organisation is Organisation before the chit-chat and abbreviation rules.
func (d *Dictionary) organisation(text string) (name string, known, ok bool) {
	m := prepare(text, time.Time{}, d.tab)
	m.known = d.idx.match(m.t)
	m.findContacts()
	m.dropCollisions(&d.idx)
	if k, found := m.pickKnown(); found {
		name, known, _ := d.customerName(k, m)
		return name, known, true
	}
	if len(m.contacts) > 0 {
		return "", false, false // a person, not an organisation
	}
	a, b := m.answerName()
	if b-a < 2 {
		return "", false, false
	}
	for _, w := range notNameWords {
		if containsStr(m.t, a, b, w) {
			return "", false, false
		}
	}
	for i := a; i < b; i++ {
		if !isNameRune(m.t[i]) && !strings.ContainsRune(" ()（）·&-.", m.t[i]) {
			return "", false, false
		}
	}
	w := string(m.t[a:b])
	if genericOrgs[w] || isSuffixWord(w) {
		return "", false, false // 医疗, 公司: a kind, not a name
	}
	return string(m.src[a:b]), false, true
}

// answerName trims the words around a name in an answer.
func (m *msg) answerName() (int, int) {
	a, b := trimSpan(m.t, 0, len(m.t))
	for moved := true; moved && a < b; {
		moved = false
		for _, w := range answerLeads {
			if n := utf8.RuneCountInString(w); hasStrAt(m.t, a, w) && a+n < b {
				a, moved = a+n, true
				break
			}
		}
		for _, w := range answerTails {
			n := utf8.RuneCountInString(w)
			if n == 1 && b-2 >= a && m.t[b-1] == m.t[b-2] {
				continue // 娃哈哈: a doubled rune ends a name, not a particle
			}
			if endsWithStr(m.t, b, w) && b-n > a+1 {
				b, moved = b-n, true
				break
			}
		}
		a, b = trimSpan(m.t, a, b)
	}
	return a, b
}

// isSuffixWord reports an organisation suffix on its own (医疗, 科技).
func isSuffixWord(w string) bool {
	for _, s := range orgSuffixes {
		if w == s {
			return true
		}
	}
	return false
}
