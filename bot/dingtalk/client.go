package dingtalk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ErrThrottled: DingTalk refused a send under flow control (a custom robot
// over 20 messages a minute, members in flowControlledStaffIdList, HTTP
// 429), or our own rate limit held the send back to avoid that. Nothing was
// delivered; send again later.
var ErrThrottled = errors.New("dingtalk: flow-controlled, send again later")

// Custom robot (old API) errcodes that mean flow control (platforms.md §4.3).
var throttleCodes = map[string]bool{"410100": true, "130101": true, "660026": true}

// APIError is a request DingTalk answered with an error.
type APIError struct {
	Op      string // what was being done, e.g. "robot/groupMessages/send"
	Status  int    // HTTP status
	Code    string // DingTalk's errcode (old API) or code (new API)
	Message string

	throttled bool
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("dingtalk %s: HTTP %d", e.Op, e.Status)
	if e.Code != "" {
		s += " code " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Unwrap makes errors.Is(err, ErrThrottled) true for flow control.
func (e *APIError) Unwrap() error {
	if e.throttled {
		return ErrThrottled
	}
	return nil
}

// Temporary reports whether sending again later may succeed.
func (e *APIError) Temporary() bool {
	return e.throttled || e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// newAPIError reads the new API's error body {"code","message"}.
func newAPIError(op string, status int, body []byte) *APIError {
	e := &APIError{Op: op, Status: status, throttled: status == http.StatusTooManyRequests}
	var b struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &b) == nil {
		e.Code, e.Message = b.Code, b.Message
	} else {
		e.Message = clip(strings.TrimSpace(string(body)), 200)
	}
	return e
}

// tokenRejected: the new API does not document which answer means an
// expired or revoked token, so 401 and 403 (and InvalidAuthentication in
// any status) get one refresh and retry.
func (e *APIError) tokenRejected() bool {
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden ||
		strings.EqualFold(e.Code, "InvalidAuthentication")
}

// apiClient calls the new API (api.dingtalk.com) with the app access token,
// cached in memory and in the shared TokenStore.
type apiClient struct {
	base      string
	appKey    string
	appSecret string
	hc        *http.Client
	store     TokenStore // may be nil
	now       func() time.Time
	log       *slog.Logger

	mu  sync.Mutex // held while fetching too: one token request per process at a time
	tok string
	exp time.Time
}

// cachedToken is the TokenStore value.
type cachedToken struct {
	Token     string `json:"token"`
	ExpiresAt int64  `json:"expires_at"` // unix ms, refresh margin already taken off
}

func (c *apiClient) cacheKey() string { return "dingtalk:token:" + c.appKey }

// token returns a valid access token: from memory, the shared store, or a
// new one from /v1.0/oauth2/accessToken. Replicas that refresh at the same
// time get the same token back (DingTalk returns the current token while it
// is valid), so no cross-replica lock is needed.
func (c *apiClient) token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.tok != "" && now.Before(c.exp) {
		return c.tok, nil
	}
	if c.store != nil {
		b, ok, err := c.store.GetState(ctx, c.cacheKey())
		var ct cachedToken
		switch {
		case err != nil:
			c.log.Warn("dingtalk token cache read failed", "err", err)
		case ok && json.Unmarshal(b, &ct) == nil && ct.Token != "" && now.Before(time.UnixMilli(ct.ExpiresAt)):
			c.tok, c.exp = ct.Token, time.UnixMilli(ct.ExpiresAt)
			return c.tok, nil
		}
	}
	tok, life, err := c.fetch(ctx)
	if err != nil {
		return "", err
	}
	if life > 2*tokenMargin {
		life -= tokenMargin
	} else {
		life /= 2
	}
	c.tok, c.exp = tok, now.Add(life)
	c.log.Info("dingtalk access token refreshed", "valid_for", life.String())
	if c.store != nil {
		b, _ := json.Marshal(cachedToken{Token: tok, ExpiresAt: c.exp.UnixMilli()})
		if err := c.store.SetState(ctx, c.cacheKey(), b, life); err != nil {
			c.log.Warn("dingtalk token cache write failed", "err", err)
		}
	}
	return tok, nil
}

// invalidate forgets a token DingTalk rejected, here and in the shared
// store (unless another replica has already replaced it).
func (c *apiClient) invalidate(ctx context.Context, bad string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok == bad {
		c.tok, c.exp = "", time.Time{}
	}
	if c.store == nil {
		return
	}
	b, ok, err := c.store.GetState(ctx, c.cacheKey())
	var ct cachedToken
	if err == nil && ok && json.Unmarshal(b, &ct) == nil && ct.Token != bad {
		return
	}
	if err := c.store.DeleteState(ctx, c.cacheKey()); err != nil {
		c.log.Warn("dingtalk token cache delete failed", "err", err)
	}
}

// fetch asks for a new access token.
func (c *apiClient) fetch(ctx context.Context) (string, time.Duration, error) {
	const op = "oauth2/accessToken"
	body, err := marshal(map[string]string{"appKey": c.appKey, "appSecret": c.appSecret})
	if err != nil {
		return "", 0, err
	}
	status, resp, err := postJSON(ctx, c.hc, c.base+"/v1.0/oauth2/accessToken", nil, body)
	if err != nil {
		return "", 0, fmt.Errorf("dingtalk %s: %w", op, err)
	}
	if status/100 != 2 {
		return "", 0, newAPIError(op, status, resp)
	}
	var t struct {
		AccessToken string `json:"accessToken"`
		ExpireIn    int64  `json:"expireIn"`
	}
	if err := json.Unmarshal(resp, &t); err != nil || t.AccessToken == "" {
		return "", 0, &APIError{Op: op, Status: status, Message: "answer has no accessToken"}
	}
	if t.ExpireIn <= 0 {
		t.ExpireIn = 7200
	}
	return t.AccessToken, time.Duration(t.ExpireIn) * time.Second, nil
}

// call POSTs body to a new-API path with the access token and decodes the
// answer into out (when not nil). A rejected token is refreshed and the
// call made once more.
func (c *apiClient) call(ctx context.Context, op, path string, body, out any) error {
	payload, err := marshal(body)
	if err != nil {
		return err
	}
	for retried := false; ; retried = true {
		tok, err := c.token(ctx)
		if err != nil {
			return err
		}
		h := http.Header{"x-acs-dingtalk-access-token": {tok}}
		status, resp, err := postJSON(ctx, c.hc, c.base+path, h, payload)
		if err != nil {
			return fmt.Errorf("dingtalk %s: %w", op, err)
		}
		if status/100 == 2 {
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(resp, out); err != nil {
				return fmt.Errorf("dingtalk %s: decode answer: %w", op, err)
			}
			return nil
		}
		e := newAPIError(op, status, resp)
		if retried || !e.tokenRejected() {
			return e
		}
		c.log.Info("dingtalk access token rejected, refreshing", "op", op, "status", status, "code", e.Code)
		c.invalidate(ctx, tok)
	}
}

// postJSON sends one JSON POST and reads the answer. Header keys are set
// as given (DingTalk's header names are lower case). Errors never carry the
// URL's query, which may hold a webhook token, sign or session.
func postJSON(ctx context.Context, hc *http.Client, rawURL string, h http.Header, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return 0, nil, redact(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, redact(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, nil, redact(err)
	}
	return resp.StatusCode, b, nil
}

// redact strips the query and fragment from any URL in err.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactURL(ue.URL)
	}
	return err
}

// redactURL keeps scheme, host and path: safe to log.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}
