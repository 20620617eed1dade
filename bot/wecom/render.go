package wecom

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"

	"salesbot/bot"
)

// This file turns bot.Reply values into WeCom's JSON (platforms.md §2). The
// SDK has no template-card types and its json.Marshal escapes <, > and &
// (markdown <font> tags), so the bodies are written here and encoded by
// marshal.

type content struct {
	Content string `json:"content"`
}

type media struct {
	MediaID string `json:"media_id"`
}

// appBody is a message/send or appchat/send body.
type appBody struct {
	ToUser       string        `json:"touser,omitempty"`
	ChatID       string        `json:"chatid,omitempty"`
	MsgType      string        `json:"msgtype"`
	AgentID      int64         `json:"agentid,omitempty"`
	Text         *content      `json:"text,omitempty"`
	Markdown     *content      `json:"markdown,omitempty"`
	Image        *media        `json:"image,omitempty"`
	TemplateCard *templateCard `json:"template_card,omitempty"`
}

// robotBody is a group robot webhook body.
type robotBody struct {
	MsgType      string        `json:"msgtype"`
	Text         *content      `json:"text,omitempty"`
	Markdown     *content      `json:"markdown,omitempty"`
	Image        *robotImage   `json:"image,omitempty"`
	TemplateCard *templateCard `json:"template_card,omitempty"`
}

type robotImage struct {
	Base64 string `json:"base64"`
	MD5    string `json:"md5"`
}

// updateBody is a message/update_template_card body (§2.3).
type updateBody struct {
	UserIDs      []string      `json:"userids,omitempty"`
	AgentID      int64         `json:"agentid"`
	ResponseCode string        `json:"response_code"`
	TemplateCard *templateCard `json:"template_card"`
}

// templateCard is the part of WeCom's template card salesbot uses.
type templateCard struct {
	CardType   string       `json:"card_type"`
	TaskID     string       `json:"task_id,omitempty"`
	MainTitle  *cardTitle   `json:"main_title,omitempty"`
	SubTitle   string       `json:"sub_title_text,omitempty"`
	Horizontal []cardKV     `json:"horizontal_content_list,omitempty"`
	CardAction *cardAction  `json:"card_action,omitempty"`
	Buttons    []cardButton `json:"button_list,omitempty"`
	// ReplaceText greys the buttons out under this text (final state).
	ReplaceText string `json:"replace_text,omitempty"`
}

type cardTitle struct {
	Title string `json:"title"`
	Desc  string `json:"desc,omitempty"`
}

type cardKV struct {
	KeyName string `json:"keyname"`
	Value   string `json:"value"`
}

type cardAction struct {
	Type int    `json:"type"`
	URL  string `json:"url"`
}

type cardButton struct {
	Text  string `json:"text"`
	Style int    `json:"style,omitempty"`
	Key   string `json:"key"`
}

// AI bot replies: passive (§2.6), on the long connection and proactive (§2.7).
type aibotReply struct {
	ChatID       string        `json:"chatid,omitempty"` // aibot_send_msg only: a userid or a group chatid
	MsgType      string        `json:"msgtype,omitempty"`
	ResponseType string        `json:"response_type,omitempty"`
	UserIDs      []string      `json:"userids,omitempty"`
	Stream       *aibotStream  `json:"stream,omitempty"`
	Markdown     *content      `json:"markdown,omitempty"`
	TemplateCard *templateCard `json:"template_card,omitempty"`
}

type aibotStream struct {
	ID      string `json:"id"`
	Finish  bool   `json:"finish"`
	Content string `json:"content"`
}

// marshal encodes JSON without HTML escaping, as WeCom expects.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// interactive reports whether a card goes out as a button card: it has
// buttons and is not final yet.
func interactive(c *bot.Card) bool {
	return c != nil && c.Final == "" && len(c.Buttons) > 0
}

// buttonCard renders a card as a button_interaction template card. A final
// card keeps its buttons greyed out under the final label.
func buttonCard(c bot.Card, taskID string) *templateCard {
	tc := &templateCard{
		CardType:  "button_interaction",
		TaskID:    taskID,
		MainTitle: &cardTitle{Title: trimBytes(c.Title, cardTitleMax)},
	}
	var extra []string
	for _, f := range c.Fields {
		if f.Value == "" {
			continue
		}
		if len(tc.Horizontal) == cardFieldsMax {
			extra = append(extra, f.Label+"："+f.Value)
			continue
		}
		tc.Horizontal = append(tc.Horizontal, cardKV{KeyName: trimBytes(f.Label, cardKeyMax), Value: trimBytes(f.Value, cardValueMax)})
	}
	if c.Note != "" {
		extra = append(extra, c.Note)
	}
	tc.SubTitle = trimBytes(strings.Join(extra, "\n"), cardDescMax)
	for _, b := range c.Buttons {
		if len(tc.Buttons) == cardButtonsMax {
			break
		}
		tc.Buttons = append(tc.Buttons, cardButton{Text: trimBytes(b.Text, cardButtonMax), Style: buttonStyle(b.Style), Key: b.Key})
	}
	if c.Final != "" {
		tc.ReplaceText = trimBytes(c.Final, cardButtonMax)
		if len(tc.Buttons) == 0 {
			tc.Buttons = []cardButton{{Text: tc.ReplaceText, Style: 2, Key: "final"}}
		}
	}
	return tc
}

// buttonStyle maps bot styles to WeCom's 1–4.
func buttonStyle(s string) int {
	switch s {
	case "primary":
		return 1
	case "danger":
		return 3
	}
	return 2
}

// noticeCard renders a card as a text_notice template card for a group
// robot (no buttons there: robots get no callbacks); url is required.
func noticeCard(c bot.Card, url string) *templateCard {
	tc := buttonCard(bot.Card{Title: c.Title, Fields: c.Fields, Note: c.Note}, "")
	tc.CardType = "text_notice"
	if c.Final != "" {
		tc.SubTitle = trimBytes(strings.TrimSpace(tc.SubTitle+"\n【"+c.Final+"】"), cardDescMax)
	}
	tc.CardAction = &cardAction{Type: 1, URL: url}
	return tc
}

// cardMarkdown renders a card as WeCom markdown, for places without button
// cards (app group chats, robots, final cards sent anew).
func cardMarkdown(c bot.Card) string {
	var b strings.Builder
	b.WriteString("**" + bot.EscapeMarkdown(c.Title) + "**")
	for _, f := range c.Fields {
		if f.Value != "" {
			b.WriteString("\n> " + f.Label + "：" + bot.EscapeMarkdown(f.Value))
		}
	}
	if c.Note != "" {
		b.WriteString("\n" + c.Note)
	}
	if c.Final != "" {
		b.WriteString("\n**【" + c.Final + "】**")
	}
	return b.String()
}

// replyText is the text of a reply where cards cannot be shown, and
// whether it is markdown.
func replyText(r bot.Reply) (string, bool) {
	c := r.Card
	if r.Update != nil {
		c = &r.Update.Card
	}
	if c != nil {
		return cardMarkdown(*c), true
	}
	if r.Text == "" && r.Image != nil {
		return r.Image.Alt, false
	}
	return r.Text, r.Markdown
}

// robotImageOf encodes a picture for the robot webhook: base64 and the MD5
// of the raw bytes.
func robotImageOf(png []byte) *robotImage {
	sum := md5.Sum(png)
	return &robotImage{Base64: base64.StdEncoding.EncodeToString(png), MD5: hex.EncodeToString(sum[:])}
}

// newTaskID makes a template card task_id from the card's id: WeCom wants
// it unique per app and made of [0-9A-Za-z_-@], so the id is cleaned and a
// random suffix added (a card for the same record may be sent twice).
func newTaskID(cardID string) string {
	var b strings.Builder
	for _, r := range cardID {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	base := b.String()
	if base == "" {
		base = "card"
	}
	if len(base) > taskIDMax-9 {
		base = base[:taskIDMax-9]
	}
	return base + "@" + string(randomAlnum(8))
}
