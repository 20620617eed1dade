package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"salesbot/domain"
)

// TeamConfig is a team's job settings, read from domain.Setting rows of the
// team. Names and values (salesbot job settings --team T NAME=VALUE):
//
//	schedule.<job>   a cron spec "M H DOM MON DOW" in SALESBOT_TZ, or "off"
//	quiet_hours      "22:00-08:00": pushes wait until it ends; "off": none
//	group_digest     "on": a short digest also goes to the team group
//	leaderboard_top  N > 0: the group sees the top N, everyone else their own rank privately
//	stale_days       "7,14,30": days without activity before an A, B, C deal is stale
//	escalate_after   N: a manager hears of a follow-up once it is N working days overdue
//	wecom_group      how group pushes reach the team's WeCom group: "robot" (its group
//	                 robot webhook), "app" (the app's group chat wecom_chat_id), "aibot"
//	                 (the AI bot's long connection into the group wecom_chat_id), or
//	                 "auto" (default: the robot when there is one, else the app's chat)
//	risk_quiet_days  N: an A-tier customer without a visit for N days is a risk
//	risk_big_amount  N yuan: a deal this big sitting in its stage longer than the team's median is a risk
//	pool_*           the public pool's rules (domain.PoolRules)
//
// A member mutes a job's pushes to themselves with "mute.<job>" = "1".
type TeamConfig struct {
	Schedules      map[string]string // job → spec; "off" disables
	quiet          quietHours
	GroupDigest    bool
	LeaderboardTop int
	StaleDays      map[domain.Tier]int
	EscalateAfter  int
	WeComGroup     string // "" (auto), WeComGroupRobot, WeComGroupApp or WeComGroupAIBot
	RiskQuietDays  int
	RiskBigAmount  int64
	Pool           domain.PoolRules
}

// The ways into a team's WeCom group (setting wecom_group).
const (
	WeComGroupRobot = "robot"
	WeComGroupApp   = "app"
	WeComGroupAIBot = "aibot"
)

// The setting names.
const (
	SettingSchedulePrefix = "schedule."
	SettingQuietHours     = "quiet_hours"
	SettingGroupDigest    = "group_digest"
	SettingLeaderboardTop = domain.SettingLeaderboardTop
	SettingStaleDays      = "stale_days"
	SettingEscalateAfter  = "escalate_after"
	SettingWeComGroup     = "wecom_group"
	SettingRiskQuietDays  = "risk_quiet_days"
	SettingRiskBigAmount  = "risk_big_amount"
)

// DefaultTeamConfig is what a team without settings gets.
func DefaultTeamConfig() TeamConfig {
	c := TeamConfig{
		Schedules:     map[string]string{},
		quiet:         quietHours{from: 22 * 60, to: 8 * 60},
		StaleDays:     map[domain.Tier]int{domain.TierA: 7, domain.TierB: 14, domain.TierC: 30},
		EscalateAfter: 3,
		RiskQuietDays: 14,
		RiskBigAmount: 500_000,
		Pool:          domain.DefaultPoolRules(),
	}
	for _, j := range allJobs() {
		c.Schedules[j.name] = j.spec
	}
	return c
}

// QuietHours is the quiet window as "HH:MM-HH:MM" ("" for none).
func (c TeamConfig) QuietHours() string { return c.quiet.String() }

// apply sets one setting; a bad value is an error naming it.
func (c *TeamConfig) apply(name, value string) error {
	value = strings.TrimSpace(value)
	switch {
	case strings.HasPrefix(name, SettingSchedulePrefix):
		job := strings.TrimPrefix(name, SettingSchedulePrefix)
		if _, ok := c.Schedules[job]; !ok {
			return domain.Errorf(domain.EINVALID, "没有名为「%s」的推送（可选：%s）", job, strings.Join(Names(), "、"))
		}
		if value != "off" {
			if _, err := cron.ParseStandard(value); err != nil {
				return domain.Errorf(domain.EINVALID, "推送时间「%s」不是有效的 cron 表达式（分 时 日 月 周），例如「0 20 * * *」", value)
			}
		}
		c.Schedules[job] = value
	case name == SettingQuietHours:
		q, err := parseQuietHours(value)
		if err != nil {
			return err
		}
		c.quiet = q
	case name == SettingGroupDigest:
		switch value {
		case "on", "1", "true", "yes":
			c.GroupDigest = true
		case "off", "0", "false", "no":
			c.GroupDigest = false
		default:
			return domain.Errorf(domain.EINVALID, "group_digest 应为 on 或 off")
		}
	case name == SettingLeaderboardTop:
		n, err := domain.ParseLeaderboardTop(value)
		if err != nil {
			return err
		}
		c.LeaderboardTop = n
	case name == SettingStaleDays:
		parts := strings.Split(value, ",")
		if len(parts) != 3 {
			return domain.Errorf(domain.EINVALID, "stale_days 应为 A,B,C 三个天数，例如 7,14,30")
		}
		days := map[domain.Tier]int{}
		for i, tier := range []domain.Tier{domain.TierA, domain.TierB, domain.TierC} {
			n, err := strconv.Atoi(strings.TrimSpace(parts[i]))
			if err != nil || n <= 0 {
				return domain.Errorf(domain.EINVALID, "stale_days 应为 A,B,C 三个正整数天数，例如 7,14,30")
			}
			days[tier] = n
		}
		c.StaleDays = days
	case name == SettingEscalateAfter:
		n, err := strconv.Atoi(value)
		if err != nil || n <= 0 {
			return domain.Errorf(domain.EINVALID, "escalate_after 应为正整数（工作日）")
		}
		c.EscalateAfter = n
	case name == SettingWeComGroup:
		switch value {
		case "auto", "":
			c.WeComGroup = ""
		case WeComGroupRobot, WeComGroupApp, WeComGroupAIBot:
			c.WeComGroup = value
		default:
			return domain.Errorf(domain.EINVALID, "wecom_group 应为 robot（群机器人）、app（应用群聊）、aibot（智能机器人长连接）或 auto")
		}
	case name == SettingRiskQuietDays, name == SettingRiskBigAmount:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n <= 0 {
			return domain.Errorf(domain.EINVALID, "%s 应为正整数", name)
		}
		if name == SettingRiskQuietDays {
			c.RiskQuietDays = int(n)
		} else {
			c.RiskBigAmount = n
		}
	case domain.IsPoolSetting(name):
		return c.Pool.Apply(name, value)
	default:
		return domain.Errorf(domain.EINVALID, "不认识的设置「%s」", name)
	}
	return nil
}

// CheckTeamSetting reports whether name=value is a valid team setting.
func CheckTeamSetting(name, value string) error {
	c := DefaultTeamConfig()
	if strings.TrimSpace(value) == "" {
		return c.apply(name, defaultValue(name))
	}
	return c.apply(name, value)
}

// defaultValue is a valid value for name, used to check a name alone.
func defaultValue(name string) string {
	switch {
	case strings.HasPrefix(name, SettingSchedulePrefix):
		return "off"
	case name == SettingQuietHours, name == SettingGroupDigest:
		return "off"
	case name == SettingWeComGroup:
		return "auto"
	case name == SettingStaleDays:
		return "7,14,30"
	case name == domain.SettingPoolRecycleDays, name == domain.SettingPoolWarnDays:
		return "off"
	}
	return "1"
}

// quietHours is a daily window [from, to) in minutes after midnight; it may
// wrap past midnight. from == to means none.
type quietHours struct{ from, to int }

func parseQuietHours(s string) (quietHours, error) {
	if s == "off" || s == "" {
		return quietHours{}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	from, err1 := parseClock(a)
	to, err2 := parseClock(b)
	if !ok || err1 != nil || err2 != nil {
		return quietHours{}, domain.Errorf(domain.EINVALID, "免打扰时段「%s」格式不对，应为 22:00-08:00", s)
	}
	return quietHours{from: from, to: to}, nil
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

func (q quietHours) String() string {
	if q.from == q.to {
		return ""
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", q.from/60, q.from%60, q.to/60, q.to%60)
}

// after is t, or the end of the quiet window when t falls in it. t must be
// in SALESBOT_TZ.
func (q quietHours) after(t time.Time) time.Time {
	if q.from == q.to {
		return t
	}
	m := t.Hour()*60 + t.Minute()
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	end := func(dayOffset int) time.Time {
		return time.Date(midnight.Year(), midnight.Month(), midnight.Day()+dayOffset, q.to/60, q.to%60, 0, 0, t.Location())
	}
	if q.from < q.to { // e.g. 12:00-14:00
		if m >= q.from && m < q.to {
			return end(0)
		}
		return t
	}
	switch { // wraps midnight, e.g. 22:00-08:00
	case m >= q.from:
		return end(1)
	case m < q.to:
		return end(0)
	}
	return t
}

// settings is every setting, parsed.
type settings struct {
	teams map[int64]TeamConfig
	mutes map[int64]map[string]bool // member → job → muted
	bad   []error                   // settings that did not parse (the default applies)
}

func (s *settings) team(id int64) TeamConfig {
	if c, ok := s.teams[id]; ok {
		return c
	}
	return DefaultTeamConfig()
}

// loadSettings reads and parses all settings.
func loadSettings(ctx context.Context, src domain.SettingStore) (*settings, error) {
	rows, err := src.ListSettings(ctx)
	if err != nil {
		return nil, err
	}
	s := &settings{teams: map[int64]TeamConfig{}, mutes: map[int64]map[string]bool{}}
	for _, r := range rows {
		switch {
		case r.MemberID != 0 && strings.HasPrefix(r.Name, domain.MutePrefix):
			if s.mutes[r.MemberID] == nil {
				s.mutes[r.MemberID] = map[string]bool{}
			}
			s.mutes[r.MemberID][strings.TrimPrefix(r.Name, domain.MutePrefix)] = r.Value == "1"
		case r.TeamID != 0:
			c, ok := s.teams[r.TeamID]
			if !ok {
				c = DefaultTeamConfig()
			}
			apply := func() error { return c.apply(r.Name, r.Value) }
			if domain.IsPoolSetting(r.Name) {
				apply = func() error { return c.Pool.ApplySetting(r) }
			}
			if err := apply(); err != nil {
				s.bad = append(s.bad, fmt.Errorf("team %d setting %s=%q: %w", r.TeamID, r.Name, r.Value, err))
			}
			s.teams[r.TeamID] = c
		}
	}
	return s, nil
}

// TeamSettings returns a team's settings as name=value lines, defaults
// included (salesbot job settings).
func TeamSettings(ctx context.Context, src domain.SettingStore, teamID int64) ([]string, error) {
	s, err := loadSettings(ctx, src)
	if err != nil {
		return nil, err
	}
	c := s.team(teamID)
	var out []string
	for _, name := range Names() {
		spec := c.Schedules[name]
		out = append(out, SettingSchedulePrefix+name+"="+spec)
	}
	q := c.QuietHours()
	if q == "" {
		q = "off"
	}
	onOff := map[bool]string{true: "on", false: "off"}
	out = append(out,
		SettingQuietHours+"="+q,
		SettingGroupDigest+"="+onOff[c.GroupDigest],
		SettingLeaderboardTop+"="+strconv.Itoa(c.LeaderboardTop),
		fmt.Sprintf("%s=%d,%d,%d", SettingStaleDays, c.StaleDays[domain.TierA], c.StaleDays[domain.TierB], c.StaleDays[domain.TierC]),
		SettingEscalateAfter+"="+strconv.Itoa(c.EscalateAfter),
		SettingRiskQuietDays+"="+strconv.Itoa(c.RiskQuietDays),
		SettingRiskBigAmount+"="+strconv.FormatInt(c.RiskBigAmount, 10),
	)
	out = append(out, c.Pool.Values()...)
	return out, nil
}
