package wecom

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"salesbot/bot"
)

// CallbackHandler serves the self-built app's callback URL
// (/wecom/callback): GET is the URL-verification handshake, POST an
// encrypted message or event. A POST is acknowledged (200, empty body) only
// after the Handler has stored it; replies then go out through the app
// message API. Forged, stale, malformed or oversized requests are refused
// before anything is decoded past the envelope or stored.
func (w *WeCom) CallbackHandler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !w.cfg.AppEnabled() {
			http.NotFound(rw, r)
			return
		}
		switch r.Method {
		case http.MethodGet:
			w.verifyURL(rw, r, w.cfg.Token, func(echo string) ([]byte, error) {
				return decryptApp(w.cfg.AESKey, w.cfg.CorpID, echo)
			})
		case http.MethodPost:
			w.appPost(rw, r)
		default:
			rw.Header().Set("Allow", "GET, POST")
			http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

// signed are the query parameters every callback carries.
type signed struct {
	sig, timestamp, nonce string
}

// refusal is a request refused before it reaches the Handler.
type refusal struct {
	status int
	reason string
}

func (e *refusal) Error() string { return e.reason }

func refuse(status int, reason string) *refusal { return &refusal{status, reason} }

// signedQuery reads msg_signature, timestamp and nonce.
func signedQuery(r *http.Request) (signed, *refusal) {
	q := r.URL.Query()
	s := signed{sig: q.Get("msg_signature"), timestamp: q.Get("timestamp"), nonce: q.Get("nonce")}
	if s.sig == "" {
		return s, refuse(http.StatusForbidden, "missing msg_signature")
	}
	if s.timestamp == "" || s.nonce == "" {
		return s, refuse(http.StatusBadRequest, "missing timestamp or nonce")
	}
	if _, err := strconv.ParseInt(s.timestamp, 10, 64); err != nil {
		return s, refuse(http.StatusBadRequest, "timestamp is not a number")
	}
	return s, nil
}

// authenticate checks the signature over encrypted and the freshness of
// the (signed) timestamp.
func (w *WeCom) authenticate(token string, s signed, encrypted string) *refusal {
	if checkSignature(token, s.timestamp, s.nonce, encrypted, s.sig) != nil {
		return refuse(http.StatusForbidden, "bad msg_signature")
	}
	ts, _ := strconv.ParseInt(s.timestamp, 10, 64)
	if d := w.now().Sub(time.Unix(ts, 0)); d > w.cfg.MaxSkew || d < -w.cfg.MaxSkew {
		return refuse(http.StatusForbidden, "stale timestamp")
	}
	return nil
}

// readBody reads at most maxBody bytes.
func readBody(rw http.ResponseWriter, r *http.Request) ([]byte, *refusal) {
	if r.ContentLength > maxBody {
		return nil, refuse(http.StatusRequestEntityTooLarge, "body too large")
	}
	b, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, refuse(http.StatusRequestEntityTooLarge, "body too large")
	}
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "cannot read body")
	}
	return b, nil
}

// answerRefusal logs and answers a refused request.
func (w *WeCom) answerRefusal(rw http.ResponseWriter, r *http.Request, f *refusal) {
	w.log.Warn("wecom callback refused", "path", r.URL.Path, "status", f.status, "reason", f.reason)
	http.Error(rw, http.StatusText(f.status), f.status)
}

// verifyURL answers the GET handshake: check the signature over echostr,
// decrypt it, answer the plaintext. No database work (1 s deadline).
func (w *WeCom) verifyURL(rw http.ResponseWriter, r *http.Request, token string, dec func(string) ([]byte, error)) {
	s, f := signedQuery(r)
	if f != nil {
		w.answerRefusal(rw, r, f)
		return
	}
	echo := fixPlus(r.URL.Query().Get("echostr"))
	if echo == "" {
		w.answerRefusal(rw, r, refuse(http.StatusBadRequest, "missing echostr"))
		return
	}
	if f := w.authenticate(token, s, echo); f != nil {
		w.answerRefusal(rw, r, f)
		return
	}
	plain, err := dec(echo)
	if err != nil {
		w.answerRefusal(rw, r, refuse(http.StatusBadRequest, err.Error()))
		return
	}
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Write(plain)
}

// appPost handles one encrypted app callback: acknowledged with an empty
// 200 once stored; replies then go out through the app message API.
func (w *WeCom) appPost(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	plain, _, ok := w.open(rw, r, w.appURL())
	if !ok {
		return
	}
	var am appMessage
	if err := xml.Unmarshal(xmlChars(plain), &am); err != nil {
		w.answerRefusal(rw, r, refuse(http.StatusBadRequest, "message is not XML"))
		return
	}
	m, ok := am.toMessage()
	if !ok {
		rw.WriteHeader(http.StatusOK) // an event or message type the bot ignores
		return
	}
	if m.Action != nil && am.TaskID != "" && am.ResponseCode != "" {
		// The click's code updates the card (single use, 72 h).
		w.saveCard(context.WithoutCancel(r.Context()), am.TaskID, cardState{Code: am.ResponseCode, User: m.UserID})
	}
	w.respond(rw, r, start, m, func(replies []bot.Reply) []bot.Reply {
		rw.WriteHeader(http.StatusOK)
		return replies
	})
}
