package parse_test

import "testing"

func TestAmounts(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text string
		want       int64 // -1: null
	}{
		{"wan", "长风汽车李总电话 报价35万", 350000},
		{"wished price alone is not the deal's value", "长风汽车李总希望我们报价控制在80万以内", -1},
		{"wished price after our quote", "长风汽车 我们报的35万，他们希望我们降到25万", 350000},
		{"competitor's quote is not ours", "长风汽车李总钉钉语音 说竞品华讯报了45w 比我们便宜", -1},
		{"kw", "长风汽车李总 tel 报价1.2kw 客户嫌贵", 12000000},
		{"M after RMB", "长风汽车 李总 签约了 合同金额 RMB 3.6M", 3600000},
		{"m is not a unit without a money word", "长风汽车 李总 现场 管道长3.6m", -1},
		{"wished cut is not the price", "长风汽车报价上周发过去了，三百一十万，今天李总来电说要砍到两百八十万", 3100000},
		{"w", "长风汽车李总电话 报价35w", 350000},
		{"W", "长风汽车李总电话 预算150W", 1500000},
		{"k", "长风汽车李总电话 报价680k", 680000},
		{"K", "长风汽车李总电话 报价95K", 95000},
		{"yuan", "长风汽车李总电话 报价26000元", 26000},
		{"kuai", "长风汽车李总电话 报价8800块", 8800},
		{"thousands separators", "长风汽车李总电话 合同额1,280,000元", 1280000},
		{"currency sign", "长风汽车李总电话 预算约￥2,500,000", 2500000},
		{"decimal wan", "长风汽车李总电话 报价45.6万", 456000},
		{"yi", "长风汽车李总电话 预估合同额1.2亿", 120000000},
		{"ge yi", "长风汽车李总电话 预估合同额1.2个亿", 120000000},
		{"qian", "长风汽车李总电话 报价9千", 9000},
		{"Chinese", "长风汽车李总电话 报价二十万", 200000},
		{"Chinese hundreds", "长风汽车李总电话 预算一百五十万", 1500000},
		{"Chinese liang", "长风汽车李总电话 预算两百万", 2000000},
		{"Chinese ling", "长风汽车李总电话 报价一百零五万", 1050000},
		{"Chinese thousands of wan", "长风汽车李总电话 预算一千二百万", 12000000},
		{"digit after wan", "长风汽车李总电话 报价四十八万八", 488000},
		{"about, 来万", "长风汽车李总电话 项目大概80来万", 800000},
		{"no figure, 大几十万", "长风汽车李总电话 项目规模大几十万", -1},
		{"payment in an earlier clause", "长风汽车李总电话，首付30%，合同80万", 800000},
		{"digit after wan Arabic", "长风汽车李总电话 报价3万5", 35000},
		{"digit after qian", "长风汽车李总电话 报价三千五", 3500},
		{"about", "长风汽车李总电话 预算大概三十万左右", 300000},
		{"more than", "长风汽车李总电话 预算100多万", 1000000},
		{"range takes the lower end", "长风汽车李总电话 预算50-60万", 500000},
		{"contract beats quote", "长风汽车李总电话 报价85万，最后定在80万签了", 800000},
		{"signed beats quote", "长风汽车 签了！八十万成交（报价85万，最后让了5万）", 800000},
		{"quote beats budget", "长风汽车李总电话 之前说预算是50万，这次我们报了62万", 620000},
		{"quote beats counter-offer", "长风汽车李总电话 报价八十五万，对方想压到七十万", 850000},
		{"budget beats estimate", "长风汽车李总电话 预计合同额400万，预算300万", 3000000},
		{"estimate modifier on contract amount", "长风汽车李总电话 预估合同额500万，报价450万", 4500000},
		{"winning bid", "长风汽车李总电话 中标了，中标价八十二万", 820000},
		{"payment is not the value", "长风汽车 合同签了 38万 首付30万已到账", 380000},
		{"payment only", "长风汽车李总电话 尾款20万已经付了", -1},
		{"discount is not the value", "长风汽车李总电话 让了5万", -1},
		{"unit price is not the value", "长风汽车李总电话 单价3万，总价60万", 600000},
		{"price per unit after the sum", "长风汽车李总电话 报价3万一台，共20台", -1},
		{"past order is not the value", "长风汽车李总电话 去年跟我们采购过40万的设备，这次预算六百万", 6000000},
		{"paid renewal", "长风汽车李总电话 去年的维保3.5万已经付了，今年报价9千", 9000},
		{"annual fee is an estimate", "长风汽车李总电话 预算50万，维保报价3万一年", 500000},
		{"percent is not money", "长风汽车 合同签了 首付30%", -1},
		{"counts are not money", "长风汽车李总电话 他们有200家门店，20台设备，6个月工期", -1},
		{"a year is not money", "2026最后一天 长风汽车李总电话 聊了二期", -1},
		{"dates are not money", "长风汽车李总电话 12.31去现场", -1},
		{"ranges of Chinese digits", "长风汽车李总电话 预算两三百万", 2000000},
		{"thousands of wan with more", "长风汽车李总电话 预算一千多万", 10000000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			mustReport(t, r, tc.text)
			if got := amountOf(r); got != tc.want {
				t.Errorf("%q: amount %d, want %d", tc.text, got, tc.want)
			}
		})
	}
}
