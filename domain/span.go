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
