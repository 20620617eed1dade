package domain

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"time"
)

// Calendar says which days are working days: Monday to Friday, except the
// public holidays it knows, plus the weekend make-up workdays (调休) it
// knows. It starts from China's statutory holidays shipped with salesbot
// (holidays_cn.txt) and applies the deployment's own overrides on top.
type Calendar struct {
	days map[Date]bool // date → working
}

// CalendarSource lists a deployment's overrides (SettingStore does).
type CalendarSource interface {
	ListCalendarDays(ctx context.Context, from, to Date) ([]CalendarDay, error)
}

//go:embed holidays_cn.txt
var holidaysCN string

// StatutoryDays lists the shipped statutory holidays and make-up workdays,
// oldest first. (Parsing the few dozen lines costs microseconds; it is done
// per calendar rather than cached in a package variable.)
func StatutoryDays() []CalendarDay {
	days, err := parseHolidays(holidaysCN)
	if err != nil {
		panic(err) // the embedded file is part of the binary; TestCalendar checks it
	}
	return days
}

func parseHolidays(text string) ([]CalendarDay, error) {
	var out []CalendarDay
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 || f[1] != "holiday" && f[1] != "workday" {
			return nil, fmt.Errorf("holidays line %d: want DATE holiday|workday NOTE, got %q", i+1, line)
		}
		d, err := ParseDate(f[0])
		if err != nil || d != Date(f[0]) {
			return nil, fmt.Errorf("holidays line %d: bad date %q", i+1, f[0])
		}
		out = append(out, CalendarDay{Date: d, Working: f[1] == "workday", Note: f[2]})
	}
	return out, nil
}

// LoadCalendar builds the calendar for questions about from..to: the
// statutory days with the deployment's overrides of that range on top.
// Days outside the range still know the statutory days.
func LoadCalendar(ctx context.Context, src CalendarSource, from, to Date) (*Calendar, error) {
	days, err := src.ListCalendarDays(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return NewCalendar(days), nil
}

// NewCalendar builds a calendar from the statutory days and overrides, the
// overrides winning.
func NewCalendar(overrides []CalendarDay) *Calendar {
	base := StatutoryDays()
	c := &Calendar{days: make(map[Date]bool, len(base)+len(overrides))}
	for _, d := range base {
		c.days[d.Date] = d.Working
	}
	for _, d := range overrides {
		c.days[d.Date] = d.Working
	}
	return c
}

// Working reports whether d is a working day.
func (c *Calendar) Working(d Date) bool {
	if w, ok := c.days[d]; ok {
		return w
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// NextWorkingDay is the first working day after d.
func (c *Calendar) NextWorkingDay(d Date) Date {
	for i := 1; i <= 60; i++ {
		if n := d.AddDays(i); c.Working(n) {
			return n
		}
	}
	return d.AddDays(1)
}

// PrevWorkingDay is the last working day before d.
func (c *Calendar) PrevWorkingDay(d Date) Date {
	for i := 1; i <= 60; i++ {
		if p := d.AddDays(-i); c.Working(p) {
			return p
		}
	}
	return d.AddDays(-1)
}

// LastWorkingDay reports whether d is the last working day of its month.
func (c *Calendar) LastWorkingDay(d Date) bool {
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

// WorkingDaysLeft counts the working days from today, included, to the
// day to (a month's end: the days left to meet its targets).
func (c *Calendar) WorkingDaysLeft(today, to Date) int {
	return c.WorkingDaysAfter(today.AddDays(-1), to)
}

// WorkingDaysAfter counts the working days in (from, to].
func (c *Calendar) WorkingDaysAfter(from, to Date) int {
	n := 0
	for d := from.AddDays(1); d <= to; d = d.AddDays(1) {
		if c.Working(d) {
			n++
		}
	}
	return n
}
