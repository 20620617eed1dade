package domain_test

import (
	"testing"

	"salesbot/domain"
)

func TestPeriod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		today    domain.Date
		period   string
		from, to domain.Date
		label    string
	}{
		{"2026-12-02", domain.PeriodToday, "2026-12-02", "2026-12-02", "今天"},
		// Weeks run Monday to Sunday; a Sunday ends its week.
		{"2026-12-02", domain.PeriodWeek, "2026-11-30", "2026-12-02", "本周"},
		{"2026-12-06", domain.PeriodWeek, "2026-11-30", "2026-12-06", "本周"},
		{"2026-11-30", domain.PeriodWeek, "2026-11-30", "2026-11-30", "本周"},
		{"2026-01-01", domain.PeriodWeek, "2025-12-29", "2026-01-01", "本周"},
		{"2026-01-04", domain.PeriodLastWeek, "2025-12-22", "2025-12-28", "上周"},
		{"2026-01-05", domain.PeriodLastWeek, "2025-12-29", "2026-01-04", "上周"},
		// Months: so far, and last month whole, across a year and a leap February.
		{"2026-12-02", domain.PeriodMonth, "2026-12-01", "2026-12-02", "本月"},
		{"2026-12-31", domain.PeriodMonth, "2026-12-01", "2026-12-31", "本月"},
		{"2026-01-15", domain.PeriodLastMonth, "2025-12-01", "2025-12-31", "上月"},
		{"2028-03-01", domain.PeriodLastMonth, "2028-02-01", "2028-02-29", "上月"},
		// Quarters start in January, April, July and October.
		{"2026-03-31", domain.PeriodQuarter, "2026-01-01", "2026-03-31", "本季度"},
		{"2026-04-01", domain.PeriodQuarter, "2026-04-01", "2026-04-01", "本季度"},
		{"2026-12-02", domain.PeriodQuarter, "2026-10-01", "2026-12-02", "本季度"},
		// 近90天: the 90 days ending today, today included.
		{"2026-03-01", domain.PeriodLast90, "2025-12-02", "2026-03-01", "近90天"},
		{"2026-12-02", domain.PeriodLast90, "2026-09-04", "2026-12-02", "近90天"},
		{"2026-06-30", domain.PeriodHalf, "2026-01-01", "2026-06-30", "上半年"},
		{"2026-07-01", domain.PeriodHalf, "2026-07-01", "2026-07-01", "下半年"},
		{"2026-12-02", domain.PeriodYear, "2026-01-01", "2026-12-02", "今年"},
	}
	for _, tt := range tests {
		span, label, ok := tt.today.Period(tt.period)
		if !ok || span.From != tt.from || span.To != tt.to || label != tt.label {
			t.Errorf("%s.Period(%q) = %v %q %v, want %s..%s %q", tt.today, tt.period, span, label, ok, tt.from, tt.to, tt.label)
		}
	}
	if span, _, ok := domain.Date("2026-12-02").Period(domain.PeriodLast90); span.Days() != 90 || !ok {
		t.Errorf("近90天 has %d days, want 90", span.Days())
	}
	if _, _, ok := domain.Date("2026-12-02").Period("fortnight"); ok {
		t.Error("an unknown period was taken")
	}
}

func TestHalfYearSoFar(t *testing.T) {
	t.Parallel()
	d := domain.Date("2028-02-10")
	tests := []struct {
		name     string
		got      domain.Span
		from, to domain.Date
	}{
		{"Half", d.HalfSpan(), "2028-01-01", "2028-06-30"},
		{"SecondHalf", domain.Date("2028-10-10").HalfSpan(), "2028-07-01", "2028-12-31"},
		{"Year", d.YearSpan(), "2028-01-01", "2028-12-31"},
		{"SoFar", d.MonthSpan().SoFar(d), "2028-02-01", "2028-02-10"},
		{"SoFarAfterEnd", d.WeekSpan().SoFar("2028-03-01"), "2028-02-07", "2028-02-13"},
	}
	for _, tt := range tests {
		if tt.got.From != tt.from || tt.got.To != tt.to {
			t.Errorf("%s = %v, want %s..%s", tt.name, tt.got, tt.from, tt.to)
		}
	}
}

func TestSpans(t *testing.T) {
	tests := []struct {
		day                domain.Date
		week, month, quart domain.Span
	}{
		{"2026-03-04", domain.Span{From: "2026-03-02", To: "2026-03-08"}, domain.Span{From: "2026-03-01", To: "2026-03-31"}, domain.Span{From: "2026-01-01", To: "2026-03-31"}},
		{"2026-03-01", domain.Span{From: "2026-02-23", To: "2026-03-01"}, domain.Span{From: "2026-03-01", To: "2026-03-31"}, domain.Span{From: "2026-01-01", To: "2026-03-31"}},
		{"2028-02-29", domain.Span{From: "2028-02-28", To: "2028-03-05"}, domain.Span{From: "2028-02-01", To: "2028-02-29"}, domain.Span{From: "2028-01-01", To: "2028-03-31"}},
		{"2026-12-31", domain.Span{From: "2026-12-28", To: "2027-01-03"}, domain.Span{From: "2026-12-01", To: "2026-12-31"}, domain.Span{From: "2026-10-01", To: "2026-12-31"}},
		{"2026-05-15", domain.Span{From: "2026-05-11", To: "2026-05-17"}, domain.Span{From: "2026-05-01", To: "2026-05-31"}, domain.Span{From: "2026-04-01", To: "2026-06-30"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.day), func(t *testing.T) {
			if got := tt.day.WeekSpan(); got != tt.week {
				t.Errorf("WeekSpan = %v, want %v", got, tt.week)
			}
			if got := tt.day.MonthSpan(); got != tt.month {
				t.Errorf("MonthSpan = %v, want %v", got, tt.month)
			}
			if got := tt.day.QuarterSpan(); got != tt.quart {
				t.Errorf("QuarterSpan = %v, want %v", got, tt.quart)
			}
		})
	}
}
