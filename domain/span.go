package domain

import "fmt"

// Span is a range of calendar days, both ends included.
type Span struct {
	From, To Date
}

// Contains reports whether d falls in the span.
func (s Span) Contains(d Date) bool { return d >= s.From && d <= s.To }

// Days is the number of days in the span.
func (s Span) Days() int { return s.From.DaysSince(s.To) + 1 }

// WeekSpan is the Monday-to-Sunday week containing d.
func (d Date) WeekSpan() Span {
	wd := int(d.Weekday())
	if wd == 0 {
		wd = 7
	}
	from := d.AddDays(1 - wd)
	return Span{From: from, To: from.AddDays(6)}
}

// MonthSpan is the calendar month containing d.
func (d Date) MonthSpan() Span {
	from := Date(d.Month() + "-01")
	next := Date(from.AddDays(31).Month() + "-01")
	return Span{From: from, To: next.AddDays(-1)}
}

// QuarterSpan is the calendar quarter containing d.
func (d Date) QuarterSpan() Span {
	var y, m int
	fmt.Sscanf(string(d), "%d-%d", &y, &m)
	first := (m-1)/3*3 + 1
	from := Date(fmt.Sprintf("%04d-%02d-01", y, first))
	return Span{From: from, To: Date(fmt.Sprintf("%04d-%02d-01", y, first+2)).MonthSpan().To}
}

// HalfSpan is the half year (January–June or July–December) containing d.
func (d Date) HalfSpan() Span {
	y := string(d[:4])
	if d.Month()[5:] > "06" {
		return Span{From: Date(y + "-07-01"), To: Date(y + "-12-31")}
	}
	return Span{From: Date(y + "-01-01"), To: Date(y + "-06-30")}
}

// YearSpan is the calendar year containing d.
func (d Date) YearSpan() Span {
	y := string(d[:4])
	return Span{From: Date(y + "-01-01"), To: Date(y + "-12-31")}
}

// SoFar is the part of s up to today: from s.From to today.
func (s Span) SoFar(today Date) Span {
	if today < s.To {
		s.To = today
	}
	return s
}

// The periods a chat command may name; each is a span of days as of today.
const (
	PeriodToday     = "today"
	PeriodWeek      = "week"
	PeriodLastWeek  = "last_week"
	PeriodMonth     = "month"
	PeriodLastMonth = "last_month"
	PeriodQuarter   = "quarter"
	PeriodHalf      = "half"
	PeriodYear      = "year"
	PeriodLast90    = "90d" // the last 90 days, today included
)

// Period is the span a named period covers as of d, with its Chinese
// label: the current week, month, quarter, half and year up to d; last week
// and last month whole; 近90天 the 90 days ending d. ok is false for a name
// it does not know.
func (d Date) Period(name string) (span Span, label string, ok bool) {
	switch name {
	case PeriodToday:
		return Span{From: d, To: d}, "今天", true
	case PeriodWeek:
		return d.WeekSpan().SoFar(d), "本周", true
	case PeriodLastWeek:
		return d.AddDays(-7).WeekSpan(), "上周", true
	case PeriodMonth:
		return d.MonthSpan().SoFar(d), "本月", true
	case PeriodLastMonth:
		return d.MonthSpan().From.AddDays(-1).MonthSpan(), "上月", true
	case PeriodQuarter:
		return d.QuarterSpan().SoFar(d), "本季度", true
	case PeriodHalf:
		label = "上半年"
		if d.Month()[5:] > "06" {
			label = "下半年"
		}
		return d.HalfSpan().SoFar(d), label, true
	case PeriodYear:
		return d.YearSpan().SoFar(d), "今年", true
	case PeriodLast90:
		return Span{From: d.AddDays(-89), To: d}, "近90天", true
	}
	return Span{}, "", false
}
