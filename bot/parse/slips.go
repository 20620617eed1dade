package parse

import "strings"

// Input-method slips (CONTRACT.md "Stage codes"): a rep typing pinyin picks
// a homophone (方按 for 方案, 合铜 for 合同, 报家 for 报价, 需球 for 需求), or a
// handwriting pad a character of nearly the same shape (方桉). They are
// read as a class: every stage expression that holds one of the key words
// below is also added with one rune of that key word swapped for each of
// its confusable runes (合同审批 → 合铜审批, 和同审批, …).

// slipKeys are the key words of the stage lexicon a slip is read in.
var slipKeys = []string{"方案", "合同", "报价", "需求", "签约", "演示", "谈判", "议价", "中标", "试用", "盖章", "砍价", "确认"}

// confusables lists, per rune of a key word, the runes typed for it by
// mistake: same pinyin (tones aside) or nearly the same shape.
var confusables = map[rune]string{
	'案': "按安岸桉暗",
	'合': "和何盒河",
	'同': "铜通桶童桐",
	'报': "包抱暴保宝",
	'价': "家架假驾嫁",
	'需': "须虚",
	'求': "球秋邱",
	'约': "月悦越跃",
	'演': "眼掩",
	'示': "视试式事是",
	'判': "盘盼叛",
	'议': "宜意义异艺",
	'标': "表彪",
	'试': "式视事",
	'章': "张彰",
	'砍': "看侃坎",
	'认': "任人忍",
}

// notSlips are forms a swap makes that are real words of their own: never
// read as slips (保价 alone is insurance; 保价单 is still a slip of 报价单).
var notSlips = map[string]bool{"保价": true, "报表": true, "确人": true}

// slipTraps are common words a slip form can run into (和同事 holds 和同):
// a slip read over one of them is no slip.
var slipTraps = []string{"和同事", "和同学", "和同行", "和同志", "何同学", "合通信", "报家门", "签月度", "眼示意", "试用期",
	"安全", "安装", "安排", "按时", "按照", "按期", "暗示", "通知", "通过", "童装", "家里", "家人", "架构", "假期", "驾驶",
	"义务", "意见", "意向", "意思", "艺术", "异常", "表示", "表格", "表单", "月底", "月初", "月份", "视频", "式样", "事情", "事项"}

// slipTrapped reports whether a trap word covers the slip form's first
// part, which starts at pos and is n runes long.
func slipTrapped(t []rune, pos, n int) bool {
	for _, w := range slipTraps {
		if i := indexStr(t, max(0, pos-2), min(len(t), pos+n+2), w); i >= 0 {
			return true
		}
	}
	return false
}

// slips returns the one-rune slips of a stage expression: for each key word
// it holds, each rune swapped for each of its confusables.
func slips(w string) []string {
	var out []string
	for _, key := range slipKeys {
		i := strings.Index(w, key)
		if i < 0 {
			continue
		}
		k := []rune(key)
		for j, r := range k {
			for _, c := range confusables[r] {
				v := append([]rune(nil), k...)
				v[j] = c
				form := w[:i] + string(v) + w[i+len(key):]
				if notSlips[form] {
					continue
				}
				out = append(out, form)
			}
		}
	}
	return out
}
