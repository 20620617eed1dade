package bot_test

import (
	"testing"

	"salesbot/bot/parse"
	"salesbot/domain"
)

// Every period the parser names is a span domain knows, under the same name
// and with the label the parser read it from.
func TestParsedPeriodsAreDomainPeriods(t *testing.T) {
	labels := map[string]string{
		parse.PeriodToday: "今天", parse.PeriodWeek: "本周", parse.PeriodLastWeek: "上周", parse.PeriodMonth: "本月",
		parse.PeriodLastMonth: "上月", parse.PeriodQuarter: "本季度", parse.PeriodHalf: "下半年", parse.PeriodYear: "今年",
	}
	for p, want := range labels {
		if _, label, ok := domain.Date("2026-12-02").Period(p); !ok || label != want {
			t.Errorf("Period(%q) = %q %v, want %q", p, label, ok, want)
		}
	}
}
