package dingtalk

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"salesbot/bot"
)

// CallbackHandler serves POST /dingtalk/callback, the app robot's HTTP
// callback (platforms.md §4.1), for private chats and group @-mentions.
//
// Refused without calling the Handler: another method (405), a missing,
// stale (more than an hour off) or wrong signature (403), a body over 1 MiB
// (413), bad JSON or a payload without msgId or conversation (400).
//
// The Handler gets about 4 s. When it fails (bot.ErrBusy included) the
// answer is 5xx, so the delivery is not taken as handled. On success the
// answer is 200 {"msgtype":"empty"}, written and flushed first; then the
// replies go out through the sessionWebhook (the passive-reply body is not
// officially documented, the sessionWebhook is), still inside this
// request, so that server shutdown waits for them.
func (d *DingTalk) CallbackHandler() http.Handler {
	return http.HandlerFunc(d.serveCallback)
}

func (d *DingTalk) serveCallback(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// The signature covers only the timestamp and the app secret, so it is
	// checked before the body is read.
	if err := verifyCallback(d.cfg.AppSecret, r.Header.Get("timestamp"), r.Header.Get("sign"), d.now()); err != nil {
		d.log.Warn("dingtalk callback refused", "reason", err.Error(), "remote", r.RemoteAddr)
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallbackBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.log.Warn("dingtalk callback refused", "reason", "body too large")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	dl, ok, err := d.decodeMessage(body)
	if err != nil {
		d.log.Warn("dingtalk callback refused", "reason", err.Error(), "msg_id", dl.m.ID)
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	log := d.logger(dl.m)
	if !ok {
		log.Debug("dingtalk group message without @bot ignored")
		writeEmpty(w)
		return
	}
	replies, err := d.handle(r.Context(), dl)
	switch {
	case errors.Is(err, errNoHandler):
		http.Error(w, "not accepting messages", http.StatusServiceUnavailable)
		return
	case errors.Is(err, bot.ErrBusy):
		log.Info("dingtalk message busy elsewhere, not acknowledged")
		w.Header().Set("Retry-After", "5")
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	case err != nil:
		log.Error("dingtalk message not handled", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeEmpty(w)
	// Replies go out after the answer, still inside this request so that
	// server shutdown waits for them.
	d.deliver(r.Context(), dl.m, replies, log)
}

// writeEmpty answers 200 with "no inline reply" and flushes it, with a
// Content-Length so that DingTalk has the whole answer right away.
func writeEmpty(w http.ResponseWriter) {
	const body = `{"msgtype":"empty"}`
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, body)
	_ = http.NewResponseController(w).Flush()
}
