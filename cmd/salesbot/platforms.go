package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"salesbot/bot"
	"salesbot/bot/dingtalk"
	"salesbot/bot/wecom"
	"salesbot/domain"
)

// mountPlatforms builds the WeCom and DingTalk adapters that are configured,
// mounts their callbacks and registers their senders. h is the handler the
// callbacks feed (nil for one-off commands that only send).
func (a *app) mountPlatforms(ctx context.Context, h bot.Handler) error {
	c := a.cfg
	sendOnly := h == nil
	if h == nil {
		h = bot.HandlerFunc(func(context.Context, bot.Message) ([]bot.Reply, error) {
			return nil, errors.New("this process only sends")
		})
	}

	// WeCom: the self-built app and the AI bot when configured; group robot
	// pushes always. The SDK's API origin is process-wide: set it once here.
	if err := wecom.ConfigureSDK(c.WeComAPIBase, nil); err != nil {
		return err
	}
	agentID, err := parseAgentID(c.WeComAgentID)
	if err != nil {
		return err
	}
	wc, err := wecom.New(wecom.Config{
		CorpID: c.WeComCorpID, AgentID: agentID, Secret: c.WeComSecret, Token: c.WeComToken, AESKey: c.WeComAESKey,
		AIBotToken: c.WeComAIBotToken, AIBotAESKey: c.WeComAIBotAESKey, APIBase: c.WeComAPIBase,
		RobotCardURL: c.WeComRobotCardURL,
		LongConn:     wecom.LongConnConfig{BotID: c.WeComAIBotID, Secret: c.WeComAIBotSecret, URL: c.WeComAIBotWSURL},
	}, h, wecom.Deps{State: a.kv, Limiter: a.kv, Members: a.svc, Leases: a.kv}, a.log)
	if err != nil {
		return err
	}
	a.senders[domain.PlatformWeCom] = wc.Sender()
	a.closers = append(a.closers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return wc.Close(ctx)
	})
	// The AI bot's long connection, held by one replica at a time (serve
	// only: a process that only sends has no messages to receive).
	if c.WeComAIBotID != "" && !sendOnly {
		a.connections = append(a.connections, wc.RunLongConnection)
	}
	// Callbacks are mounted per method: a pattern without one would conflict
	// with the simulator's "GET /" (neither is more specific than the other).
	if c.WeComCorpID != "" {
		a.mounts = append(a.mounts, methods("/wecom/callback", "wecom", wc.CallbackHandler(), "GET", "POST")...)
	}
	if c.WeComAIBotToken != "" {
		a.mounts = append(a.mounts, methods("/wecom/aibot/callback", "wecom_aibot", wc.AIBotHandler(), "GET", "POST")...)
	}

	// DingTalk.
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

func parseAgentID(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("SALESBOT_WECOM_AGENT_ID=%q: want a number", s)
	}
	return n, nil
}
