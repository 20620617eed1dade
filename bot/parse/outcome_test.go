package parse_test

import (
	"testing"

	"salesbot/domain"
)

// TestLostOutcome: a lost deal keeps the competitor that won it when named,
// and the reason when said, as written.
func TestLostOutcome(t *testing.T) {
	d := testDict()
	tests := []struct {
		text, to, reason string
	}{
		{"长风汽车的项目被华为抢走了", "华为", ""},
		{"长风汽车李总来电，客户最后定了用友", "用友", ""},
		{"长风汽车那单输给了金蝶，价格太高", "金蝶", "价格太高"},
		{"长风汽车的单子被友商抢走了", "", ""},
		{"长风汽车李总电话说他们转投了西门子，因为我们交付周期太长", "西门子", "我们交付周期太长"},
		{"长风汽车李总电话告知，预算砍了，项目取消", "", "预算砍了"},
		{"长风汽车那单丢了，选了竞品", "", ""},
		{"长风汽车最终和浪潮签了合同，对方价格比我们低三成", "浪潮", "对方价格比我们低三成"},
		{"长风汽车李总说他们选了海川科技的方案", "海川科技", ""},
		{"长风汽车没中标，被本地一家公司拿走了", "", ""},
	}
	for _, tc := range tests {
		r := d.Parse(tc.text, wed)
		mustReport(t, r, tc.text)
		if r.Stage != domain.StageLost || r.LostTo != tc.to || r.LostReason != tc.reason {
			t.Errorf("%q: stage %s lost to %q reason %q, want lost %q %q", tc.text, r.Stage, r.LostTo, r.LostReason, tc.to, tc.reason)
		}
	}
	if r := d.Parse("长风汽车李总电话 报价50万 价格太高了 还在谈", wed); r.LostTo != "" || r.LostReason != "" {
		t.Errorf("an open deal has lost to %q reason %q", r.LostTo, r.LostReason)
	}
}

// TestExpectedClose: the month the customer is expected to sign.
func TestExpectedClose(t *testing.T) { // wed is 2026-03-11
	d := testDict()
	tests := []struct {
		text string
		want domain.Month
	}{
		{"长风汽车李总电话 口头答应了 下个月能签", "2026-04"},
		{"长风汽车 李总 现场 商务谈判 预计5月签约", "2026-05"},
		{"长风汽车 李总 电话 报价80万 争取年底前签下来", "2026-12"},
		{"长风汽车李总说合同在走流程，月底能签", "2026-03"},
		{"长风汽车 李总 现场 报价80万 估计明年2月签合同", "2027-02"},
		{"长风汽车 李总 电话 价格谈妥了 下周三签约", "2026-03"},
		{"长风汽车 李总 电话 报价已发 1月份能成交", "2027-01"},
		{"长风汽车李总电话 合同签了", ""},
		{"长风汽车 李总 电话 报价80万 下个月再跟", ""},
	}
	for _, tc := range tests {
		r := d.Parse(tc.text, wed)
		mustReport(t, r, tc.text)
		if r.ExpectedClose != tc.want {
			t.Errorf("%q: expected close %q, want %q", tc.text, r.ExpectedClose, tc.want)
		}
	}
}
