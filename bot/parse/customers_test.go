package parse_test

import (
	"slices"
	"testing"

	"salesbot/bot/parse"
)

func TestCustomers(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text string
		want       string
		known      bool
		candidates []string
	}{
		{"canonical name", "今天去北辰软件有限公司拜访了王总", "北辰软件有限公司", true, nil},
		{"alias", "北辰 王总 电话 报价50w", "北辰软件有限公司", true, nil},
		{"Latin alias any case", "BEICHEN 王总 电话 报价50w", "北辰软件有限公司", true, nil},
		{"Latin alias lower case with space", "haichuan group 的钱总今天来电", "海川国际物流集团有限公司", true, nil},
		{"short Latin alias", "cfa 李总 现场 需求调研", "长风汽车股份有限公司", true, nil},
		{"Latin alias inside a word does not match", "CFAX 李总 现场 需求调研", "CFAX", false, nil},
		{"short alias does not steal a longer name", "北辰医疗 黄经理 电话 报价45万", "北辰医疗设备有限公司", true, nil},
		{"longest match", "海川国际 钱总 线上 商务谈判", "海川国际物流集团有限公司", true, nil},
		{"short alias", "海川 张总 电话 价格谈妥了", "海川物流有限公司", true, nil},
		{"short alias starting another company's name", "海川科技有限公司的王总今天来电，报价30万", "海川科技有限公司", false, nil},
		{"short alias with its own trade", "海川物流的张总电话 报价30万", "海川物流有限公司", true, nil},
		{"organisation before 的报价 and a person it was sent to", "星海科技的报价微信发给邹总了，三十八万", "星海科技", false, nil},
		{"listing word dropped", "上周日在展会上认识了几个客户，其中云港集团的鲍总很感兴趣", "云港集团", false, nil},
		{"competitor is skipped", "长风汽车那单丢了，选了竞品北辰软件", "长风汽车股份有限公司", true, nil},
		{"ambiguous alias", "青木 王总 电话 报价30万", "青木", false, []string{"青木食品有限公司", "青木建材有限公司"}},
		{"unknown with suffix", "初次拜访星海科技，见了王总", "星海科技", false, nil},
		{"unknown after 叫", "今天初步接触了一家新客户，叫锐能电池，见了杨总", "锐能电池", false, nil},
		{"unknown after 新线索", "新线索：博远医疗，市场部韩经理加了微信", "博远医疗", false, nil},
		{"unknown leading token", "栖云酒店 报价已发，26000块", "栖云酒店", false, nil},
		{"unknown leading token before a person", "云帆 曾经理 今天上门拜访 了解需求", "云帆", false, nil},
		{"unknown after 去…拜访", "今天去华为拜访了张总", "华为", false, nil},
		{"unknown before 的 and a person", "上午和万科的李经理开了个视频会", "万科", false, nil},
		{"unknown with department", "下午跟比亚迪采购部王建华经理通了个电话", "比亚迪", false, nil},
		{"unknown with role", "今天电话联系了金辉置业的工程部经理马经理", "金辉置业", false, nil},
		{"unknown, trailing 那边 dropped", "阿里巴巴那边回复了，方案评审通过，进入商务谈判", "阿里巴巴", false, nil},
		{"unknown school", "下午去云州市第三中学拜访了教务处的任主任", "云州市第三中学", false, nil},
		{"unknown long name", "首次接触：安澜物业服务有限公司，电话联系了行政部邱经理", "安澜物业服务有限公司", false, nil},
		{"unknown name holding 和", "上周五跟嘉和物流的戴总开了个线上会", "嘉和物流", false, nil},
		{"topic header is not an organisation", "开学季跑学校：下午去云州市第三中学拜访了任主任", "云州市第三中学", false, nil},
		{"generic place is not an organisation", "今天去医院拜访了王主任，聊了二期", "", false, nil},
		{"city gone to, then the organisation met", "下下周二去西安见秦川重卡的康总", "秦川重卡", false, nil},
		{"a department after 的 is not the organisation", "明天去拜访格力的采购中心", "格力", false, nil},
		{"park gone to, then the organisation visited", "上周五去成都天府软件园拜访了蜀道数科的何总", "蜀道数科", false, nil},
		{"the place is the organisation when a person is met there", "今天去星海科技拜访了周总", "星海科技", false, nil},
		{"space-separated note with 的 and a role", "上周五 电话 约了 福耀玻璃 的 采购 章经理 下周二 见面", "福耀玻璃", false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			mustReport(t, r, tc.text)
			if got := str(r.Customer); got != tc.want {
				t.Errorf("%q: customer %q, want %q", tc.text, got, tc.want)
			}
			if r.CustomerKnown != tc.known {
				t.Errorf("%q: known %v, want %v", tc.text, r.CustomerKnown, tc.known)
			}
			if r.CustomerAmbiguous != (len(tc.candidates) > 0) || !slices.Equal(r.Candidates, tc.candidates) {
				t.Errorf("%q: ambiguous %v candidates %v, want %v", tc.text, r.CustomerAmbiguous, r.Candidates, tc.candidates)
			}
		})
	}
}

func TestLexiconAliases(t *testing.T) {
	d := parse.NewDictionary(testCustomers, parse.Lexicon{Aliases: map[string][]string{"长风汽车股份有限公司": {"长风股份"}}})
	r := d.Parse("长风股份 李总 电话 报价20万", wed)
	if str(r.Customer) != "长风汽车股份有限公司" || !r.CustomerKnown {
		t.Errorf("customer %q known %v", str(r.Customer), r.CustomerKnown)
	}
}

func TestDictionaryCustomer(t *testing.T) {
	d := testDict()
	if name, known, _ := d.Customer("北辰医疗"); name != "北辰医疗设备有限公司" || !known {
		t.Errorf("北辰医疗: %q %v", name, known)
	}
	if name, known, cands := d.Customer("青木"); name != "青木" || known || len(cands) != 2 {
		t.Errorf("青木: %q %v %v", name, known, cands)
	}
	if name, known, _ := d.Customer(" 星海科技 "); name != "星海科技" || known {
		t.Errorf("星海科技: %q %v", name, known)
	}
}

// TestOrdinalBeforeAlias: an alias right after an ordinal (第二实验小学)
// names another, numbered organisation unless the customer's own name
// holds that ordinal.
func TestOrdinalBeforeAlias(t *testing.T) {
	d := parse.NewDictionary([]parse.Customer{
		{Name: "临江市实验小学", Aliases: []string{"实验小学"}},
		{Name: "临江市第一人民医院", Aliases: []string{"人民医院"}},
	}, parse.Lexicon{})
	for _, tc := range []struct{ text, want string }{
		{"临江市第二实验小学 吕老师 电话 了解了一下需求", "临江市第二实验小学"},
		{"实验小学 吕老师 电话 了解了一下需求", "临江市实验小学"},
		{"第一人民医院 王主任 电话 需求调研", "临江市第一人民医院"},
	} {
		r := d.Parse(tc.text, wed)
		if got := str(r.Customer); got != tc.want {
			t.Errorf("%q: customer %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestUnknownOrgBeforePerson(t *testing.T) {
	d := testDict()
	tests := []struct {
		text, org string
		contacts  []string
	}{
		{"今天拜访了华为张总", "华为", []string{"张总"}},
		{"今天拜访了华为张经理", "华为", []string{"张经理"}},
		{"和金蝶刘总吃饭，聊了二期", "金蝶", []string{"刘总"}},
		{"今天拜访了腾讯欧阳总", "腾讯", []string{"欧阳总"}},
		{"比亚迪王经理 电话 报价50万", "比亚迪", []string{"王经理"}},
		{"拜访了云州总医院李主任", "云州总医院", []string{"李主任"}},
		{"拜访了华为总部张总", "华为", []string{"张总"}},
		{"拜访了刘晓燕经理，聊了需求", "", []string{"刘晓燕经理"}},
		{"昨天电话联系星海科技李经理，聊了需求", "星海科技", []string{"李经理"}},
		{"约了星海科技李经理，下午电话沟通", "星海科技", []string{"李经理"}},
		{"致电蓝天科技王工，报价30万", "蓝天科技", []string{"王工"}},
		{"今天联系了蓝天信息赵主任，发了方案", "蓝天信息", []string{"赵主任"}},
		{"上午走访星海科技周总", "星海科技", []string{"周总"}},
	}
	for _, tc := range tests {
		r := d.Parse(tc.text, wed)
		mustReport(t, r, tc.text)
		if got := str(r.Customer); got != tc.org {
			t.Errorf("%q: customer %q, want %q", tc.text, got, tc.org)
		}
		got := slices.Clone(r.Contacts)
		slices.Sort(got)
		want := slices.Clone(tc.contacts)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: contacts %v, want %v", tc.text, r.Contacts, tc.contacts)
		}
	}
}

// TestBrandPrefixCollisions: an organisation written as a known customer's
// short name plus other name characters is another organisation, taken as
// written; the alias alone, before a person, a verb, a department, a deal
// word or a company form is still the customer.
func TestBrandPrefixCollisions(t *testing.T) {
	d := testDict()
	tests := []struct {
		text, want string
		known      bool
		resembles  []string
	}{
		{"今天去海川物联拜访了王总", "海川物联", false, []string{"海川物流有限公司"}},
		{"北辰智造的李总电话，聊了需求", "北辰智造", false, []string{"北辰软件有限公司"}},
		{"去了北辰云图，见了孙总", "北辰云图", false, []string{"北辰软件有限公司"}},
		{"海川冷链物流有限公司 赵经理 电话 报价20万", "海川冷链物流有限公司", false, []string{"海川物流有限公司"}},
		{"北辰拜访了王总", "北辰软件有限公司", true, nil},
		{"北辰软件王工今天来电", "北辰软件有限公司", true, nil},
		{"北辰公司张总来电，聊了需求", "北辰软件有限公司", true, nil},
		{"北辰采购部李经理电话 报价30万", "北辰软件有限公司", true, nil},
		{"北辰二期 张总 电话 报价50万", "北辰软件有限公司", true, nil},
		{"海川集团钱总 视频会议 报价80万", "海川国际物流集团有限公司", true, nil},
		{"北辰最近情况 李总 电话", "北辰软件有限公司", true, nil},
		{"北辰达的刘总 电话 初步接触", "北辰达", false, []string{"北辰软件有限公司"}},
		{"北辰方面的刘总 电话 初步接触", "北辰软件有限公司", true, nil},
	}
	for _, tc := range tests {
		r := d.Parse(tc.text, wed)
		mustReport(t, r, tc.text)
		if r.Customer != tc.want || r.CustomerKnown != tc.known || !slices.Equal(r.Resembles, tc.resembles) {
			t.Errorf("%q: customer %q known %v resembles %v, want %q %v %v", tc.text, r.Customer, r.CustomerKnown, r.Resembles,
				tc.want, tc.known, tc.resembles)
		}
	}
}
