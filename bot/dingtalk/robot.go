package dingtalk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// RobotSender pushes replies into group chats through custom robots
// (自定义机器人, platforms.md §4.3): Destination.RobotURL is the webhook (or
// just its access_token, sent to the OAPI origin) and
// Destination.RobotSecret the SEC… secret for 加签 (empty when the robot
// uses keywords or an IP allow-list instead). It needs no app credentials,
// so teams that only have a webhook can get digests and leaderboards.
//
// Each robot takes 20 messages a minute; RobotSender holds sends back
// beyond that (ErrThrottled) rather than let DingTalk block the robot for
// ten minutes.
type RobotSender struct {
	oapiBase string
	hc       *http.Client
	limiter  RateLimiter
	now      func() time.Time
	log      *slog.Logger
}

var _ bot.Sender = (*RobotSender)(nil)

// NewRobotSender returns a sender for custom robot webhooks. oapiBase is
// the old API origin ("" means DefaultOAPIBase), used when RobotURL holds
// only an access token.
func NewRobotSender(oapiBase string, deps Deps, log *slog.Logger) (*RobotSender, error) {
	base, err := baseURL(oapiBase, DefaultOAPIBase)
	if err != nil {
		return nil, fmt.Errorf("dingtalk: OAPIBase: %w", err)
	}
	deps = deps.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RobotSender{oapiBase: base, hc: deps.HTTPClient, limiter: deps.Limiter, now: deps.Now, log: log}, nil
}

// Send delivers r to the custom robot at r.To.RobotURL.
func (s *RobotSender) Send(ctx context.Context, r bot.Reply) error {
	if err := checkPlatform(r.To); err != nil {
		return err
	}
	if r.To.RobotURL == "" {
		return errors.New("dingtalk: no custom robot webhook in destination")
	}
	msgs, err := render(r, true)
	if err != nil {
		return err
	}
	return s.send(ctx, r.To, msgs)
}

// send posts msgs in order, each within the robot's rate limit.
func (s *RobotSender) send(ctx context.Context, to bot.Destination, msgs []out) error {
	hook, err := s.webhookURL(to.RobotURL)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(hook)) // the key must not reveal the webhook token
	key := "dingtalk:robot:" + hex.EncodeToString(sum[:8])
	for _, m := range msgs {
		ok, err := s.limiter.Allow(ctx, key, robotLimit, robotWindow)
		if err != nil {
			return fmt.Errorf("dingtalk custom robot rate limit: %w", err)
		}
		if !ok {
			return fmt.Errorf("dingtalk custom robot: %w (more than %d messages in %s)", ErrThrottled, robotLimit, robotWindow)
		}
		u, err := signedRobotURL(hook, to.RobotSecret, s.now())
		if err != nil {
			return fmt.Errorf("dingtalk custom robot: %w", redact(err))
		}
		if err := postWebhook(ctx, s.hc, "robot/send", u, m.webhook(atUsers(to))); err != nil {
			return err
		}
	}
	return nil
}

// webhookURL turns RobotURL into the webhook: a full http(s) URL is used as
// it is; anything else is taken as the robot's access_token.
func (s *RobotSender) webhookURL(robotURL string) (string, error) {
	if !strings.Contains(robotURL, "://") {
		return s.oapiBase + "/robot/send?access_token=" + url.QueryEscape(robotURL), nil
	}
	u, err := url.Parse(robotURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("dingtalk: custom robot webhook is not an http(s) URL")
	}
	return robotURL, nil
}

// postWebhook posts one message to a sessionWebhook or custom robot and
// checks the answer {"errcode","errmsg"} (errcode a number or a string).
func postWebhook(ctx context.Context, hc *http.Client, op, rawURL string, msg webhookMsg) error {
	body, err := marshal(msg)
	if err != nil {
		return err
	}
	status, resp, err := postJSON(ctx, hc, rawURL, nil, body)
	if err != nil {
		return fmt.Errorf("dingtalk %s: %w", op, err)
	}
	if status/100 != 2 {
		e := newAPIError(op, status, resp)
		e.Code = "" // the old API has no "code"; whatever was parsed is noise
		return e
	}
	var a struct {
		ErrCode json.RawMessage `json:"errcode"`
		ErrMsg  string          `json:"errmsg"`
	}
	if err := json.Unmarshal(resp, &a); err != nil {
		return &APIError{Op: op, Status: status, Message: "answer is not JSON"}
	}
	code := strings.Trim(string(a.ErrCode), `"`)
	if code == "" || code == "0" {
		return nil
	}
	return &APIError{Op: op, Status: status, Code: code, Message: a.ErrMsg, throttled: throttleCodes[code]}
}

// atUsers: a group message to a member @-mentions them.
func atUsers(to bot.Destination) []string {
	if to.Group() && to.UserID != "" {
		return []string{to.UserID}
	}
	return nil
}

func checkPlatform(to bot.Destination) error {
	if to.Platform != "" && to.Platform != domain.PlatformDingTalk {
		return fmt.Errorf("dingtalk: cannot send to platform %q", to.Platform)
	}
	return nil
}
