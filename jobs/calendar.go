package jobs

import (
	"salesbot/domain"
)

// Calendar is the working-day calendar the schedules follow (domain owns
// it, so that chat commands count working days the same way).
type Calendar = domain.Calendar

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
