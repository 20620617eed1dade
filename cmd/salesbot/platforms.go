package main

import (
	"context"
	"fmt"

	"salesbot/bot"
	"salesbot/bot/dingtalk"
	"salesbot/domain"
)

// mountPlatforms builds the WeCom and DingTalk adapters that are configured,
// mounts their callbacks and registers their senders. h is the handler the
// callbacks feed (nil for one-off commands that only send).
func (a *app) mountPlatforms(ctx context.Context, h bot.Handler) error {
	c := a.cfg
	dtDeps := dingtalk.Deps{Tokens: a.kv, Limiter: a.kv}
	if c.DingTalkAppKey != "" {
		dt, err := dingtalk.New(dingtalk.Config{
			AppKey: c.DingTalkAppKey, AppSecret: c.DingTalkAppSecret, RobotCode: c.DingTalkRobotCode,
			APIBase: c.DingTalkAPIBase, OAPIBase: c.DingTalkOAPIBase,
		}, h, dtDeps, a.log.With("platform", "dingtalk"))
		if err != nil {
			return fmt.Errorf("dingtalk: %w", err)
		}
		a.mounts = append(a.mounts, mount{"POST /dingtalk/callback", "dingtalk", dt.CallbackHandler()})
		a.senders[domain.PlatformDingTalk] = dt.Sender()
	} else {
		// Teams may still push into groups through custom robot webhooks.
		rs, err := dingtalk.NewRobotSender(c.DingTalkOAPIBase, dtDeps, a.log.With("platform", "dingtalk"))
		if err != nil {
			return fmt.Errorf("dingtalk robot: %w", err)
		}
		a.senders[domain.PlatformDingTalk] = rs
	}
	return nil
}
