package parse_test

import (
	"slices"
	"testing"
)

// TestMarkupIsTransparent: tags, emphasis, quotes and stray spaces inside
// names do not cut them; the stored names carry no markup.
func TestMarkupIsTransparent(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text string
		customer   string
		contacts   []string
	}{
		{"bold tag", "拜访了<b>星海</b>科技公司的采购部周经理和技术部吴工", "星海科技公司", []string{"周经理", "吴工"}},
		{"tag with attributes", `拜访了<font color="red">星海科技</font>的王总`, "星海科技", []string{"王总"}},
		{"markdown bold", "今天去了**星海科技**，见了运维中心的司徒总", "星海科技", []string{"司徒总"}},
		{"corner quotes", "「锦程酒店」 宁总 电话 报价50w已发", "锦程酒店", []string{"宁总"}},
		{"curly quotes", "今天去“远山教育”见了校办钟主任", "远山教育", []string{"钟主任"}},
		{"known customer in a tag", "<b>长风汽车</b>李总电话 报价35万", "长风汽车股份有限公司", []string{"李总"}},
		{"ideographic space inside a name", "拜访了 星海\u3000科技 的采购部周经理", "星海科技", []string{"周经理"}},
		{"space between surname and title", "去星海科技拜访了 何 总", "星海科技", []string{"何总"}},
		{"space after a compound surname", "星海科技 报价已微信发给采购部欧阳 经理", "星海科技", []string{"欧阳经理"}},
		{"entity and line break", "星海科技&nbsp;王总<br>电话 报价50w", "星海科技", []string{"王总"}},
		{"terse note keeps its fields", "长风汽车 李总 电话 报价35万", "长风汽车股份有限公司", []string{"李总"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			mustReport(t, r, tc.text)
			if r.Customer != tc.customer {
				t.Errorf("%q: customer %q, want %q", tc.text, r.Customer, tc.customer)
			}
			if got := slices.Sorted(slices.Values(r.Contacts)); !slices.Equal(got, slices.Sorted(slices.Values(tc.contacts))) {
				t.Errorf("%q: contacts %v, want %v", tc.text, r.Contacts, tc.contacts)
			}
		})
	}
}

// TestMarkupSpacingStaysSeparate: spaces that separate fields are kept, and
// numerals and weekdays spoken apart are read whole.
func TestMarkupSpacingStaysSeparate(t *testing.T) {
	d := testDict()
	r := d.Parse("长风汽车 李总 线上会 说预算批了 八 十 万 让我们下周 三 去讲方案", wed)
	mustReport(t, r, "spaced numerals")
	if amountOf(r) != 800000 {
		t.Errorf("amount %d, want 800000", r.Amount)
	}
	if r.NextDate != "2026-03-18" {
		t.Errorf("next date %s, want 2026-03-18 (下周 三)", r.NextDate)
	}
	r = d.Parse("长风汽车 技术 交流 李总", wed)
	if r.Customer != "长风汽车股份有限公司" {
		t.Errorf("customer %q", r.Customer)
	}
	// 3*5 is arithmetic, not emphasis.
	if r := d.Parse("长风汽车李总电话 报价3*5万", wed); r.Summary != "长风汽车李总电话 报价3*5万" {
		t.Errorf("summary %q keeps 3*5", r.Summary)
	}
}

// TestMarkupInAnswers: an answer to 哪个客户？ gives the organisation's name
// without the markup around it.
func TestMarkupInAnswers(t *testing.T) {
	d := testDict()
	for in, want := range map[string]string{
		"「星河科技」":          "星河科技",
		"<b>星河</b>科技有限公司": "星河科技有限公司",
		"**长风汽车**":        "长风汽车股份有限公司",
		"星河(A&B)动力科技有限公司": "星河(A&B)动力科技有限公司",
	} {
		if name, _, ok := d.Organisation(in); !ok || name != want {
			t.Errorf("Organisation(%q) = %q %v, want %q", in, name, ok, want)
		}
	}
}
