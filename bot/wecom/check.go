package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/coder/websocket"
)

// ErrDial: the AI bot's long-connection endpoint could not be reached.
var ErrDial = errors.New("cannot reach the WeCom AI bot long-connection endpoint")

// CheckToken fetches a fresh access token for the self-built app
// (gettoken), bypassing the cache, and reports WeCom's refusal as an
// *APIError (40001 bad secret, 40013 bad corp id, 60020 IP not trusted, …).
// `salesbot check` uses it; it sends nothing to anyone.
func (w *WeCom) CheckToken(ctx context.Context) error {
	if !w.cfg.AppEnabled() {
		return errAppOff
	}
	q := url.Values{"corpid": {w.cfg.CorpID}, "corpsecret": {w.cfg.Secret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.cfg.APIBase+"/cgi-bin/gettoken?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	raw, err := w.roundTrip(req)
	if err != nil {
		return fmt.Errorf("wecom gettoken: %w", err)
	}
	var ans struct {
		ErrCode     int64  `json:"errcode"`
		ErrMsg      string `json:"errmsg"`
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return errors.New("wecom gettoken: answer is not JSON")
	}
	if ans.ErrCode != 0 {
		return &APIError{API: "gettoken", Code: ans.ErrCode, Message: ans.ErrMsg}
	}
	if ans.AccessToken == "" {
		return errors.New("wecom gettoken: no access_token in the answer")
	}
	return nil
}

// ErrHeldElsewhere: a running salesbot replica holds the AI bot's long
// connection (its lease), so the check does not open a second one, which
// would replace it.
var ErrHeldElsewhere = errors.New("the AI bot's long connection is held by a running salesbot")

// CheckLongConnection opens the AI bot's long connection, subscribes with
// the bot id and secret and closes it again, under the same lease as the
// running replicas: when one of them holds it, it returns
// ErrHeldElsewhere and leaves its connection alone. A refused
// subscription is an *APIError (853000: bad bot id or secret); an
// unreachable endpoint wraps ErrDial.
func (w *WeCom) CheckLongConnection(ctx context.Context) error {
	lc := w.cfg.LongConn
	if !lc.Enabled() {
		return errors.New("wecom: the AI bot's long connection is not configured")
	}
	held, err := w.holdLease(ctx, func(ctx context.Context) error {
		c, _, err := websocket.Dial(ctx, lc.URL, nil)
		if err != nil {
			return fmt.Errorf("%w (%s): %v", ErrDial, lc.URL, err)
		}
		s := newSocket(c)
		defer s.close(errConnClosed)
		go s.writeLoop()
		go s.readLoop(func(frame) {}) // nothing is handled here
		return s.request(ctx, cmdSubscribe, newReqID(cmdSubscribe), subscribeBody{BotID: lc.BotID, Secret: lc.Secret})
	})
	if !held && err == nil {
		return ErrHeldElsewhere
	}
	return err
}
