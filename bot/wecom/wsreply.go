package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// Answers and pushes over the AI bot's long connection.

// onFrame handles one message or card click from the socket: the shared
// pipeline, then the answer on the socket with the frame's req_id. When
// that answer cannot be sent (the connection dropped meanwhile, WeCom
// refused it), the same replies go out as new messages instead.
func (w *WeCom) onFrame(s *socket, f frame) {
	var am aibotMessage
	if err := json.Unmarshal(f.Body, &am); err != nil {
		w.log.Warn("wecom AI bot frame is not a message", "cmd", f.Cmd, "err", err)
		w.countFrame(frameBad)
		return
	}
	m, ok := am.toMessage(w.now())
	if !ok {
		w.countFrame(frameIgnored)
		return // enter_chat, feedback, pictures: nothing to store or say
	}
	log := w.log.With("msg_id", m.ID, "user_id", m.UserID, "chat_id", m.ChatID)
	replies, err := w.handle(context.Background(), m)
	if err != nil {
		logUnhandled(log, err) // not answered: WeCom may deliver it again
		w.countFrame(frameNotAcked)
		return
	}
	w.countFrame(frameAcked)
	here, rest := splitHere(m, replies)
	passive, more := aibotPassive(m, here)
	if passive != nil {
		cmd := cmdRespondMsg
		if passive.ResponseType == "update_template_card" {
			cmd = cmdRespondUpdate
		}
		ctx, cancel := context.WithTimeout(context.Background(), w.cfg.HandleTimeout)
		err := s.request(ctx, cmd, f.Headers.ReqID, passive)
		cancel()
		if err != nil {
			log.Warn("wecom AI bot answer not sent on the connection; sending it as a new message", "cmd", cmd, "err", err)
			to := aibotDest(m)
			for _, r := range here {
				r.To = to
				rest = append(rest, r)
			}
			more = ""
		}
	}
	if more != "" {
		rest = append(rest, bot.Reply{To: aibotDest(m), Text: more, Markdown: true})
	}
	w.deliver(m, rest, log)
}

// aibotDest is the conversation of m, reached through aibot_send_msg.
func aibotDest(m bot.Message) bot.Destination {
	d := bot.Destination{Platform: domain.PlatformWeCom, AIBot: true, ChatID: m.ChatID}
	if m.ChatID == "" {
		d.UserID = m.UserID
	}
	return d
}

// sendAIBot pushes a reply through the long connection (aibot_send_msg):
// to a group by its chatid, or privately by userid.
func (w *WeCom) sendAIBot(ctx context.Context, r bot.Reply) error {
	body, err := aibotMessageOf(r)
	if err != nil {
		return err
	}
	body.ChatID = r.To.ChatID
	if body.ChatID == "" {
		body.ChatID = r.To.UserID
	}
	if body.ChatID == "" {
		return errors.New("wecom: AI bot push without chat or user")
	}
	for {
		s, err := w.waitLive(ctx)
		if err != nil {
			return err
		}
		// A connection that ended under us did not take the push: the
		// next one will.
		if err := s.request(ctx, cmdSendMsg, newReqID(cmdSendMsg), body); !errors.Is(err, errNotSent) {
			return err
		}
	}
}

// setLive records the connection pushes go through (nil: none).
func (w *WeCom) setLive(s *socket) {
	w.liveMu.Lock()
	defer w.liveMu.Unlock()
	w.live = s
	close(w.liveCh)
	w.liveCh = make(chan struct{})
}

// waitLive returns the live connection, waiting up to SendWait for one.
func (w *WeCom) waitLive(ctx context.Context) (*socket, error) {
	if !w.cfg.LongConn.Enabled() {
		return nil, ErrNotConnected
	}
	t := time.NewTimer(w.cfg.LongConn.SendWait)
	defer t.Stop()
	for {
		w.liveMu.Lock()
		s, changed := w.live, w.liveCh
		w.liveMu.Unlock()
		if s != nil && !s.ended() {
			return s, nil
		}
		select {
		case <-changed:
		case <-t.C:
			return nil, ErrNotConnected
		case <-ctx.Done():
			return nil, ErrNotConnected
		}
	}
}
