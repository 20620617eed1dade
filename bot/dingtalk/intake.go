package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"salesbot/bot"
)

// The one intake path of the app robot. The HTTP callback and the Stream
// connection differ only in how a delivery arrives and how it is
// acknowledged; after decoding both go through the same steps:
//
//	decode → bot.Message → Handler (de-duplicate, identify, store) → acknowledge → replies
//
// A delivery is acknowledged only when the Handler returned nil, so that
// DingTalk delivers again what a failure or a crash lost; the Router's
// de-duplication keeps a redelivery (on any replica) to one record.

// delivery is one decoded message: what the Handler gets and where its
// replies go.
type delivery struct {
	m bot.Message
	// session is the sessionWebhook as a Destination.ResponseURL, "" when
	// there is none (card clicks).
	session string
}

// errNoHandler: the adapter was built without a Handler (a process that
// only sends).
var errNoHandler = errors.New("dingtalk: not accepting messages")

// decodeMessage decodes a robot message (the callback body, or a Stream
// frame's data). ok is false for a group message that does not @-mention
// the bot: it is acknowledged without being handled.
func (d *DingTalk) decodeMessage(body []byte) (dl delivery, ok bool, err error) {
	var cb callback
	if err := json.Unmarshal(body, &cb); err != nil {
		return dl, false, fmt.Errorf("%w: %v", errBadPayload, err)
	}
	m, ok, err := cb.message(d.now())
	if err != nil || !ok {
		return delivery{m: m}, false, err
	}
	return delivery{m: m, session: cb.session()}, true, nil
}

// handle runs the Handler on one delivery within handleTimeout and
// addresses its replies. A nil error means the delivery was durably handled
// and may be acknowledged.
func (d *DingTalk) handle(ctx context.Context, dl delivery) ([]bot.Reply, error) {
	if d.h == nil {
		return nil, errNoHandler
	}
	ctx, cancel := context.WithTimeout(ctx, handleTimeout)
	defer cancel()
	replies, err := d.h.Handle(ctx, dl.m)
	if err != nil {
		return nil, err
	}
	for i := range replies {
		replies[i] = replyTo(replies[i], dl.m, dl.session)
	}
	return replies, nil
}

// deliver sends a handled delivery's replies, after DingTalk has been
// answered; those DingTalk does not take now are queued (bot.Replier). It
// goes on when ctx ends (DingTalk hung up, the connection dropped): the
// message is stored and its replies are due.
func (d *DingTalk) deliver(ctx context.Context, m bot.Message, replies []bot.Reply, log *slog.Logger) {
	if len(replies) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyTimeout)
	defer cancel()
	p := bot.Replier{Sender: d.Sender(), Queue: d.queue, Lasting: lasting, Log: log}
	p.Deliver(ctx, m, replies)
}

// lasting is a reply as it is queued: without the sessionWebhook, which
// expires (and is a bearer address, not to be stored); it goes later as a
// new message through the robot API to the member or the group.
func lasting(r bot.Reply) bot.Reply {
	if r.To.UserID != "" || r.To.ChatID != "" || r.To.RobotURL != "" {
		r.To.ResponseURL = ""
	}
	return r
}

// logger is the adapter's logger with a delivery's ids.
func (d *DingTalk) logger(m bot.Message) *slog.Logger {
	return d.log.With("msg_id", m.ID, "user_id", m.UserID, "chat_id", m.ChatID)
}

// decodeCard decodes a card callback (a Stream frame's data).
func (d *DingTalk) decodeCard(body []byte) (delivery, error) {
	var cc cardCallback
	if err := json.Unmarshal(body, &cc); err != nil {
		return delivery{}, fmt.Errorf("%w: %v", errBadPayload, err)
	}
	m, err := cc.message(d.now())
	return delivery{m: m}, err
}
