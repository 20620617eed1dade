package parse_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"salesbot/bot/parse"
	"salesbot/domain"
)

func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		" ",
		"\xff\xfe\xfd",
		"华辰\xff集团 刘总 电话 报价50w",
		strings.Repeat("今天去华辰集团拜访了刘总，报价一百二十万，下周三再跟进。", 300),
		strings.Repeat("9", 5000),
		strings.Repeat("万", 100) + strings.Repeat("十", 100),
		"99999999999999999999万亿",
		"1,2,3,4,5,6,7,8,9,0元",
		"2月30日 13月45号 0.0 32号 99/99",
		"周周周周末末 下下下下周 上上上周",
		"@@@@ @ @销售助手",
		"改一下，金额是",
		"提醒我",
		"下个月31号去", "上个月31号去的德润",
		"欧阳 司马 诸葛总 的的的总",
		"报价。。。，，，万",
		"1.2个亿四十八万八3万5千",
		"\n\n\t\r",
		"12.31去捷运冷链拜访了刘总，初次接触，后天再电话跟一下",
		"改一下，阶段是谈判，金额80万", "改一下，联系人是孙工，方式是电话", "德润那条金额改成80万",
		"德润那单被华为抢走了，价格太高", "华辰集团刘总口头答应了，下个月能签", "明天去拜访德润电子王总", "德润物联的张总电话",
		"医疗那个", "合铜已经签了", "方按…发…了", "被", "选了", "签签签签了了了",
		"<b>星海</b>科技", "<", "</", "<b", "<b>>", "**", "***星海***", "「」“”", "&nbsp;&amp;&", "<br/>王总<p>",
		"何 总", "欧阳 经理", "八 十 万", "下周 三", "星海\u3000科技 的", " 一 二 三 四 ",
		"和SAP的Lisa", "的 Amy 和 Jack、Tom", "RMB 3.6M", "1.2kw", "的 的 的 Lisa",
	}
	for _, s := range seeds {
		f.Add(s, int64(1767225600)) // 2026-01-01
	}
	d := parse.NewDictionary([]parse.Customer{
		{Name: "华辰科技集团股份有限公司", Aliases: []string{"华辰集团", "Huachen Group"}},
		{Name: "德润精密机械有限公司", Aliases: []string{"德润"}},
		{Name: "德润医疗器械有限公司", Aliases: []string{"德润医疗"}},
		{Name: "甲", Aliases: []string{"共用"}},
		{Name: "乙", Aliases: []string{"共用"}},
	}, parse.Lexicon{})
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, text string, unix int64) {
		at := time.Unix(unix%(400*365*86400), 0).In(loc)
		r := d.Parse(text, at)
		switch r.Intent {
		case domain.IntentReport, domain.IntentCommand, domain.IntentOther:
		default:
			t.Fatalf("intent %q", r.Intent)
		}
		if r.Contacts == nil {
			t.Fatal("contacts is nil")
		}
		if (r.Command != nil) != (r.Intent == domain.IntentCommand) {
			t.Fatalf("command %v with intent %s", r.Command, r.Intent)
		}
		if r.Intent != domain.IntentReport {
			if r.Customer != "" || len(r.Contacts) != 0 || r.Channel != "" || r.VisitDate != "" || r.Stage != "" ||
				r.Amount != 0 || r.NextDate != "" {
				t.Fatalf("%s record carries report fields: %+v", r.Intent, r)
			}
		} else if r.VisitDate == "" {
			t.Fatal("report without visit_date")
		}
		for _, d := range []domain.Date{r.VisitDate, r.NextDate} {
			if d == "" {
				continue
			}
			if _, err := time.Parse("2006-01-02", string(d)); err != nil || len(d) != 10 {
				t.Fatalf("bad date %q", d)
			}
		}
		if r.NextDate != "" && string(r.NextDate) <= at.Format("2006-01-02") {
			t.Fatalf("next_date %s is not after %s", r.NextDate, at.Format("2006-01-02"))
		}
		if r.Stage != "" && !r.Stage.Valid() {
			t.Fatalf("bad stage %q", r.Stage)
		}
		if r.Amount < 0 {
			t.Fatalf("negative amount %d", r.Amount)
		}
		switch r.Channel {
		case "", domain.ChannelOnsite, domain.ChannelPhone, domain.ChannelOnline:
		default:
			t.Fatalf("bad channel %q", r.Channel)
		}
		if r.Plan && (r.Intent != domain.IntentReport || r.Channel != "" || len(r.Contacts) != 0 || r.Stage != "") {
			t.Fatalf("a plan tells of something done: %+v", r)
		}
		if (r.LostTo != "" || r.LostReason != "") && r.Stage != domain.StageLost {
			t.Fatalf("lost to %q reason %q at stage %q", r.LostTo, r.LostReason, r.Stage)
		}
		if r.ExpectedClose != "" {
			if _, err := time.Parse("2006-01", string(r.ExpectedClose)); err != nil || r.Stage.Closed() {
				t.Fatalf("expected close %q at stage %q", r.ExpectedClose, r.Stage)
			}
		}
		if len(r.Resembles) > 0 && (r.CustomerKnown || r.Customer == "") {
			t.Fatalf("resembles %v for customer %q known %v", r.Resembles, r.Customer, r.CustomerKnown)
		}
		if c := r.Command; c != nil && c.Kind == parse.CommandCorrect {
			for _, ch := range c.Changes {
				if ch.Field == "" || ch.Value == "" {
					t.Fatalf("empty change %+v in %q", ch, text)
				}
			}
		}
		if name, known, ok := d.Organisation(text); ok != (name != "") || known && !ok ||
			ok && utf8.RuneCountInString(name) > parse.MaxNameRunes {
			t.Fatalf("Organisation(%q) = %q %v %v", text, name, known, ok)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) {
			t.Fatalf("invalid UTF-8 JSON %q", b)
		}
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"id", "intent", "customer", "contacts", "channel", "visit_date", "stage", "amount", "next_date", "next_action", "summary"} {
			if _, ok := back[k]; !ok {
				t.Fatalf("JSON lacks %q: %s", k, b)
			}
		}
		if _, ok := back["contacts"].([]any); !ok {
			t.Fatalf("contacts is not an array: %s", b)
		}
	})
}
