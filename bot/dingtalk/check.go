package dingtalk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/coder/websocket"
)

// What `salesbot check` asks of the adapter. None of these sends anything
// to a member.

// CheckToken fetches a new access token with the app's credentials (never
// a cached one).
func (d *DingTalk) CheckToken(ctx context.Context) error {
	_, _, err := d.api.fetch(ctx)
	return err
}

// CheckStream opens the Stream gateway, connects the WebSocket and closes
// it again.
func (d *DingTalk) CheckStream(ctx context.Context) error {
	conn, err := d.dialStream(ctx)
	if err != nil {
		return err
	}
	return conn.Close(websocket.StatusNormalClosure, "check done")
}

// CallbackProbeError: the callback URL answered the probe, but not as a
// salesbot with this app secret would.
type CallbackProbeError struct {
	URL    string
	Status int
	Body   string
}

func (e *CallbackProbeError) Error() string {
	return fmt.Sprintf("%s answered HTTP %d: %s", e.URL, e.Status, e.Body)
}

// CheckCallback calls callbackURL the way DingTalk does, signed with the
// app secret, with a payload that carries no message: a salesbot with the
// same secret refuses it as a bad payload (400) without handling anything.
// Any other answer is a *CallbackProbeError; an unreachable URL the
// transport's error.
func (d *DingTalk) CheckCallback(ctx context.Context, callbackURL string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callbackURL, bytes.NewReader([]byte(`{"msgtype":"text"}`)))
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(d.now().UnixMilli(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("timestamp", ts)
	req.Header.Set("sign", sign(d.cfg.AppSecret, ts))
	resp, err := d.hc.Do(req)
	if err != nil {
		return redact(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	body := strings.TrimSpace(string(b))
	if resp.StatusCode == http.StatusBadRequest && body == "bad payload" {
		return nil
	}
	return &CallbackProbeError{URL: redactURL(callbackURL), Status: resp.StatusCode, Body: clip(body, 120)}
}
