package bot

import (
	"context"
	"errors"
	"strings"

	"salesbot/domain"
)

// Reply is one outgoing message. Adapters render it in their own wire format;
// the router and jobs never build platform JSON.
type Reply struct {
	To       Destination
	Text     string // plain text, or markdown when Markdown is set
	Markdown bool
	Card     *Card   // when set, platforms with cards show it; others show Text
	Image    *Image  // a picture (charts); Text is the fallback
	Update   *Update // when set, replace an earlier card instead of sending
}

// Destination says where a reply goes: a member privately, or a group.
type Destination struct {
	Platform domain.Platform
	UserID   string // platform user id for a private message
	ChatID   string // group chat id (app group chat, DingTalk conversation)
	// RobotURL and RobotSecret: a team's group robot webhook, used for pushes
	// into a group the app cannot post to itself.
	RobotURL    string
	RobotSecret string
	// ResponseURL: a one-off address the platform gave with the message
	// (WeCom AI bot response_url, DingTalk sessionWebhook).
	ResponseURL string
	// AIBot: WeCom only, send through the AI bot's long connection
	// (aibot_send_msg) to ChatID (a group) or UserID (a private chat)
	// instead of through the app.
	AIBot bool
}

// Group reports whether the destination is a group.
func (d Destination) Group() bool { return d.ChatID != "" || d.RobotURL != "" }

// Card is a message with fields and buttons (WeCom template card, DingTalk
// action card).
type Card struct {
	ID      string // our id for the card, so a later Update can find it
	Title   string
	Fields  []Field
	Note    string // small print under the fields
	Buttons []Button
	Final   string // when set, the card is in its final state: no buttons, this label instead
}

// Field is one "label: value" line of a card.
type Field struct {
	Label string
	Value string
}

// Button is a card button; Key comes back in CardAction.Key when clicked.
type Button struct {
	Key   string
	Text  string
	Style string // "primary", "danger" or ""
}

// Image is a PNG picture.
type Image struct {
	PNG []byte
	Alt string
}

// VoidNote is said under a card sent anew because the platform could not
// update the earlier one in place.
const VoidNote = "（以此为准，之前的卡片已作废）"

// Update replaces a card the platform knows by CardID.
type Update struct {
	CardID string
	Card   Card
}

// Sender delivers replies and pushes on one platform.
type Sender interface {
	Send(ctx context.Context, r Reply) error
}

// ErrNotSupported: the platform cannot do this (e.g. update a sent card).
var ErrNotSupported = errors.New("not supported by this platform")

// Senders routes each reply to the sender of its platform.
type Senders map[domain.Platform]Sender

// Send delivers r through the sender of r.To.Platform.
func (s Senders) Send(ctx context.Context, r Reply) error {
	snd, ok := s[r.To.Platform]
	if !ok {
		return errors.New("no sender for platform " + string(r.To.Platform))
	}
	return snd.Send(ctx, r)
}

// PlainText renders a reply as plain text: the text, then a card's title,
// fields and buttons. Adapters without cards use it.
func PlainText(r Reply) string {
	c := r.Card
	if r.Update != nil {
		c = &r.Update.Card
	}
	if c == nil {
		return r.Text
	}
	return CardText(*c)
}

// CardText renders a card as plain text lines.
func CardText(c Card) string {
	s := c.Title
	for _, f := range c.Fields {
		if f.Value == "" {
			continue
		}
		s += "\n" + f.Label + "：" + f.Value
	}
	if c.Note != "" {
		s += "\n" + c.Note
	}
	if c.Final != "" {
		s += "\n【" + c.Final + "】"
	} else if len(c.Buttons) > 0 {
		s += "\n"
		for i, b := range c.Buttons {
			if i > 0 {
				s += " / "
			}
			s += "[" + b.Text + "]"
		}
	}
	return s
}

// markdownEscaper makes text show as written inside markdown: marks are
// backslash-escaped and angle brackets become entities, so a customer named
// "<b>A</b>*B*" is neither bold nor an HTML tag.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "#", `\#`,
	"<", "&lt;", ">", "&gt;",
)

// EscapeMarkdown escapes text a person wrote (names, notes) for a markdown
// message; adapters call it on card titles and values they put in markdown.
func EscapeMarkdown(s string) string { return markdownEscaper.Replace(s) }
