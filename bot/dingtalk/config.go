package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"salesbot/bot"
)

// Default API origins (platforms.md §4): the new API serves tokens and the
// robot send APIs, the old API hosts custom robot webhooks.
const (
	DefaultAPIBase  = "https://api.dingtalk.com"
	DefaultOAPIBase = "https://oapi.dingtalk.com"
)

// Config is the enterprise app robot's configuration. Main fills it from
// SALESBOT_DINGTALK_APP_KEY, _APP_SECRET, _ROBOT_CODE, _API_BASE and
// _OAPI_BASE.
type Config struct {
	AppKey    string // ClientID; also the default robot code
	AppSecret string // ClientSecret: signs callbacks, obtains access tokens
	RobotCode string // "" means AppKey
	APIBase   string // new API origin; "" means DefaultAPIBase
	OAPIBase  string // old API origin (custom robot webhooks); "" means DefaultOAPIBase
}

// LogValue keeps the app secret out of logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("app_key", c.AppKey),
		slog.String("app_secret", mask(c.AppSecret)),
		slog.String("robot_code", c.RobotCode),
		slog.String("api_base", c.APIBase),
		slog.String("oapi_base", c.OAPIBase),
	)
}

// String keeps the app secret out of fmt output.
func (c Config) String() string {
	return fmt.Sprintf("{AppKey:%s AppSecret:%s RobotCode:%s APIBase:%s OAPIBase:%s}",
		c.AppKey, mask(c.AppSecret), c.RobotCode, c.APIBase, c.OAPIBase)
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

// withDefaults fills the optional fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	if c.AppKey == "" {
		return c, errors.New("dingtalk: AppKey is required")
	}
	if c.AppSecret == "" {
		return c, errors.New("dingtalk: AppSecret is required")
	}
	if c.RobotCode == "" {
		c.RobotCode = c.AppKey
	}
	var err error
	if c.APIBase, err = baseURL(c.APIBase, DefaultAPIBase); err != nil {
		return c, fmt.Errorf("dingtalk: APIBase: %w", err)
	}
	if c.OAPIBase, err = baseURL(c.OAPIBase, DefaultOAPIBase); err != nil {
		return c, fmt.Errorf("dingtalk: OAPIBase: %w", err)
	}
	return c, nil
}

// baseURL checks an API origin and drops a trailing slash.
func baseURL(s, def string) (string, error) {
	if s == "" {
		return def, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) origin", s)
	}
	return strings.TrimRight(s, "/"), nil
}

// TokenStore caches the app access token where every replica can read it.
// *kv.KV satisfies it.
type TokenStore interface {
	GetState(ctx context.Context, key string) (val []byte, ok bool, err error)
	SetState(ctx context.Context, key string, val []byte, ttl time.Duration) error
	DeleteState(ctx context.Context, key string) error
}

// RateLimiter counts one event for key and reports whether it fits within
// limit events per fixed window. *kv.KV satisfies it.
type RateLimiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// Deps are the adapter's collaborators. Every field is optional.
type Deps struct {
	// Tokens shares the access token between replicas; nil keeps it in
	// this process only.
	Tokens TokenStore
	// Limiter enforces custom robots' send rate across replicas; nil uses
	// an in-process limiter.
	Limiter RateLimiter
	// HTTPClient makes every outgoing request; nil uses a client with a
	// 10 s timeout.
	HTTPClient *http.Client
	// Now is the clock (signatures, expiry checks); nil uses time.Now.
	Now func() time.Time
	// Replies keeps the replies DingTalk did not take at once, to be sent
	// later (the outbox); nil: such a reply is only logged.
	Replies bot.ReplyQueue
}

func (d Deps) withDefaults() Deps {
	if d.HTTPClient == nil {
		// Replies to many members go to the same few hosts (oapi's
		// sessionWebhooks, api's robot sends): keep enough connections
		// open to them rather than a TLS handshake per reply.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxIdleConnsPerHost
		d.HTTPClient = &http.Client{Timeout: httpTimeout, Transport: t}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Limiter == nil {
		d.Limiter = newMemLimiter(d.Now)
	}
	return d
}
