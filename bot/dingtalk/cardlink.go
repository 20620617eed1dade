package dingtalk

import (
	"net/url"
	"strings"

	"salesbot/bot"
)

// Action cards on DingTalk cannot call back: a button is a link that makes
// the client send a text as the member's own message. So that a click acts
// on the card it was on (not on whatever record is newest), the text carries
// the button's key after a marker: "撤销 #undo:42:3". An incoming text of
// exactly that shape is turned back into a card action.

const keyMarker = " #"

// buttonText is what clicking b sends.
func buttonText(b bot.Button) string {
	if b.Key == "" {
		return b.Text
	}
	return b.Text + keyMarker + b.Key
}

// sendMessageLink is a link that, clicked in a DingTalk chat, sends text as
// the member's message.
func sendMessageLink(text string) string {
	return "dtmd://dingtalkclient/sendMessage?content=" + strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
}

// actionOf reads a button's text back: the key, when text is "<label> #<key>"
// with a label of at most eight characters and a key with no spaces.
func actionOf(text string) (*bot.CardAction, bool) {
	label, key, ok := strings.Cut(text, keyMarker)
	if !ok || label == "" || len([]rune(label)) > 8 || key == "" || strings.ContainsAny(key, " \t\n#") {
		return nil, false
	}
	return &bot.CardAction{Key: key}, true
}
