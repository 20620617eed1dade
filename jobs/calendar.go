package jobs

import (
	"context"
	"time"

	"salesbot/domain"
)

// Calendar says which days are working days: Monday to Friday, except the
// public holidays it lists, plus the weekend make-up workdays (调休) it
// lists.
type Calendar struct {
	overrides map[domain.Date]bool // date → working
}

// CalendarSource lists the overrides (domain.SettingStore does).
type CalendarSource interface {
	ListCalendarDays(ctx context.Context, from, to domain.Date) ([]domain.CalendarDay, error)
}

// LoadCalendar reads the overrides from..to. Questions about days outside
// that range fall back to Monday to Friday.
func LoadCalendar(ctx context.Context, src CalendarSource, from, to domain.Date) (*Calendar, error) {
	days, err := src.ListCalendarDays(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return NewCalendar(days), nil
}

// NewCalendar builds a calendar from overrides.
func NewCalendar(days []domain.CalendarDay) *Calendar {
	c := &Calendar{overrides: make(map[domain.Date]bool, len(days))}
	for _, d := range days {
		c.overrides[d.Date] = d.Working
	}
	return c
}

// Working reports whether d is a working day.
func (c *Calendar) Working(d domain.Date) bool {
	if w, ok := c.overrides[d]; ok {
		return w
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// NextWorkingDay is the first working day after d.
func (c *Calendar) NextWorkingDay(d domain.Date) domain.Date {
	for i := 1; i <= 60; i++ {
		if n := d.AddDays(i); c.Working(n) {
			return n
		}
	}
	return d.AddDays(1)
}

// PrevWorkingDay is the last working day before d.
func (c *Calendar) PrevWorkingDay(d domain.Date) domain.Date {
	for i := 1; i <= 60; i++ {
		if p := d.AddDays(-i); c.Working(p) {
			return p
		}
	}
	return d.AddDays(-1)
}

// LastWorkingDay reports whether d is the last working day of its month.
func (c *Calendar) LastWorkingDay(d domain.Date) bool {
	if !c.Working(d) {
		return false
	}
	for n := d.AddDays(1); n.Month() == d.Month(); n = n.AddDays(1) {
		if c.Working(n) {
			return false
		}
	}
	return true
}

// WorkingDaysAfter counts the working days in (from, to].
func (c *Calendar) WorkingDaysAfter(from, to domain.Date) int {
	n := 0
	for d := from.AddDays(1); d <= to; d = d.AddDays(1) {
		if c.Working(d) {
			n++
		}
	}
	return n
}

// dayRule says on which days a job's occurrences count.
type dayRule int

const (
	everyDay dayRule = iota
	workingDays
	lastWorkingDay
)

func (r dayRule) holds(c *Calendar, d domain.Date) bool {
	switch r {
	case workingDays:
		return c.Working(d)
	case lastWorkingDay:
		return c.LastWorkingDay(d)
	}
	return true
}
