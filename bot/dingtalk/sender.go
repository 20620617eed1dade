package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"salesbot/bot"
)

// A sessionWebhook travels in Destination.ResponseURL with its expiry in
// the URL fragment, "#expires=<unix ms>". Fragments are never sent over
// HTTP, the Destination stays a plain value any replica (or a stored
// outbox row) can use, and no in-memory map has to outlive the callback.
const expiresFragment = "expires="

// sessionURL encodes a sessionWebhook and its expiry (zero: unknown).
func sessionURL(webhook string, exp time.Time) string {
	if exp.IsZero() {
		return webhook
	}
	if i := strings.IndexByte(webhook, '#'); i >= 0 {
		webhook = webhook[:i]
	}
	return webhook + "#" + expiresFragment + strconv.FormatInt(exp.UnixMilli(), 10)
}

// parseSessionURL splits a ResponseURL into the webhook and its expiry
// (zero when it carries none).
func parseSessionURL(s string) (webhook string, exp time.Time) {
	webhook, frag, _ := strings.Cut(s, "#")
	if ms, ok := strings.CutPrefix(frag, expiresFragment); ok {
		if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
			exp = time.UnixMilli(n)
		}
	}
	return webhook, exp
}

// appSender is the app robot's bot.Sender. It routes by Destination:
//
//  1. ResponseURL: the callback's sessionWebhook, while it is valid;
//  2. RobotURL: the team's custom robot (RobotSender);
//  3. ChatID: /v1.0/robot/groupMessages/send to the openConversationId;
//  4. UserID: /v1.0/robot/oToMessages/batchSend to the member's userId.
//
// An expired sessionWebhook, or one DingTalk refuses, falls through to the
// next that the Destination allows.
type appSender struct {
	d *DingTalk
}

var _ bot.Sender = appSender{}

func (s appSender) Send(ctx context.Context, r bot.Reply) error {
	d := s.d
	to := r.To
	if err := checkPlatform(to); err != nil {
		return err
	}
	msgs, err := render(r, to.Group())
	if err != nil {
		return err
	}
	fallback := to.RobotURL != "" || to.ChatID != "" || to.UserID != ""
	if to.ResponseURL != "" {
		hook, exp := parseSessionURL(to.ResponseURL)
		switch {
		case !exp.IsZero() && !d.now().Add(sessionMargin).Before(exp):
			if !fallback {
				return errors.New("dingtalk: sessionWebhook expired and no other destination")
			}
			d.log.Debug("dingtalk sessionWebhook expired, using robot API")
		default:
			sent, err := d.sendSession(ctx, hook, to, msgs)
			var ae *APIError
			if err == nil || !fallback || !errors.As(err, &ae) {
				return err
			}
			d.log.Warn("dingtalk sessionWebhook refused, using robot API", "err", err)
			msgs = msgs[sent:]
		}
	}
	switch {
	case to.RobotURL != "":
		return d.robot.send(ctx, to, msgs)
	case to.ChatID != "":
		return d.sendGroup(ctx, to.ChatID, msgs)
	case to.UserID != "":
		return d.sendUser(ctx, to.UserID, msgs)
	}
	return errors.New("dingtalk: reply has no destination")
}

// sendSession posts msgs to a sessionWebhook and says how many went out.
func (d *DingTalk) sendSession(ctx context.Context, hook string, to bot.Destination, msgs []out) (int, error) {
	for i, m := range msgs {
		if err := postWebhook(ctx, d.hc, "sessionWebhook", hook, m.webhook(atUsers(to))); err != nil {
			return i, err
		}
	}
	return len(msgs), nil
}

// sendGroup sends msgs into a group the app robot is in.
func (d *DingTalk) sendGroup(ctx context.Context, chatID string, msgs []out) error {
	const op = "robot/groupMessages/send"
	for _, m := range msgs {
		key, param, err := m.apiParam()
		if err != nil {
			return err
		}
		body := map[string]string{
			"robotCode":          d.cfg.RobotCode,
			"openConversationId": chatID,
			"msgKey":             key,
			"msgParam":           param,
		}
		if err := d.api.call(ctx, op, "/v1.0/"+op, body, nil); err != nil {
			return err
		}
	}
	return nil
}

// sendUser sends msgs to one member privately.
func (d *DingTalk) sendUser(ctx context.Context, userID string, msgs []out) error {
	const op = "robot/oToMessages/batchSend"
	for _, m := range msgs {
		key, param, err := m.apiParam()
		if err != nil {
			return err
		}
		body := map[string]any{
			"robotCode": d.cfg.RobotCode,
			"userIds":   []string{userID},
			"msgKey":    key,
			"msgParam":  param,
		}
		var resp struct {
			InvalidStaffIDList        []string `json:"invalidStaffIdList"`
			FlowControlledStaffIDList []string `json:"flowControlledStaffIdList"`
		}
		if err := d.api.call(ctx, op, "/v1.0/"+op, body, &resp); err != nil {
			return err
		}
		if len(resp.FlowControlledStaffIDList) > 0 {
			return &APIError{Op: op, Status: 200, Message: "flow-controlled: " + userID, throttled: true}
		}
		if len(resp.InvalidStaffIDList) > 0 {
			return &APIError{Op: op, Status: 200, Message: fmt.Sprintf("invalid userId %q", userID)}
		}
	}
	return nil
}

// replyTo fills in where a callback's reply goes: the conversation the
// message came from when the router left To empty, and the sessionWebhook
// when the reply goes back into that conversation.
func replyTo(r bot.Reply, m bot.Message, session string) bot.Reply {
	to := r.To
	if to.UserID == "" && to.ChatID == "" && to.RobotURL == "" && to.ResponseURL == "" {
		to.UserID, to.ChatID = m.UserID, m.ChatID
	}
	same := to.ChatID == m.ChatID && (m.ChatID != "" || to.UserID == m.UserID)
	if same && to.RobotURL == "" && to.ResponseURL == "" {
		to.ResponseURL = session
	}
	r.To = to
	return r
}
