package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
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

	// Replies a platform does not take at once wait in the outbox.
	replies := a.replyQueue()
	a.inbox.Queue = replies

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
	}, h, wecom.Deps{
		State: a.kv, Limiter: a.kv, Members: a.svc, Leases: a.kv, Replies: replies,
		OnConnected: func(on bool) { a.metrics.streamUp.WithLabelValues("wecom").Set(map[bool]float64{true: 1}[on]) },
		OnFrame:     func(outcome string) { a.metrics.streamFrames.WithLabelValues("wecom", outcome).Inc() },
	}, a.log)
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
		a.aibot = wc
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
	dtDeps := dingtalk.Deps{Tokens: a.kv, Limiter: a.kv, Replies: replies}
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
		a.dingtalk = dt
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

// startStreams opens the long connections of the platforms configured for
// them (DingTalk in stream mode, the WeCom AI bot when its bot id is set).
// stop ends them and waits until the messages in hand are stored,
// acknowledged and answered.
func (a *app) startStreams(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	if a.dingtalk != nil && a.cfg.DingTalkMode == dingtalkStream {
		wg.Add(1)
		go func() {
			defer wg.Done()
			up, frames := a.metrics.streamUp.WithLabelValues("dingtalk"), a.metrics.streamFrames
			opt := dingtalk.StreamOptions{
				OnConnected: func(on bool) { up.Set(map[bool]float64{true: 1}[on]) },
				OnFrame:     func(outcome string) { frames.WithLabelValues("dingtalk", outcome).Inc() },
			}
			if err := a.dingtalk.Stream(opt).Run(ctx); err != nil {
				a.log.Error("dingtalk stream stopped", "err", err)
			}
		}()
	}
	if a.aibot != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.aibot.RunLongConnection(ctx)
		}()
	}
	return func() {
		cancel()
		wg.Wait()
	}
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
