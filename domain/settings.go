package domain

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Setting is one named value for a team (schedules, quiet hours, ...) or for
// a member (muted pushes). The jobs package knows the names and what the
// values mean; the domain only checks who may change them.
type Setting struct {
	TeamID    int64 // the team it applies to (0: a member setting)
	MemberID  int64 // the member it applies to (0: a team setting)
	Name      string
	Value     string
	UpdatedAt time.Time
}

// CalendarDay overrides the working-day rule (Monday to Friday) for one
// day: a public holiday on a weekday, or a make-up workday (调休) on a
// weekend.
type CalendarDay struct {
	Date    Date
	Working bool
	Note    string // e.g. 国庆节, 国庆调休
}

// SettingStore keeps settings and the calendar (part of Store).
type SettingStore interface {
	// SaveSetting creates or replaces a setting; an empty Value removes it.
	SaveSetting(ctx context.Context, s Setting) error
	// ListSettings lists every setting (a small table).
	ListSettings(ctx context.Context) ([]Setting, error)
	// SaveCalendarDay creates or replaces the override for a day.
	SaveCalendarDay(ctx context.Context, d CalendarDay) error
	// DeleteCalendarDay removes the override for a day, if any.
	DeleteCalendarDay(ctx context.Context, d Date) error
	// ListCalendarDays lists the overrides from..to inclusive.
	ListCalendarDays(ctx context.Context, from, to Date) ([]CalendarDay, error)
}

// MutePrefix starts the name of a member setting that mutes a job's pushes
// to them: "mute.digest".
const MutePrefix = "mute."

// MuteJob stops (or, with muted false, resumes) a job's pushes to actor.
// Anyone may mute pushes to themselves, and only to themselves.
func (s *Service) MuteJob(ctx context.Context, actor Member, job string, muted bool) error {
	if err := checkActive(actor); err != nil {
		return err
	}
	job = strings.TrimSpace(job)
	if job == "" {
		return Errorf(EINVALID, "没有说要关闭哪个提醒")
	}
	v := ""
	if muted {
		v = "1"
	}
	return s.store.SaveSetting(ctx, Setting{MemberID: actor.ID, Name: MutePrefix + job, Value: v, UpdatedAt: s.now()})
}

// SetTeamSetting changes one of a team's settings: its manager or an admin
// may. The caller (jobs) has checked that name and value make sense.
func (s *Service) SetTeamSetting(ctx context.Context, actor Member, teamID int64, name, value string) error {
	if err := checkActive(actor); err != nil {
		return err
	}
	if err := checkManage(actor); err != nil {
		return err
	}
	if actor.Role != RoleAdmin && actor.TeamID != teamID {
		return Errorf(EFORBIDDEN, "只能修改自己团队的设置")
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	return s.inTx(ctx, false, func(tx Store) error {
		before, err := teamSetting(ctx, tx, teamID, name)
		if err != nil {
			return err
		}
		if err := tx.SaveSetting(ctx, Setting{TeamID: teamID, Name: name, Value: value, UpdatedAt: s.now()}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, AuditEntry{TeamID: teamID, Action: AuditSettings,
			Subject: fmt.Sprintf("team:%d", teamID), Before: name + "=" + before, After: name + "=" + value})
	})
}

// teamSetting is a team setting's stored value, "" when unset.
func teamSetting(ctx context.Context, st SettingStore, teamID int64, name string) (string, error) {
	all, err := st.ListSettings(ctx)
	if err != nil {
		return "", err
	}
	for _, x := range all {
		if x.TeamID == teamID && x.MemberID == 0 && x.Name == name {
			return x.Value, nil
		}
	}
	return "", nil
}

// SetCalendarDay records a public holiday (working false) or a make-up
// workday (working true); only an admin may, as it applies to everyone.
func (s *Service) SetCalendarDay(ctx context.Context, actor Member, d CalendarDay) error {
	if err := checkActive(actor); err != nil {
		return err
	}
	if actor.Role != RoleAdmin {
		return Errorf(EFORBIDDEN, "只有管理员可以设置节假日")
	}
	if _, err := ParseDate(string(d.Date)); err != nil || d.Date.IsZero() {
		return Errorf(EINVALID, "日期「%s」格式不对，应为 YYYY-MM-DD", d.Date)
	}
	return s.inTx(ctx, false, func(tx Store) error {
		if err := tx.SaveCalendarDay(ctx, d); err != nil {
			return err
		}
		after := "节假日"
		if d.Working {
			after = "调休上班"
		}
		return s.audit(ctx, tx, actor, AuditEntry{Action: AuditSettings, Subject: "calendar:" + string(d.Date),
			After: strings.TrimSpace(after + " " + d.Note)})
	})
}
