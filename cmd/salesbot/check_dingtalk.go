package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"salesbot/bot/dingtalk"
)

// dingtalkChecks: the app robot's credentials (a fresh access token), then
// in stream mode the long connection (open the gateway, connect, close),
// in callback mode the callback URL (a signed probe, when --url is given).
func dingtalkChecks(cfg Config, opt checkOptions) []check {
	if cfg.DingTalkAppKey == "" && cfg.DingTalkAppSecret == "" {
		return nil
	}
	dt, err := dingtalk.New(dingtalk.Config{
		AppKey: cfg.DingTalkAppKey, AppSecret: cfg.DingTalkAppSecret, RobotCode: cfg.DingTalkRobotCode,
		APIBase: cfg.DingTalkAPIBase, OAPIBase: cfg.DingTalkOAPIBase,
	}, nil, dingtalk.Deps{}, nil)
	if err != nil {
		return []check{{name: "dingtalk: configuration", run: func(context.Context) error {
			return fmt.Errorf("%v: set SALESBOT_DINGTALK_APP_KEY, SALESBOT_DINGTALK_APP_SECRET and the API addresses as the README says", err)
		}}}
	}
	checks := []check{{name: "dingtalk: AppKey and AppSecret (access token)", run: func(ctx context.Context) error {
		return dingtalkAdvice(dt.CheckToken(ctx), cfg.DingTalkAPIBase)
	}}}
	switch cfg.DingTalkMode {
	case dingtalkStream:
		checks = append(checks, check{name: "dingtalk: Stream mode long connection", run: func(ctx context.Context) error {
			return dingtalkAdvice(dt.CheckStream(ctx), cfg.DingTalkAPIBase)
		}})
	case dingtalkCallback:
		c := check{name: "dingtalk: callback URL"}
		if opt.publicURL == "" {
			c.skip = "not probed: run `salesbot check --url https://<public address>` to call /dingtalk/callback the way DingTalk does"
		} else {
			u := opt.publicURL + "/dingtalk/callback"
			c.name += " " + u
			c.run = func(ctx context.Context) error { return callbackAdvice(dt.CheckCallback(ctx, u), u) }
		}
		checks = append(checks, c)
	}
	return checks
}

// Advice for the DingTalk developer console (open-dev.dingtalk.com).
const (
	dtCredentials = "copy Client ID (AppKey) and Client Secret (AppSecret) from the DingTalk developer console (应用开发 → your app → 凭证与基础信息) into SALESBOT_DINGTALK_APP_KEY and SALESBOT_DINGTALK_APP_SECRET, without spaces"
	dtStreamSetup = "in the developer console add the robot to the app (添加应用能力 → 机器人), set its 消息接收模式 to Stream模式 and publish the version (版本管理与发布); or, to keep HTTP callbacks, set SALESBOT_DINGTALK_MODE=callback"
)

// dingtalkAdvice turns an error of a DingTalk API call into what to fix.
func dingtalkAdvice(err error, apiBase string) error {
	if err == nil {
		return nil
	}
	var ae *dingtalk.APIError
	switch {
	case errors.Is(err, dingtalk.ErrStreamConnect):
		return fmt.Errorf("DingTalk gave a Stream address but it cannot be reached (%v): allow outbound WebSocket connections (wss, port 443) to wss-open-connection.dingtalk.com in the firewall or proxy", err)
	case errors.As(err, &ae) && (ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden || ae.Code == "authFailed"):
		return fmt.Errorf("DingTalk refused the app's credentials (%v): %s", err, dtCredentials)
	case errors.As(err, &ae) && ae.Temporary():
		return fmt.Errorf("DingTalk is not answering properly right now (%v): try again in a few minutes", err)
	case errors.As(err, &ae) && ae.Op == "gateway/connections/open":
		return fmt.Errorf("DingTalk refused to open a Stream connection (%v): %s", err, dtStreamSetup)
	case errors.As(err, &ae) && ae.Status == http.StatusBadRequest:
		return fmt.Errorf("DingTalk refused the app's credentials (%v): %s", err, dtCredentials)
	case errors.As(err, &ae):
		return fmt.Errorf("DingTalk answered unexpectedly (%v): check SALESBOT_DINGTALK_API_BASE (normally https://api.dingtalk.com)", err)
	}
	return fmt.Errorf("cannot reach DingTalk at %s (%v): allow outbound HTTPS from this server to api.dingtalk.com in the firewall or proxy", apiBase, err)
}

// callbackAdvice turns a failed callback probe into what to fix.
func callbackAdvice(err error, u string) error {
	if err == nil {
		return nil
	}
	var pe *dingtalk.CallbackProbeError
	if !errors.As(err, &pe) {
		return fmt.Errorf("cannot reach %s from here (%v): DingTalk must reach this address from the internet over HTTPS with a valid certificate (a filed domain, the firewall open)", u, err)
	}
	switch pe.Status {
	case http.StatusForbidden:
		return fmt.Errorf("%s refused a request signed with this SALESBOT_DINGTALK_APP_SECRET: the salesbot behind that address has another AppSecret, or its clock is more than an hour off", u)
	case http.StatusServiceUnavailable:
		return fmt.Errorf("the salesbot at %s is not taking DingTalk messages (HTTP 503): start it with the same SALESBOT_DINGTALK_* settings", u)
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return fmt.Errorf("nothing at %s takes DingTalk callbacks (HTTP %d): route /dingtalk/callback to salesbot in the reverse proxy, and enter this exact URL as the robot's message URL (消息接收模式 HTTP模式)", u, pe.Status)
	}
	return fmt.Errorf("%v, not what salesbot answers: check that the reverse proxy passes /dingtalk/callback, with its timestamp and sign headers, to salesbot", err)
}
