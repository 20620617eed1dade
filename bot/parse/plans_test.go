package parse_test

import (
	"testing"

	"salesbot/domain"
)

// TestPlans: a message that only announces a future interaction is a report
// marked Plan, with no channel, no contacts and no stage, and the planned
// day as its next date; a message that also tells of something done is not
// a plan.
func TestPlans(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text string
		plan       bool
		next       domain.Date
	}{
		{"visit tomorrow", "明天去拜访长风汽车李总", true, "2026-03-12"},
		{"appointment next Wednesday", "下周三约了北辰软件王经理面谈", true, "2026-03-18"},
		{"getting ready to go", "准备周五去海川物流做方案演示", true, "2026-03-13"},
		{"call planned", "后天给长风汽车李总打电话问下反馈", true, "2026-03-13"},
		{"no day named", "下个月去拜访一下北辰软件", true, ""},
		{"a task with a deadline", "周五之前给长风汽车发报价", true, "2026-03-13"},
		{"a weekday opening a plan", "周五上午去拜访长风汽车李总", true, "2026-03-13"},
		{"a weekday opening a report", "周一去了长风汽车，见了李总", false, ""},
		{"visit done and one planned", "今天拜访了长风汽车李总，明天再去一次", false, "2026-03-12"},
		{"call done, visit agreed", "刚和北辰软件王经理通完电话，约了下周二上门", false, "2026-03-17"},
		{"news told, then a plan", "长风汽车的预算批了，下周一去汇报", false, "2026-03-16"},
		{"stage reached", "长风汽车报价已发，下周一再跟", false, "2026-03-16"},
		{"a dated trip, then the visit after a comma", "明天早上8点的高铁去临江，拜访长风汽车的李总", true, "2026-03-12"},
		{"a promised answer, then a quote told", "长风汽车李总说下月初给答复，报价是六十八万五千", false, "2026-04-01"},
		{"a dated trip, then a visit told done", "明天还要去临江，今天先拜访了长风汽车的李总", false, "2026-03-12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			mustReport(t, r, tc.text)
			if r.Plan != tc.plan || r.NextDate != tc.next {
				t.Fatalf("%q: plan %v next %q, want %v %q", tc.text, r.Plan, r.NextDate, tc.plan, tc.next)
			}
			if r.Plan && (r.Channel != "" || len(r.Contacts) != 0 || r.Stage != "") {
				t.Errorf("%q: a plan with channel %q contacts %v stage %q", tc.text, r.Channel, r.Contacts, r.Stage)
			}
		})
	}
}
