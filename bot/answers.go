package bot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reading the short answers reps give to the bot's questions: menu words,
// cancel words, a position in a list (2, 第二个), part of a listed name, and
// the name itself with its end punctuation dropped. Chit-chat is in
// parse/chitchat.go.

// ownWords are the bot's own menu and answer words: never a customer.
func ownWords(text string) bool {
	switch text {
	case "合并", "新增", "确认", "修改", "撤销", "新客户", "取消":
		return true
	}
	return false
}

func isNewCustomer(text string) bool {
	switch text {
	case "新客户", "新建", "新的", "新建客户", "是新客户", "都不是", "不是":
		return true
	}
	return false
}

// trimAnswer drops the spaces and end punctuation around an answer, but
// keeps the dot of an abbreviation that ends a name (Acme Robotics Inc.).
func trimAnswer(text string) string {
	t := strings.Trim(text, " 。!！")
	for strings.HasSuffix(t, ".") {
		r := []rune(strings.TrimSuffix(t, "."))
		if len(r) > 0 && r[len(r)-1] < utf8.RuneSelf && unicode.IsLetter(r[len(r)-1]) {
			break
		}
		t = strings.TrimRight(strings.TrimSuffix(t, "."), " 。!！")
	}
	return t
}

// position reads an answer that picks a listed item by its number: 2, 第二个,
// 第2家, 选2, 二.
func position(text string) (int, bool) {
	t := strings.TrimSpace(text)
	t = strings.TrimPrefix(t, "选")
	t = strings.TrimPrefix(t, "第")
	for _, s := range []string{"个", "家", "号", "项", "条", "位"} {
		t = strings.TrimSuffix(t, s)
	}
	if n, err := strconv.Atoi(t); err == nil {
		return n, true
	}
	const cn = "一二三四五六七八九十"
	if r := []rune(t); len(r) == 1 {
		if i := strings.IndexRune(cn, r[0]); i >= 0 {
			return i/len("一") + 1, true
		}
		if r[0] == '两' {
			return 2, true
		}
	}
	return 0, false
}

// answerPart is an answer with the words that point at a listed name
// dropped (医疗那个, 精密的那家 → 医疗, 精密), in lower case.
func answerPart(text string) string {
	t := strings.ToLower(strings.TrimSpace(text))
	for _, s := range []string{"的那个", "的那家", "那个", "那家", "那边", "的"} {
		t = strings.TrimSuffix(t, s)
	}
	for _, s := range []string{"是", "就是"} {
		t = strings.TrimPrefix(t, s)
	}
	return strings.TrimSpace(t)
}

// partOf finds the one candidate whose name contains the answer's words
// (two characters at least); ok is false when none or several do.
func partOf(text string, candidates []string) (string, bool) {
	part := answerPart(text)
	if utf8.RuneCountInString(part) < 2 {
		return "", false
	}
	found := ""
	for _, c := range candidates {
		if strings.Contains(strings.ToLower(c), part) {
			if found != "" {
				return "", false
			}
			found = c
		}
	}
	return found, found != ""
}

// partOfWord: the answer is part of the look-alike name the rep wrote.
func partOfWord(text, word string) bool {
	part := answerPart(text)
	return utf8.RuneCountInString(part) >= 2 && strings.Contains(strings.ToLower(word), part)
}

func isCancel(text string) bool {
	switch strings.Trim(text, " 。.!！") {
	case "取消", "算了", "不用了", "不记了":
		return true
	}
	return false
}
