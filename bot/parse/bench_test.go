package parse_test

import (
	"fmt"
	"testing"
	"time"

	"salesbot/bot/parse"
)

// syntheticCustomers builds n customers with deterministic Chinese names
// and aliases (字号 + 行业 + 有限公司), plus a Latin alias for some.
func syntheticCustomers(n int) []parse.Customer {
	heads := []rune("华辰德润金石宏泰蓝鲸凯美格林永盛穗丰海岳星辉中鼎天衡云州仁和青岚恒通汇鑫鼎安优品鲜丰悦家美途远航速联捷运瑞丰博雅金辉青松嘉和拓界锐能鸿途赤霄宁泰福源明德栖云晨曦瀚海安澜启航云帆")
	trades := []string{"科技", "医疗", "物流", "制药", "能源", "建设", "食品", "纺织", "银行", "保险", "教育", "机械", "电子", "化工", "地产"}
	out := make([]parse.Customer, 0, n)
	for i := 0; i < n; i++ {
		a, b := heads[(i*7)%len(heads)], heads[(i*13+5)%len(heads)]
		short := string([]rune{a, b}) + fmt.Sprint(i%10)
		trade := trades[i%len(trades)]
		c := parse.Customer{
			Name:    short + trade + "有限公司",
			Aliases: []string{short + trade, short},
		}
		if i%5 == 0 {
			c.Aliases = append(c.Aliases, fmt.Sprintf("ACME%03d", i))
		}
		out = append(out, c)
	}
	return out
}

var benchMessages = []string{
	"12月30日去华辰5科技拜访了信息科王建国主任，聊了HIS接口改造，需求基本确认了，预算大概80万。\n下周二带技术过去做方案交流。",
	"华辰集团 刘总 电话 报价50w 下周三再跟",
	"今天去KMT中国跟采购部孙经理议价，之前报价135万，对方希望再让一点，下周继续谈",
	"本周排行",
	"收到",
	"远航国际 物流调度平台 今天发了报价单 报了280万",
	"上周六去仁和康复医院拜访了院办何主任，初步接触，对康复设备管理平台有点意向，月底再跟一次",
	"【客户拜访日报】\n日期：6月9日\n客户：恒通银行股份有限公司\n拜访对象：科技部郑经理、风控部冯经理\n拜访方式：现场\n项目阶段：方案演示\n预计金额：一百六十万\n下一步计划：6月16日提交正式报价",
	"新线索：博远医疗，做医学影像设备的，市场部韩经理加了微信，先发了公司介绍",
	"@王磊 云州一院的合同模板你那有吗？发我一份",
	"穗丰源食品 签了！八十万成交（报价85万，最后让了5万）",
	"查一下ACME010的进展",
}

func BenchmarkParse(b *testing.B) {
	d := parse.NewDictionary(syntheticCustomers(500), parse.Lexicon{})
	at := time.Date(2026, 3, 11, 15, 0, 0, 0, time.FixedZone("CST", 8*3600))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = d.Parse(benchMessages[i%len(benchMessages)], at)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkNewDictionary(b *testing.B) {
	cs := syntheticCustomers(500)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = parse.NewDictionary(cs, parse.Lexicon{})
	}
}
