package parse_test

import (
	"testing"

	"salesbot/bot/parse"
)

// TestChitChat: conversation typed alone is never an organisation's name,
// and real names that share characters with it stay names.
func TestChitChat(t *testing.T) {
	for _, s := range []string{
		"恭喜恭喜", "好的", "嗯嗯", "收到", "哈哈", "在吗", "稍等", "好吧", "好嘞", "好滴", "OK的", "ok", "OK", "Okkk",
		"明白", "您好", "可以", "没问题", "对的", "666", "12", "哈哈哈", "呵呵", "等一下", "马上", "稍等一下", "在忙",
		"早上好", "晚安", "hello", "Hello!", "haha", "hahaha", "emmm", "hmmm", "thanks", "Thank you", "啊啊啊", "哦哦",
		"好好好", "没事", "不对", "同上", "大家好", "各位", "恭喜发财", "新年快乐", "加油加油", "厉害", "么么哒", "拜拜",
		"周末愉快", "早安", "等等", "稍后", "一会儿", "收到谢谢", "好的好的", "嗯嗯好的", "收到收到", "谢谢谢谢", "辛苦啦",
		"第二个", "第2家", "选3", "二", "第十二个", "360", "50万", "3.5万元", "20%", "1,000元", "10点", "2026年", "[微笑]", "[强][强]", "👍", "？？", "...", "好的～", "嗯嗯，收到！",
	} {
		if !parse.IsChitChat(s) {
			t.Errorf("%q is read as a name", s)
		}
	}
	for _, s := range []string{
		"华为", "华伟", "IBM", "Acme", "Acme Robotics Inc.", "星河动力", "哈药", "小米", "字节跳动", "阿里巴巴", "喜茶",
		"好利来", "美的", "格力", "海尔", "娃哈哈", "哈哈镜", "万科", "顺丰", "京东", "平安", "同仁堂", "步步高", "康师傅",
		"好想你", "好当家", "加油站", "滴滴", "当当", "陌陌", "OKR咨询", "Okta", "Hikvision", "58同城", "三一重工",
		"金石重工", "星河动力科技有限公司", "第一人民医院", "二七区人民医院", "三一", "一下科技", "在线教育", "3M", "58同城", "万达", "百度",
	} {
		if parse.IsChitChat(s) {
			t.Errorf("%q is read as chit-chat", s)
		}
	}
}
