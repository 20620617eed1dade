package dingtalk

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// callback is the JSON body of an app robot callback (platforms.md §4.1).
type callback struct {
	MsgType string `json:"msgtype"`
	Text    *struct {
		Content string `json:"content"`
	} `json:"text"`
	// Content carries audio (recognition), richText and media fields.
	Content                   json.RawMessage `json:"content"`
	MsgID                     string          `json:"msgId"`
	CreateAt                  int64           `json:"createAt"`
	ConversationType          string          `json:"conversationType"`
	ConversationID            string          `json:"conversationId"`
	SenderNick                string          `json:"senderNick"`
	SenderStaffID             string          `json:"senderStaffId"`
	IsInAtList                *bool           `json:"isInAtList"`
	SessionWebhook            string          `json:"sessionWebhook"`
	SessionWebhookExpiredTime int64           `json:"sessionWebhookExpiredTime"`
}

// content is the "content" object of audio and richText messages.
type content struct {
	Recognition string `json:"recognition"`
	RichText    []struct {
		Text string `json:"text"`
	} `json:"richText"`
}

// The conversation types.
const (
	conversationPrivate = "1"
	conversationGroup   = "2"
)

// errBadPayload: the callback body is JSON but not a message we can use.
var errBadPayload = errors.New("bad callback payload")

// message converts a callback to a bot.Message. ok is false for a group
// message that does not @-mention the bot: it is acknowledged, not handled.
// Media without text (pictures, files, a quota-exhausted callback) become a
// message with empty Text; the router ignores those.
func (c callback) message(now time.Time) (m bot.Message, ok bool, err error) {
	if c.MsgID == "" {
		return m, false, fmt.Errorf("%w: no msgId", errBadPayload)
	}
	m = bot.Message{
		Platform: domain.PlatformDingTalk,
		ID:       c.MsgID,
		UserID:   c.SenderStaffID,
		UserName: c.SenderNick,
		At:       now.UTC(),
	}
	if c.CreateAt > 0 {
		m.At = time.UnixMilli(c.CreateAt).UTC()
	}
	switch c.ConversationType {
	case conversationPrivate:
	case conversationGroup:
		if c.ConversationID == "" {
			return m, false, fmt.Errorf("%w: group message without conversationId", errBadPayload)
		}
		if c.IsInAtList != nil && !*c.IsInAtList {
			return m, false, nil
		}
		m.ChatID = c.ConversationID
	default:
		return m, false, fmt.Errorf("%w: unknown conversationType %q", errBadPayload, c.ConversationType)
	}

	// DingTalk removes the bot's own @-mention from the text and leaves the
	// space that followed it; mentions of other people stay.
	switch c.MsgType {
	case "text":
		if c.Text != nil {
			m.Text = strings.TrimSpace(c.Text.Content)
		}
		if a, ok := actionOf(m.Text); ok {
			m.Action = a // a click on one of our card's buttons
		}
	case "audio":
		var ct content
		if json.Unmarshal(c.Content, &ct) == nil {
			m.Text = strings.TrimSpace(ct.Recognition)
		}
		m.Voice = true
	case "richText":
		var ct content
		if json.Unmarshal(c.Content, &ct) == nil {
			var b strings.Builder
			for _, p := range ct.RichText {
				b.WriteString(p.Text)
			}
			m.Text = strings.TrimSpace(b.String())
		}
	}
	return m, true, nil
}

// session is the sessionWebhook of a callback as a Destination.ResponseURL,
// "" when there is none.
func (c callback) session() string {
	if c.SessionWebhook == "" {
		return ""
	}
	var exp time.Time
	if c.SessionWebhookExpiredTime > 0 {
		exp = time.UnixMilli(c.SessionWebhookExpiredTime)
	}
	return sessionURL(c.SessionWebhook, exp)
}

// cardCallback is the data of a card callback (互动卡片, platforms.md §4.5):
// a click on an interactive card's button.
type cardCallback struct {
	OutTrackID string `json:"outTrackId"`
	UserID     string `json:"userId"`
	// Content is a JSON string:
	// {"cardPrivateData":{"actionIds":["…"],"params":{"key":"…"}}}.
	Content string `json:"content"`
}

// message converts a card click to a bot.Message with an Action. The
// button's key is its "key" parameter, else its action id. The message id
// is built from card, member and key, so a redelivered (or repeated) click
// is handled once.
func (c cardCallback) message(now time.Time) (bot.Message, error) {
	var ct struct {
		CardPrivateData struct {
			ActionIDs []string       `json:"actionIds"`
			Params    map[string]any `json:"params"`
		} `json:"cardPrivateData"`
	}
	if c.Content != "" {
		if err := json.Unmarshal([]byte(c.Content), &ct); err != nil {
			return bot.Message{}, fmt.Errorf("%w: card content: %v", errBadPayload, err)
		}
	}
	key, _ := ct.CardPrivateData.Params["key"].(string)
	if key == "" && len(ct.CardPrivateData.ActionIDs) > 0 {
		key = ct.CardPrivateData.ActionIDs[0]
	}
	switch {
	case c.OutTrackID == "":
		return bot.Message{}, fmt.Errorf("%w: card callback without outTrackId", errBadPayload)
	case c.UserID == "":
		return bot.Message{}, fmt.Errorf("%w: card callback without userId", errBadPayload)
	case key == "":
		return bot.Message{}, fmt.Errorf("%w: card callback without a button key", errBadPayload)
	}
	return bot.Message{
		Platform: domain.PlatformDingTalk,
		ID:       "card:" + c.OutTrackID + ":" + c.UserID + ":" + key,
		UserID:   c.UserID,
		At:       now.UTC(),
		Action:   &bot.CardAction{Key: key, CardID: c.OutTrackID},
	}, nil
}
