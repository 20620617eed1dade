package jobs_test

import (
	"testing"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/jobs"
)

// A team's wecom_group setting picks how its group pushes reach its WeCom
// group: through the AI bot's long connection into the group wecom_chat_id
// (a group with no group robot), or by default the robot, else the app's
// chat.
func TestWeComGroupWay(t *testing.T) {
	tests := []struct {
		name, setting, robot string
		want                 bot.Destination
	}{
		{"AIBot", "aibot", "", bot.Destination{Platform: domain.PlatformWeCom, AIBot: true, ChatID: "wrgroupEast"}},
		{"AIBotOverRobot", "aibot", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=east", bot.Destination{Platform: domain.PlatformWeCom, AIBot: true, ChatID: "wrgroupEast"}},
		{"AutoRobot", "", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=east", bot.Destination{Platform: domain.PlatformWeCom, RobotURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=east"}},
		{"AutoAppChat", "", "", bot.Destination{Platform: domain.PlatformWeCom, ChatID: "wrgroupEast"}},
		{"App", "app", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=east", bot.Destination{Platform: domain.PlatformWeCom, ChatID: "wrgroupEast"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := domaintest.MustOpen(t, domaintest.SQLite)
			h := newHarness(t, s, at(6, 20, 0))
			team := h.East
			team.WeComChatID, team.WeComRobotURL = "wrgroupEast", tt.robot
			if err := s.UpdateTeam(h.ctx, &team); err != nil {
				t.Fatal(err)
			}
			for name, value := range map[string]string{jobs.SettingGroupDigest: "on", jobs.SettingWeComGroup: tt.setting} {
				if value == "" {
					continue
				}
				if err := s.SaveSetting(h.ctx, domain.Setting{TeamID: team.ID, Name: name, Value: value}); err != nil {
					t.Fatal(err)
				}
			}
			wecom := &recorder{}
			senders := bot.Senders{domain.PlatformWeCom: wecom}
			runner := jobs.NewRunner(jobs.Deps{Store: s, KV: h.kv, Senders: senders, Loc: cst, Now: h.clock.Now}, jobs.Config{})
			ob := jobs.NewOutbox(jobs.OutboxDeps{Store: s, Limiter: h.kv, Sender: senders, Settings: s, Loc: cst}, jobs.Config{})
			if err := jobs.NewScheduler(runner, ob, h.kv, nil).Tick(h.ctx, at(6, 20, 0)); err != nil {
				t.Fatal(err)
			}
			if _, err := ob.Drain(h.ctx, at(6, 20, 0)); err != nil {
				t.Fatal(err)
			}
			var groups []bot.Destination
			for _, r := range wecom.replies() {
				if r.To.Group() {
					groups = append(groups, r.To)
				}
			}
			if len(groups) != 1 || groups[0] != tt.want {
				t.Errorf("group pushes went to %+v, want one to %+v", groups, tt.want)
			}
		})
	}
	if err := jobs.CheckTeamSetting(jobs.SettingWeComGroup, "pigeon"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a bad wecom_group: %v", err)
	}
}
