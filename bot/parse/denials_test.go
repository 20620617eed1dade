package parse_test

import (
	"slices"
	"testing"

	"salesbot/domain"
)

// TestDenials: in a report, 不是X是Y names Y: X is no stage, amount or contact.
func TestDenials(t *testing.T) {
	d := testDict()
	tests := []struct {
		text     string
		stage    domain.Stage
		amount   int64
		contacts []string
	}{
		{"拜访了北辰医疗，金额不是50万是80万", "", 800000, []string{}},
		{"拜访了北辰医疗，不是报价是谈判", domain.StageNegotiation, 0, []string{}},
		{"拜访了北辰医疗，联系人不是马经理是孙工", "", 0, []string{"孙工"}},
		{"拜访了北辰医疗见了孙工，不是50万而是80万", "", 800000, []string{"孙工"}},
		{"拜访了北辰医疗见了孙工，报价不是50万，是80万", domain.StageQuote, 800000, []string{"孙工"}},
		// Not a denial: a question (是不是), and 不是 with no 是 after it.
		{"拜访了北辰医疗见了孙工，报价80万，问是不是可以再谈", domain.StageQuote, 800000, []string{"孙工"}},
	}
	for _, tc := range tests {
		r := d.Parse(tc.text, wed)
		if r.Intent != domain.IntentReport {
			t.Errorf("%q: intent %s", tc.text, r.Intent)
			continue
		}
		if r.Stage != tc.stage || r.Amount != tc.amount || !slices.Equal(r.Contacts, tc.contacts) {
			t.Errorf("%q: stage %q amount %d contacts %q, want %q %d %q", tc.text, r.Stage, r.Amount, r.Contacts, tc.stage, tc.amount, tc.contacts)
		}
	}
}
