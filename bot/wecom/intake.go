package wecom

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// One pipeline for every way into WeCom. Each entry point only decodes:
//
//	app callback       signature → body → decrypt (XML)  ┐
//	AI bot callback    signature → body → decrypt (JSON) ├→ toMessage → handle → answer
//	AI bot long conn.  WebSocket frame (JSON)            ┘
//
// handle is the shared part: the Router de-duplicates, registers an unknown
// sender (after its claim, so a redelivery never repeats the address-book
// call), stores and answers; the entry point then acknowledges in its own
// way (an HTTP status and passive reply, or a frame on the socket).

// handle runs the Handler on a decoded message within HandleTimeout. It does
// not stop when the platform hangs up: finishing lets a redelivery find the
// message done.
func (w *WeCom) handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.cfg.HandleTimeout)
	defer cancel()
	if _, seen := w.chats.LoadOrStore(m.ChatID, true); !seen && m.ChatID != "" {
		// Admins copy this id into a team's wecom_chat_id (README).
		w.log.Info("wecom group chat heard for the first time since start", "chat_id", m.ChatID, "user_id", m.UserID)
	}
	if w.members != nil && w.token != nil && m.UserID != "" {
		user := m.UserID
		m.Enroll = func(ctx context.Context) error { return w.ensureMember(ctx, user) }
	}
	return w.h.Handle(ctx, m)
}

// sealedURL says how one callback URL's POST bodies are opened.
type sealedURL struct {
	token    string
	envelope func(body []byte) (encrypted string, ok bool)
	decrypt  func(encrypted string) ([]byte, error)
}

// appURL opens the self-built app's XML envelopes.
func (w *WeCom) appURL() sealedURL {
	return sealedURL{
		token: w.cfg.Token,
		envelope: func(b []byte) (string, bool) {
			var env envelope
			return env.Encrypt, xml.Unmarshal(b, &env) == nil && env.Encrypt != ""
		},
		decrypt: func(enc string) ([]byte, error) { return decryptApp(w.cfg.AESKey, w.cfg.CorpID, enc) },
	}
}

// aibotURL opens the AI bot's JSON envelopes.
func (w *WeCom) aibotURL() sealedURL {
	return sealedURL{
		token: w.cfg.AIBotToken,
		envelope: func(b []byte) (string, bool) {
			var env struct {
				Encrypt string `json:"encrypt"`
			}
			return env.Encrypt, json.Unmarshal(b, &env) == nil && env.Encrypt != ""
		},
		decrypt: w.aibotDecrypt,
	}
}

// open checks the query, reads the body, checks the signature over the
// ciphertext and decrypts it. When it fails it has answered the request.
func (w *WeCom) open(rw http.ResponseWriter, r *http.Request, u sealedURL) (plain []byte, s signed, ok bool) {
	s, f := signedQuery(r)
	if f != nil {
		w.answerRefusal(rw, r, f)
		return nil, s, false
	}
	body, f := readBody(rw, r)
	if f != nil {
		w.answerRefusal(rw, r, f)
		return nil, s, false
	}
	enc, ok := u.envelope(body)
	if !ok {
		w.answerRefusal(rw, r, refuse(http.StatusBadRequest, "body is not a WeCom envelope"))
		return nil, s, false
	}
	if f := w.authenticate(u.token, s, enc); f != nil {
		w.answerRefusal(rw, r, f)
		return nil, s, false
	}
	plain, err := u.decrypt(enc)
	if err != nil {
		status := http.StatusBadRequest
		if err == errReceiveID {
			status = http.StatusForbidden
		}
		w.answerRefusal(rw, r, refuse(status, err.Error()))
		return nil, s, false
	}
	return plain, s, true
}

// respond runs a decoded callback through the pipeline. Handled: answer
// writes the acknowledgement and returns the replies still to send, which
// go out afterwards. Not handled: the delivery is not acknowledged.
func (w *WeCom) respond(rw http.ResponseWriter, r *http.Request, start time.Time, m bot.Message, answer func([]bot.Reply) []bot.Reply) {
	log := w.log.With("msg_id", m.ID, "user_id", m.UserID, "chat_id", m.ChatID)
	replies, err := w.handle(r.Context(), m)
	if err != nil {
		w.unhandled(rw, r, start, err, log)
		return
	}
	w.deliver(m, answer(replies), log)
}

// unhandled answers a delivery the Handler did not store. It is not
// acknowledged: the answer is held until WeCom's deadline has passed, so
// WeCom sees a timeout and delivers again (a quick 5xx may not be retried).
func (w *WeCom) unhandled(rw http.ResponseWriter, r *http.Request, start time.Time, err error, log *slog.Logger) {
	logUnhandled(log, err)
	t := time.NewTimer(time.Until(start.Add(w.cfg.FailHold)))
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
	http.Error(rw, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
}

func logUnhandled(log *slog.Logger, err error) {
	if errors.Is(err, bot.ErrBusy) {
		log.Warn("wecom delivery busy elsewhere; not acknowledged", "err", err)
	} else {
		log.Error("wecom delivery not handled; not acknowledged", "err", err)
	}
}

// deliver sends replies after the delivery was answered; those WeCom does
// not take now are queued (bot.Replier).
func (w *WeCom) deliver(m bot.Message, replies []bot.Reply, log *slog.Logger) {
	if len(replies) == 0 {
		return
	}
	p := bot.Replier{Sender: w, Queue: w.replies, Lasting: w.lasting(m), Log: log}
	w.background(func(ctx context.Context) { p.Deliver(ctx, m, replies) })
}

// lasting is where a reply to m goes when it is sent later: a response_url
// is single-use and expires within the hour, so such a reply goes as a new
// message, through the AI bot's long connection when there is one, else
// privately through the app.
func (w *WeCom) lasting(m bot.Message) func(bot.Reply) bot.Reply {
	return func(r bot.Reply) bot.Reply {
		if r.To.ResponseURL != "" {
			r.To = w.freshDest(m)
		}
		return r
	}
}

// freshDest is where a new message to m's sender goes when the one-off
// answer to m can no longer be used.
func (w *WeCom) freshDest(m bot.Message) bot.Destination {
	if w.cfg.LongConn.Enabled() {
		return aibotDest(m)
	}
	return bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID}
}
