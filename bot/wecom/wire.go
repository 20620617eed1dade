package wecom

import (
	"encoding/xml"
	"strconv"
	"strings"
	"time"
	"unicode"

	"salesbot/bot"
	"salesbot/domain"
)

// envelope is the outer XML of an app callback POST (platforms.md §1.3).
type envelope struct {
	XMLName    xml.Name `xml:"xml"`
	ToUserName string   `xml:"ToUserName"`
	AgentID    string   `xml:"AgentID"`
	Encrypt    string   `xml:"Encrypt"`
}

// appMessage is the decrypted XML of an app message or event (§1.8).
type appMessage struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	Content      string   `xml:"Content"`
	MsgID        string   `xml:"MsgId"`
	AgentID      string   `xml:"AgentID"`
	Recognition  string   `xml:"Recognition"` // voice messages, when speech recognition is on
	Event        string   `xml:"Event"`
	EventKey     string   `xml:"EventKey"`
	TaskID       string   `xml:"TaskId"`
	CardType     string   `xml:"CardType"`
	ResponseCode string   `xml:"ResponseCode"`
}

// toMessage converts an app message; ok is false for what the bot ignores
// (events other than card clicks, messages without text).
func (a appMessage) toMessage() (m bot.Message, ok bool) {
	m = bot.Message{
		Platform: domain.PlatformWeCom,
		ID:       a.MsgID,
		UserID:   a.FromUserName,
		At:       time.Unix(a.CreateTime, 0),
	}
	if a.FromUserName == "" {
		return m, false
	}
	switch a.MsgType {
	case "text":
		m.Text = a.Content
	case "voice":
		m.Text, m.Voice = a.Recognition, true
	case "event":
		switch a.Event {
		case "template_card_event", "template_card_menu_event":
		default:
			return m, false
		}
		if a.EventKey == "" {
			return m, false
		}
		// Events have no MsgId: sender + time + event + card + key
		// (platforms.md §1.6).
		m.ID = strings.Join([]string{"event", a.FromUserName, strconv.FormatInt(a.CreateTime, 10), a.Event, a.TaskID, a.EventKey}, ":")
		m.Action = &bot.CardAction{Key: a.EventKey, CardID: a.TaskID}
		return m, true
	default:
		return m, false
	}
	if m.ID == "" || strings.TrimSpace(m.Text) == "" {
		return m, false
	}
	return m, true
}

// aibotMessage is the decrypted JSON of an AI bot callback (platforms.md
// §2.6).
type aibotMessage struct {
	MsgID       string `json:"msgid"`
	CreateTime  int64  `json:"create_time"`
	AIBotID     string `json:"aibotid"`
	ChatID      string `json:"chatid"`
	ChatType    string `json:"chattype"` // single | group
	ResponseURL string `json:"response_url"`
	MsgType     string `json:"msgtype"`
	From        struct {
		UserID string `json:"userid"`
	} `json:"from"`
	Text  *struct{ Content string } `json:"text"`
	Voice *struct{ Content string } `json:"voice"`
	Mixed *struct {
		Items []struct {
			MsgType string                    `json:"msgtype"`
			Text    *struct{ Content string } `json:"text"`
		} `json:"msg_item"`
	} `json:"mixed"`
	Stream *struct {
		ID string `json:"id"`
	} `json:"stream"`
	Event *struct {
		EventType string          `json:"eventtype"`
		CardEvent *aibotCardEvent `json:"template_card_event"`
	} `json:"event"`
}

type aibotCardEvent struct {
	CardType string `json:"card_type"`
	EventKey string `json:"event_key"`
	TaskID   string `json:"task_id"`
}

// toMessage converts an AI bot callback; ok is false for what the bot
// ignores. In groups the leading @-mention of the bot is stripped.
func (a aibotMessage) toMessage(now time.Time) (m bot.Message, ok bool) {
	at := now
	if a.CreateTime > 0 {
		at = time.Unix(a.CreateTime, 0)
	}
	m = bot.Message{
		Platform: domain.PlatformWeCom,
		ID:       "aibot:" + a.MsgID,
		UserID:   a.From.UserID,
		At:       at,
	}
	if a.ChatType == "group" {
		m.ChatID = a.ChatID
	}
	if a.MsgID == "" || a.From.UserID == "" {
		return m, false
	}
	switch a.MsgType {
	case "text":
		if a.Text != nil {
			m.Text = a.Text.Content
		}
	case "voice":
		if a.Voice != nil {
			m.Text, m.Voice = a.Voice.Content, true
		}
	case "mixed":
		if a.Mixed != nil {
			var parts []string
			for _, it := range a.Mixed.Items {
				if it.MsgType == "text" && it.Text != nil {
					parts = append(parts, it.Text.Content)
				}
			}
			m.Text = strings.Join(parts, "\n")
		}
	case "event":
		if a.Event == nil || a.Event.EventType != "template_card_event" || a.Event.CardEvent == nil || a.Event.CardEvent.EventKey == "" {
			return m, false
		}
		m.Action = &bot.CardAction{Key: a.Event.CardEvent.EventKey, CardID: a.Event.CardEvent.TaskID}
		return m, true
	default:
		return m, false
	}
	if m.ChatID != "" {
		m.Text = stripMention(m.Text)
	}
	if strings.TrimSpace(m.Text) == "" {
		return m, false
	}
	return m, true
}

// stripMention removes a leading "@name" and the spaces after it: WeCom
// puts the bot's @-mention in front of group messages.
func stripMention(s string) string {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	if !strings.HasPrefix(t, "@") {
		return s
	}
	i := strings.IndexFunc(t, unicode.IsSpace)
	if i < 0 {
		return "" // the mention alone
	}
	return strings.TrimLeftFunc(t[i:], unicode.IsSpace)
}
