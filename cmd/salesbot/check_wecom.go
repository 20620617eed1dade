package main

import (
	"context"
	"errors"
	"fmt"

	"salesbot/bot"
	"salesbot/bot/wecom"
	"salesbot/domain/kv"
)

// wecomChecks: the self-built app's credentials (a fresh access token) and
// the AI bot's long connection (subscribe, then close), for whichever is
// configured. With SALESBOT_REDIS_URL set the connection check takes the
// replicas' lease, so it never replaces a running replica's connection.
// Nothing is sent to anyone.
func wecomChecks(cfg Config, _ checkOptions) []check {
	if cfg.WeComCorpID == "" && cfg.WeComSecret == "" && cfg.WeComAIBotID == "" && cfg.WeComAIBotSecret == "" {
		return nil
	}
	w, err := checkWeCom(cfg, nil)
	if err != nil {
		return []check{{name: "wecom: configuration", run: func(context.Context) error {
			return fmt.Errorf("%v: set the SALESBOT_WECOM_* values as the README's WeCom section says", err)
		}}}
	}
	var checks []check
	if cfg.WeComCorpID != "" {
		checks = append(checks, check{name: "wecom: self-built app CorpID and Secret (access token)", run: func(ctx context.Context) error {
			return wecomAdvice(w.CheckToken(ctx), cfg.WeComAPIBase)
		}})
	}
	if cfg.WeComAIBotID != "" {
		checks = append(checks, check{name: "wecom: AI bot long connection (Bot ID and Secret)", run: func(ctx context.Context) error {
			w := w
			if cfg.RedisURL != "" {
				k, err := kv.Open(ctx, kv.Config{URL: cfg.RedisURL, Prefix: cfg.RedisPrefix})
				if err != nil {
					return fmt.Errorf("%v: the check needs the Redis the replicas share, to leave their connection alone; fix SALESBOT_REDIS_URL", err)
				}
				defer k.Close()
				if w, err = checkWeCom(cfg, k); err != nil {
					return err
				}
			}
			return aibotAdvice(w.CheckLongConnection(ctx), cfg.WeComAIBotWSURL)
		}})
	}
	return checks
}

// checkWeCom builds an adapter for the checks: it handles no messages.
func checkWeCom(cfg Config, leases wecom.Leases) (*wecom.WeCom, error) {
	agentID, err := parseAgentID(cfg.WeComAgentID)
	if err != nil {
		return nil, err
	}
	return wecom.New(wecom.Config{
		CorpID: cfg.WeComCorpID, AgentID: agentID, Secret: cfg.WeComSecret, Token: cfg.WeComToken, AESKey: cfg.WeComAESKey,
		AIBotToken: cfg.WeComAIBotToken, AIBotAESKey: cfg.WeComAIBotAESKey, APIBase: cfg.WeComAPIBase,
		LongConn: wecom.LongConnConfig{BotID: cfg.WeComAIBotID, Secret: cfg.WeComAIBotSecret, URL: cfg.WeComAIBotWSURL},
	}, bot.HandlerFunc(func(context.Context, bot.Message) ([]bot.Reply, error) { return nil, nil }), wecom.Deps{Leases: leases}, nil)
}

// wecomAdvice turns a failed token fetch into what to fix.
func wecomAdvice(err error, apiBase string) error {
	if err == nil {
		return nil
	}
	var ae *wecom.APIError
	if !errors.As(err, &ae) {
		return fmt.Errorf("cannot reach WeCom at %s (%v): allow outbound HTTPS from this server to qyapi.weixin.qq.com in the firewall or proxy, or fix SALESBOT_WECOM_API_BASE", apiBase, err)
	}
	switch ae.Code {
	case 40001, 40091, 41004:
		return fmt.Errorf("WeCom refused the app's Secret (%v): in the admin console (work.weixin.qq.com → 应用管理 → your self-built app) view the app's Secret and copy it into SALESBOT_WECOM_SECRET — the app's own Secret, not the address-book or customer-contact one", err)
	case 40013, 41002:
		return fmt.Errorf("WeCom does not know this corp ID (%v): copy 企业ID from 我的企业 → 企业信息 (it starts with ww) into SALESBOT_WECOM_CORP_ID", err)
	case 60020:
		return fmt.Errorf("WeCom refused this server's IP address (%v): add the server's public outbound IP to the app's 企业可信IP (应用管理 → your app → 开发者接口 → 企业可信IP)", err)
	case -1:
		return fmt.Errorf("WeCom is busy (%v): try again in a minute", err)
	}
	return fmt.Errorf("WeCom refused the token request (%v): check SALESBOT_WECOM_CORP_ID and SALESBOT_WECOM_SECRET", err)
}

// aibotAdvice turns a failed long-connection check into what to fix. A
// running replica holding the connection is a pass: it is in use.
func aibotAdvice(err error, wsURL string) error {
	var ae *wecom.APIError
	switch {
	case err == nil, errors.Is(err, wecom.ErrHeldElsewhere):
		return nil
	case errors.Is(err, wecom.ErrDial):
		return fmt.Errorf("cannot open the long connection to %s (%v): allow outbound WebSocket connections (wss, port 443) to openws.work.weixin.qq.com in the firewall or proxy", wsURL, err)
	case errors.As(err, &ae) && ae.Code == 853000:
		return fmt.Errorf("WeCom refused the AI bot's Bot ID or Secret (%v): in the admin console open 应用管理 → 智能机器人 → your bot → API 设置, choose 长连接 (long connection) and copy its Bot ID and Secret into SALESBOT_WECOM_AIBOT_BOT_ID and SALESBOT_WECOM_AIBOT_SECRET", err)
	case errors.As(err, &ae):
		return fmt.Errorf("WeCom refused the AI bot's subscription (%v): check that the bot is set to 长连接 mode and published, and the Bot ID and Secret", err)
	}
	return fmt.Errorf("the long connection did not work (%v): try again; if it keeps failing, check the proxy between this server and %s", err, wsURL)
}
