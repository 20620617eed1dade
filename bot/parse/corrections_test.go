package parse_test

import (
	"slices"
	"testing"

	"salesbot/bot/parse"
	"salesbot/domain"
)

// TestCorrections: a correction changes every field it names, each with its
// canonical value; what cannot be read is returned, never an empty value.
func TestCorrections(t *testing.T) {
	d := testDict()
	ch := func(field, value string, values ...string) parse.Change {
		return parse.Change{Field: field, Value: value, Values: values}
	}
	tests := []struct {
		text     string
		customer string
		changes  []parse.Change
		unparsed []string
	}{
		{"改一下，阶段是谈判，金额80万", "", []parse.Change{ch(parse.FieldStage, "negotiation"), ch(parse.FieldAmount, "800000")}, nil},
		{"改一下，联系人是孙工，方式是电话", "", []parse.Change{ch(parse.FieldContacts, "孙工", "孙工"), ch(parse.FieldChannel, "phone")}, nil},
		{"长风汽车那条金额改成80万", "长风汽车股份有限公司", []parse.Change{ch(parse.FieldAmount, "800000")}, nil},
		{"改一下，联系人是孙工和李总", "", []parse.Change{ch(parse.FieldContacts, "孙工、李总", "孙工", "李总")}, nil},
		{"改一下，阶段是报价，金额50万，下次跟进改到周五", "", []parse.Change{ch(parse.FieldStage, "quote"),
			ch(parse.FieldAmount, "500000"), ch(parse.FieldNextDate, "2026-03-13")}, nil},
		{"刚才那条写错了，是电话不是拜访", "", []parse.Change{ch(parse.FieldChannel, "phone")}, nil},
		{"改一下，80万", "", []parse.Change{ch(parse.FieldAmount, "800000")}, nil},
		{"改一下，客户是北辰医疗，日期是昨天", "", []parse.Change{ch(parse.FieldCustomer, "北辰医疗设备有限公司"),
			ch(parse.FieldVisitDate, "2026-03-10")}, nil},
		{"改一下，阶段是那个啥，金额60万", "", []parse.Change{ch(parse.FieldAmount, "600000")}, []string{"阶段是那个啥"}},
		{"改一下，联系人是", "", nil, []string{"联系人是"}},
		{"改一下，方式不对", "", nil, []string{"方式不对"}},
		{"改一下，客户是就那个", "", nil, []string{"客户是就那个"}},
		// 不是X是Y names Y.
		{"改一下，金额不是50万是80万", "", []parse.Change{ch(parse.FieldAmount, "800000")}, nil},
		{"改一下，不是报价是谈判", "", []parse.Change{ch(parse.FieldStage, "negotiation")}, nil},
		{"改一下，联系人不是马经理是孙工", "", []parse.Change{ch(parse.FieldContacts, "孙工", "孙工")}, nil},
		{"改一下，阶段不是报价而是谈判", "", []parse.Change{ch(parse.FieldStage, "negotiation")}, nil},
		{"改一下，日期不是昨天应该是前天", "", []parse.Change{ch(parse.FieldVisitDate, "2026-03-09")}, nil},
		{"改一下，金额不是50万，是80万", "", []parse.Change{ch(parse.FieldAmount, "800000")}, nil},
		{"改一下，联系人不是马经理，而是孙工", "", []parse.Change{ch(parse.FieldContacts, "孙工", "孙工")}, nil},
		// A plan's day is a date only; 改 and 到 alone name no stage or channel.
		{"改一下，计划改到后天", "", []parse.Change{ch(parse.FieldNextDate, "2026-03-13")}, nil},
		// A part naming no field gives every value it holds.
		{"改一下，应该是昨天电话聊的", "", []parse.Change{ch(parse.FieldChannel, "phone"), ch(parse.FieldVisitDate, "2026-03-10")}, nil},
		// A visit day ahead is still a day (the bot decides whether it may be).
		{"改一下，日期改成明天", "", []parse.Change{ch(parse.FieldVisitDate, "2026-03-12")}, nil},
		{"改一下，日期是3月20日", "", []parse.Change{ch(parse.FieldVisitDate, "2026-03-20")}, nil},
		// A field's name right before its value, for every field.
		{"改一下，阶段报价", "", []parse.Change{ch(parse.FieldStage, "quote")}, nil},
		{"改一下，阶段谈判", "", []parse.Change{ch(parse.FieldStage, "negotiation")}, nil},
		{"改一下，金额80万", "", []parse.Change{ch(parse.FieldAmount, "800000")}, nil},
		{"改一下，联系人孙工", "", []parse.Change{ch(parse.FieldContacts, "孙工", "孙工")}, nil},
		{"改一下，日期昨天", "", []parse.Change{ch(parse.FieldVisitDate, "2026-03-10")}, nil},
		{"改一下，方式电话", "", []parse.Change{ch(parse.FieldChannel, "phone")}, nil},
		{"改一下，客户北辰医疗", "", []parse.Change{ch(parse.FieldCustomer, "北辰医疗设备有限公司")}, nil},
		{"改一下，报价金额80万", "", []parse.Change{ch(parse.FieldAmount, "800000")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			if r.Intent != domain.IntentCommand || r.Command == nil || r.Command.Kind != parse.CommandCorrect {
				t.Fatalf("%q: intent %s command %+v", tc.text, r.Intent, r.Command)
			}
			c := r.Command
			if c.Customer != tc.customer {
				t.Errorf("customer %q, want %q", c.Customer, tc.customer)
			}
			if !slices.EqualFunc(c.Changes, tc.changes, func(a, b parse.Change) bool {
				return a.Field == b.Field && a.Value == b.Value && slices.Equal(a.Values, b.Values)
			}) {
				t.Errorf("changes %+v, want %+v", c.Changes, tc.changes)
			}
			if !slices.Equal(c.Unparsed, tc.unparsed) {
				t.Errorf("unparsed %q, want %q", c.Unparsed, tc.unparsed)
			}
			for _, x := range c.Changes {
				if x.Value == "" {
					t.Errorf("empty value for %s", x.Field)
				}
			}
		})
	}
}
