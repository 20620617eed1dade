package dingtalk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"salesbot/bot"
)

// The kinds of message we send.
const (
	kindText       = "text"
	kindMarkdown   = "markdown"
	kindActionCard = "actionCard"
)

// out is one message rendered for DingTalk, before it is put on a wire: the
// webhook JSON (sessionWebhook and custom robots, platforms.md §4.3) or the
// robot send APIs' msgKey and msgParam (§4.4).
type out struct {
	kind    string
	title   string // markdown and action card: the chat list preview
	text    string
	buttons []button
}

type button struct {
	title string
	url   string
}

// errEmpty: a reply with nothing to show.
var errEmpty = errors.New("dingtalk: empty reply")

// render turns a reply into one or more DingTalk messages (long texts are
// split, §6.2). group says whether it goes to a group chat, where a message
// only reaches the bot when it @-mentions it, so card buttons cannot work.
//
// Action cards on DingTalk only open links; clicks never come back to us
// (that needs 互动卡片). A card's buttons therefore link to
// dtmd://dingtalkclient/sendMessage, which makes the client send the
// button's text (确认, 修改, 撤销) as the member's own message, and the card
// says to reply with those words, which the router understands as text. An
// Update cannot replace a sent action card, so the new state of the card is
// sent as a new message.
func render(r bot.Reply, group bool) ([]out, error) {
	card := r.Card
	if r.Update != nil {
		// A sent action card cannot change: the new state goes out as a new
		// message, which says that it replaces the old one.
		c := r.Update.Card
		if c.Final == "" {
			c.Note = strings.TrimSpace(c.Note + " " + bot.VoidNote)
		}
		card = &c
	}
	if card != nil {
		return []out{renderCard(*card, group)}, nil
	}
	text := strings.TrimSpace(r.Text)
	if text == "" && r.Image != nil {
		text = strings.TrimSpace(r.Image.Alt) // pictures need a media upload we don't do
	}
	if text == "" {
		return nil, errEmpty
	}
	var msgs []out
	if r.Markdown {
		title := titleOf(text)
		for _, p := range splitText(text, maxBodyBytes, maxParts) {
			msgs = append(msgs, out{kind: kindMarkdown, title: title, text: markdownBreaks(p)})
		}
		return msgs, nil
	}
	for _, p := range splitText(text, maxBodyBytes, maxParts) {
		msgs = append(msgs, out{kind: kindText, text: p})
	}
	return msgs, nil
}

// renderCard shows a card as an action card with link buttons (private
// chats) or as markdown with a reply hint (groups, final cards).
func renderCard(c bot.Card, group bool) out {
	lines := []string{"#### " + c.Title}
	for _, f := range c.Fields {
		if f.Value != "" {
			lines = append(lines, "**"+f.Label+"**："+f.Value)
		}
	}
	if c.Note != "" {
		lines = append(lines, c.Note)
	}
	body := markdownBreaks(strings.Join(lines, "\n"))
	o := out{kind: kindMarkdown, title: clip(c.Title, maxTitleRunes)}
	switch {
	case c.Final != "":
		body += "\n\n**【" + c.Final + "】**"
	case len(c.Buttons) > 0:
		words := make([]string, len(c.Buttons))
		for i, b := range c.Buttons {
			words[i] = "「" + b.Text + "」"
		}
		if group {
			body += "\n\n@我并回复" + strings.Join(words, "、")
			break
		}
		body += "\n\n点下方按钮或回复" + strings.Join(words, "、")
		o.kind = kindActionCard
		for i, b := range c.Buttons {
			if i == maxButtons {
				break
			}
			o.buttons = append(o.buttons, button{title: b.Text, url: sendMessageLink(buttonText(b))})
		}
	}
	o.text = trimText(body, maxBodyBytes)
	return o
}

// markdownBreaks makes every line break show: DingTalk's markdown joins
// lines that are not separated by a blank line or two trailing spaces.
func markdownBreaks(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "  \n")
}

// titleOf is a markdown message's preview title: its first line without
// markdown marks.
func titleOf(text string) string {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimLeft(l, "#>*-· \t")
		l = strings.ReplaceAll(l, "**", "")
		if l = strings.TrimSpace(l); l != "" {
			return clip(l, maxTitleRunes)
		}
	}
	return "消息"
}

// clip keeps the first n runes of s, marking a cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// webhookMsg is the message JSON of sessionWebhook and custom robots.
type webhookMsg struct {
	MsgType    string             `json:"msgtype"`
	Text       *webhookText       `json:"text,omitempty"`
	Markdown   *webhookMarkdown   `json:"markdown,omitempty"`
	ActionCard *webhookActionCard `json:"actionCard,omitempty"`
	At         *webhookAt         `json:"at,omitempty"`
}

type webhookText struct {
	Content string `json:"content"`
}

type webhookMarkdown struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type webhookActionCard struct {
	Title          string       `json:"title"`
	Text           string       `json:"text"`
	BtnOrientation string       `json:"btnOrientation"`
	SingleTitle    string       `json:"singleTitle,omitempty"`
	SingleURL      string       `json:"singleURL,omitempty"`
	Btns           []webhookBtn `json:"btns,omitempty"`
}

type webhookBtn struct {
	Title     string `json:"title"`
	ActionURL string `json:"actionURL"`
}

type webhookAt struct {
	AtUserIDs []string `json:"atUserIds"`
}

// webhook renders o for a sessionWebhook or custom robot. atUserIDs are
// @-mentioned (text and markdown only; action cards cannot @).
func (o out) webhook(atUserIDs []string) webhookMsg {
	w := webhookMsg{MsgType: o.kind}
	switch o.kind {
	case kindText:
		w.Text = &webhookText{Content: o.text}
	case kindMarkdown:
		w.Markdown = &webhookMarkdown{Title: o.title, Text: o.text}
	case kindActionCard:
		ac := &webhookActionCard{Title: o.title, Text: o.text, BtnOrientation: "0"}
		if len(o.buttons) == 1 {
			ac.SingleTitle, ac.SingleURL = o.buttons[0].title, o.buttons[0].url
		} else {
			if len(o.buttons) == 2 {
				ac.BtnOrientation = "1" // side by side
			}
			for _, b := range o.buttons {
				ac.Btns = append(ac.Btns, webhookBtn{Title: b.title, ActionURL: b.url})
			}
		}
		w.ActionCard = ac
		return w
	}
	if len(atUserIDs) > 0 {
		w.At = &webhookAt{AtUserIDs: atUserIDs}
	}
	return w
}

// apiParam renders o for the robot send APIs: the msgKey and the msgParam
// JSON string.
func (o out) apiParam() (msgKey, msgParam string, err error) {
	p := map[string]string{}
	switch o.kind {
	case kindText:
		msgKey = "sampleText"
		p["content"] = o.text
	case kindMarkdown:
		msgKey = "sampleMarkdown"
		p["title"], p["text"] = o.title, o.text
	case kindActionCard:
		p["title"], p["text"] = o.title, o.text
		switch n := len(o.buttons); n {
		case 1:
			msgKey = "sampleActionCard"
			p["singleTitle"], p["singleURL"] = o.buttons[0].title, o.buttons[0].url
		case 2:
			msgKey = "sampleActionCard6" // two buttons side by side
			for i, b := range o.buttons {
				p[fmt.Sprintf("buttonTitle%d", i+1)] = b.title
				p[fmt.Sprintf("buttonUrl%d", i+1)] = b.url
			}
		default:
			msgKey = fmt.Sprintf("sampleActionCard%d", n)
			for i, b := range o.buttons {
				p[fmt.Sprintf("actionTitle%d", i+1)] = b.title
				p[fmt.Sprintf("actionURL%d", i+1)] = b.url
			}
		}
	default:
		return "", "", fmt.Errorf("dingtalk: cannot send %q", o.kind)
	}
	b, err := marshal(p)
	return msgKey, string(b), err
}

// marshal is json.Marshal without HTML escaping (markdown keeps its < > &).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
