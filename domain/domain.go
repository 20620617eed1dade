// Package domain holds salesbot's entities, rules and use cases. It knows
// nothing of chat platforms, HTTP, SQL dialects or Redis: adapters in
// domain/store, domain/kv and bot/... depend on it, never the reverse.
//
// Glossary: 团队 team, 成员 member (rep 销售 / manager 经理 / admin 管理员),
// 客户 customer, 联系人 contact, 商机 deal, 拜访 visit (a logged interaction),
// 跟进 follow-up task, 目标 target.
package domain

import (
	"fmt"
	"strings"
	"time"
)

// Role is what a member may see and do.
type Role string

// The roles.
const (
	RoleRep     Role = "rep"
	RoleManager Role = "manager"
	RoleAdmin   Role = "admin"
)

// ParseRole accepts a role code or its Chinese label.
func ParseRole(s string) (Role, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "rep", "销售", "sales":
		return RoleRep, nil
	case "manager", "经理", "主管":
		return RoleManager, nil
	case "admin", "管理员":
		return RoleAdmin, nil
	}
	return "", Errorf(EINVALID, "不认识的角色「%s」（应为 rep、manager 或 admin）", s)
}

// Label is the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleManager:
		return "经理"
	case RoleAdmin:
		return "管理员"
	}
	return "销售"
}

// Platform is where a message came from or a push goes to.
type Platform string

// The platforms.
const (
	PlatformWeCom    Platform = "wecom"
	PlatformDingTalk Platform = "dingtalk"
	PlatformSim      Platform = "sim"
)

// Channel is how an interaction with a customer happened.
type Channel string

// The channels; the empty Channel means "not said".
const (
	ChannelOnsite Channel = "onsite"
	ChannelPhone  Channel = "phone"
	ChannelOnline Channel = "online"
)

// ParseChannel accepts a channel code or Chinese label; "" stays "".
func ParseChannel(s string) (Channel, error) {
	switch strings.TrimSpace(s) {
	case "":
		return "", nil
	case "onsite", "拜访", "上门", "面谈", "现场":
		return ChannelOnsite, nil
	case "phone", "电话":
		return ChannelPhone, nil
	case "online", "线上", "视频", "微信":
		return ChannelOnline, nil
	}
	return "", Errorf(EINVALID, "不认识的沟通方式「%s」（应为 拜访、电话 或 线上）", s)
}

// Label is the Chinese name of the channel.
func (c Channel) Label() string {
	switch c {
	case ChannelOnsite:
		return "拜访"
	case ChannelPhone:
		return "电话"
	case ChannelOnline:
		return "线上"
	}
	return ""
}

// Date is a calendar day, "YYYY-MM-DD", in SALESBOT_TZ. The zero value means
// "no date". Dates compare correctly as strings.
type Date string

const dateLayout = "2006-01-02"

// DateOf is the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	return Date(t.In(loc).Format(dateLayout))
}

// ParseDate checks a "YYYY-MM-DD" string.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(dateLayout, strings.ReplaceAll(s, "/", "-"))
	if err != nil {
		return "", Errorf(EINVALID, "日期「%s」格式不对，应为 YYYY-MM-DD", s)
	}
	return Date(t.Format(dateLayout)), nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == "" }

// Time is midnight of the day in loc.
func (d Date) Time(loc *time.Location) time.Time {
	t, err := time.ParseInLocation(dateLayout, string(d), loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// AddDays moves the date by n days.
func (d Date) AddDays(n int) Date {
	t, err := time.Parse(dateLayout, string(d))
	if err != nil {
		return d
	}
	return Date(t.AddDate(0, 0, n).Format(dateLayout))
}

// Weekday of the date.
func (d Date) Weekday() time.Weekday {
	t, _ := time.Parse(dateLayout, string(d))
	return t.Weekday()
}

// Month is "YYYY-MM".
func (d Date) Month() string {
	if len(d) < 7 {
		return ""
	}
	return string(d[:7])
}

// DaysSince counts whole days from d to other (other - d).
func (d Date) DaysSince(other Date) int {
	a, err1 := time.Parse(dateLayout, string(d))
	b, err2 := time.Parse(dateLayout, string(other))
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}

// Yuan formats an amount in yuan the way reps write it: 50万, 1.2亿, 8000元.
func Yuan(v int64) string {
	switch {
	case v >= 100_000_000 && v%1_000_000 == 0:
		return trimZero(fmt.Sprintf("%.2f", float64(v)/1e8)) + "亿"
	case v >= 10_000 && v%100 == 0:
		return trimZero(fmt.Sprintf("%.2f", float64(v)/1e4)) + "万"
	}
	return fmt.Sprintf("%d元", v)
}

func trimZero(s string) string {
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
