package wecom

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// AIBotHandler serves the AI bot's callback URL (/wecom/aibot/callback) in
// URL-callback mode: encrypted JSON whose receive id is empty, so the
// SDK's decrypt cannot be used. Messages and card clicks are handled within
// the deadline and answered passively (a finished stream, a button card, or
// the clicked card updated); what does not fit in the passive answer goes to
// the message's response_url (once) or, without one, to the sender through
// the app. Card events are sent only once by WeCom, so they are answered
// within 5 s too.
func (w *WeCom) AIBotHandler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !w.cfg.AIBotEnabled() {
			http.NotFound(rw, r)
			return
		}
		switch r.Method {
		case http.MethodGet:
			w.verifyURL(rw, r, w.cfg.AIBotToken, w.aibotDecrypt)
		case http.MethodPost:
			w.aibotPost(rw, r)
		default:
			rw.Header().Set("Allow", "GET, POST")
			http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

// aibotDecrypt decrypts with the bot's key; the receive id is "" for
// internal bots (the CorpID is tolerated).
func (w *WeCom) aibotDecrypt(b64 string) ([]byte, error) {
	msg, rid, err := decrypt(w.cfg.AIBotAESKey, b64)
	if err != nil {
		return nil, err
	}
	if rid != "" && rid != w.cfg.CorpID {
		return nil, errReceiveID
	}
	return msg, nil
}

func (w *WeCom) aibotPost(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	plain, q, ok := w.open(rw, r, w.aibotURL())
	if !ok {
		return
	}
	var am aibotMessage
	if err := json.Unmarshal(plain, &am); err != nil {
		w.answerRefusal(rw, r, refuse(http.StatusBadRequest, "message is not JSON"))
		return
	}
	m, ok := am.toMessage(w.now())
	if !ok {
		// Stream refresh polls (our streams finish at once), enter_chat,
		// feedback, pictures: nothing to store or say.
		rw.WriteHeader(http.StatusOK)
		return
	}
	w.respond(rw, r, start, m, func(replies []bot.Reply) []bot.Reply {
		passive, rest := w.aibotReplies(m, am.ResponseURL, replies)
		if passive == nil {
			rw.WriteHeader(http.StatusOK)
		} else if err := w.aibotAnswer(rw, q.nonce, *passive); err != nil {
			// Stored already: acknowledge, and say it all as new messages.
			w.log.Error("wecom AI bot passive reply not sent; sending the replies anew", "msg_id", m.ID, "err", err)
			rw.WriteHeader(http.StatusOK)
			return w.anew(m, replies)
		}
		return rest
	})
}

// aibotReplies splits the Handler's replies into the passive answer and the
// replies to send afterwards (aibotPassive); the texts that do not fit in the
// answer go together to the response_url or, without one, to the sender
// through the app.
func (w *WeCom) aibotReplies(m bot.Message, responseURL string, replies []bot.Reply) (*aibotReply, []bot.Reply) {
	here, rest := splitHere(m, replies)
	passive, more := aibotPassive(m, here)
	if more == "" {
		return passive, rest
	}
	to := bot.Destination{Platform: domain.PlatformWeCom, ResponseURL: responseURL, ChatID: m.ChatID}
	if responseURL == "" {
		if w.token == nil {
			w.log.Warn("wecom AI bot reply dropped: no response_url and no app to send it", "msg_id", m.ID)
			return passive, rest
		}
		to = bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID}
	}
	return passive, append(rest, bot.Reply{To: to, Text: more, Markdown: true})
}

// anew readdresses the replies into m's own conversation as new messages
// (its passive answer was lost).
func (w *WeCom) anew(m bot.Message, replies []bot.Reply) []bot.Reply {
	out := make([]bot.Reply, 0, len(replies))
	for _, r := range replies {
		if here, _ := splitHere(m, []bot.Reply{r}); len(here) == 1 {
			r.To = w.freshDest(m)
		}
		out = append(out, r)
	}
	return out
}

// splitHere separates the replies into the message's own conversation from
// those meant elsewhere.
func splitHere(m bot.Message, replies []bot.Reply) (here, elsewhere []bot.Reply) {
	for _, r := range replies {
		to := r.To
		if to.RobotURL == "" && to.ResponseURL == "" && !to.AIBot &&
			(to.UserID == "" || to.UserID == m.UserID) && to.ChatID == m.ChatID {
			here = append(here, r)
		} else {
			elsewhere = append(elsewhere, r)
		}
	}
	return here, elsewhere
}

// aibotPassive merges the replies into one conversation into the one answer
// the AI bot allows per inbound message: a clicked card's update (or else a
// new button card) goes in the answer, texts too when there is no card.
// more is the text that did not fit, to be sent after the answer.
func aibotPassive(m bot.Message, here []bot.Reply) (passive *aibotReply, more string) {
	var texts []string
	for _, r := range here {
		switch {
		case passive == nil && m.Action != nil && r.Update != nil:
			passive = &aibotReply{
				ResponseType: "update_template_card",
				UserIDs:      []string{m.UserID},
				TemplateCard: buttonCard(r.Update.Card, r.Update.CardID),
			}
		case passive == nil && m.Action == nil && interactive(r.Card):
			passive = &aibotReply{MsgType: "template_card", TemplateCard: buttonCard(*r.Card, newTaskID(r.Card.ID))}
		default:
			if t, _ := replyText(r); strings.TrimSpace(t) != "" {
				texts = append(texts, t)
			}
		}
	}
	if len(texts) == 0 {
		return passive, ""
	}
	text := strings.Join(texts, "\n\n")
	if passive == nil && m.Action == nil {
		return &aibotReply{MsgType: "stream", Stream: &aibotStream{
			ID: string(randomAlnum(12)), Finish: true, Content: split(text, aibotMax, 1)[0],
		}}, ""
	}
	return passive, text
}

// aibotAnswer writes an encrypted passive reply: {"encrypt", "msgsignature",
// "timestamp", "nonce"} with the request's nonce. The timestamp is a string,
// as WeCom's own JSON callback library writes it (its doc example shows a
// number; which the server requires is unconfirmed, platforms.md §7).
func (w *WeCom) aibotAnswer(rw http.ResponseWriter, nonce string, reply aibotReply) error {
	plain, err := marshal(reply)
	if err != nil {
		return err
	}
	enc, err := encrypt(w.cfg.AIBotAESKey, "", plain)
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(w.now().Unix(), 10)
	body, err := marshal(struct {
		Encrypt      string `json:"encrypt"`
		MsgSignature string `json:"msgsignature"`
		Timestamp    string `json:"timestamp"`
		Nonce        string `json:"nonce"`
	}{enc, signature(w.cfg.AIBotToken, ts, nonce, enc), ts, nonce})
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.WriteHeader(http.StatusOK)
	_, err = rw.Write(body)
	return err
}
