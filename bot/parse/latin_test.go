package parse_test

import (
	"slices"
	"testing"

	"salesbot/domain"
)

// TestLatinNames: organisations written in Latin letters and people known
// by an English given name.
func TestLatinNames(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text string
		customer   string
		contacts   []string
	}{
		{"acronym organisation, given name", "和SAP的Lisa开了个会，线上，聊了差旅系统", "SAP", []string{"Lisa"}},
		{"spaced, two names", "今天跟 Tencent 的 Amy 和 Jack 视频了一下 首次接触", "Tencent", []string{"Amy", "Jack"}},
		{"two-word organisation, Chinese contact", "今天和 Siemens Healthineers 的 王 经理 通了电话", "Siemens Healthineers", []string{"王经理"}},
		{"role before the name", "昨天晚上 和 SHEIN 的 供应链总监 Grace 吃饭", "SHEIN", []string{"Grace"}},
		{"Chinese organisation, given name", "西部数码的Tom微信说他们要换供应商", "西部数码", []string{"Tom"}},
		{"known Latin alias", "Haichuan Group 的 Kevin 电话 报价50w", "海川国际物流集团有限公司", []string{"Kevin"}},
		// A name of several Latin words after a visit verb runs to a stop.
		{"multi-word after a verb", "拜访了Acme Robotics的John，聊了报价", "Acme Robotics", []string{"John"}},
		{"multi-word, comma after", "拜访了Acme Robotics，见了他们的John", "Acme Robotics", []string{"John"}},
		{"multi-word, Chinese contact", "拜访了 Big Blue Corp 张总，报价80万", "Big Blue Corp", []string{"张总"}},
		{"English channel word ends it", "拜访了Acme phone call聊了报价", "Acme", nil},
		{"joining word ends it", "拜访了Acme and Beta，见了他们的John", "Acme", []string{"John"}},
		{"a person speaking ends it", "拜访了Acme Robotics John说要报价", "Acme Robotics", nil},
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
	// Acronyms and our own people are not contacts; a planned meeting meets nobody yet.
	for _, text := range []string{
		"长风汽车 李总 电话 聊了CRM的POC",
		"长风汽车 李总 电话 我们的Tom明天过去",
		"明天下午三点和华为云的 Kevin 开线上会",
		"长风汽车 李总 电话 发了他们的Excel表格",
		"长风汽车 李总 电话 他们的Demo环境好了",
	} {
		r := d.Parse(text, wed)
		for _, c := range r.Contacts {
			if c == "CRM" || c == "POC" || c == "Tom" || c == "Kevin" || c == "Excel" || c == "Demo" {
				t.Errorf("%q: contact %q", text, c)
			}
		}
	}
	if r := d.Parse("明天下午三点和华为云的 Kevin 开线上会", wed); r.Intent != domain.IntentReport || r.Customer != "华为云" || r.NextDate != "2026-03-12" {
		t.Errorf("plan: %s %q %s", r.Intent, r.Customer, r.NextDate)
	}
}

// TestEnglishChannelWords: English channel words count as whole words only.
func TestEnglishChannelWords(t *testing.T) {
	d := testDict()
	tests := []struct {
		text string
		want domain.Channel
	}{
		{"长风汽车 李总 tel 报价35万", domain.ChannelPhone},
		{"长风汽车 李总 WeChat 说方案通过了", domain.ChannelOnline},
		{"长风汽车 李总 onsite 商务谈判", domain.ChannelOnsite},
		{"长风汽车 李总 说hotel项目报价35万", ""},
	}
	for _, tc := range tests {
		if got := d.Parse(tc.text, wed).Channel; got != tc.want {
			t.Errorf("%q: channel %q, want %q", tc.text, got, tc.want)
		}
	}
}
