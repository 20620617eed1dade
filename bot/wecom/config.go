// Package wecom connects salesbot to WeCom (企业微信): the self-built app's
// callback (private chats with the app, template-card clicks), the AI bot
// (智能机器人, @-mentions in groups) in URL-callback mode and in
// long-connection mode (an outbound WebSocket, longconn.go), one intake
// pipeline for all three (intake.go), and a bot.Sender for app messages, app
// group chats, group robot webhooks, AI bot response_url replies and AI bot
// pushes over the long connection.
//
// It uses github.com/silenceper/wechat/v2 (v2.1.14) where it helps: the
// signature and AES helpers of its util package, its access-token handle and
// cache interface. The SDK has no app callback handler and no template-card
// types, escapes HTML in the JSON it sends and cannot decrypt the AI bot's
// empty receive id; this package writes those parts itself. Only the SDK's
// sub-packages are imported: its root package's init() reconfigures logrus.
//
// The SDK's HTTP hooks (util.SetURIModifier, util.DefaultHTTPClient) are
// process-wide variables. Only the token fetch goes through them; main sets
// them once with ConfigureSDK(SALESBOT_WECOM_API_BASE, …) before New. All
// other calls are made here with Config.APIBase and Deps.HTTPClient, per
// instance.
//
// Wiring (cmd/salesbot):
//
//	wecom.ConfigureSDK(cfg.APIBase, nil)  // once, process-wide
//	wc, err := wecom.New(cfg, router, wecom.Deps{State: kv, Limiter: kv, Members: svc}, log)
//	mux.Handle("/wecom/callback", wc.CallbackHandler())
//	mux.Handle("/wecom/aibot/callback", wc.AIBotHandler())
//	go wc.RunLongConnection(ctx)           // when Config.LongConn is set; Deps.Leases elect one replica
//	senders[domain.PlatformWeCom] = wc.Sender()
//	defer wc.Close(shutdownCtx)
package wecom

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/credential"

	"salesbot/bot"
	"salesbot/domain"
)

// DefaultAPIBase is WeCom's API origin.
const DefaultAPIBase = "https://qyapi.weixin.qq.com"

// Config holds the WeCom settings (SALESBOT_WECOM_*). The self-built app is on
// when CorpID, Secret, Token and AESKey are set; the AI bot is on when
// AIBotToken and AIBotAESKey are set.
type Config struct {
	CorpID  string // 企业ID (ww…); also the receive id inside app ciphertexts
	AgentID int64  // the self-built app's AgentId
	Secret  string // the app's Secret (gettoken)
	Token   string // callback Token of the app
	AESKey  string // callback EncodingAESKey of the app (43 characters)

	AIBotToken  string // AI bot callback Token
	AIBotAESKey string // AI bot callback EncodingAESKey (43 characters)

	// LongConn is the AI bot in long-connection mode: on when its BotID and
	// Secret are set.
	LongConn LongConnConfig

	// APIBase is the API origin (SALESBOT_WECOM_API_BASE), default
	// DefaultAPIBase. This package's own calls use it directly; the SDK's
	// token fetch follows ConfigureSDK, which main calls once with the same
	// value.
	APIBase string

	// RobotCardURL is where a click on a card pushed through a group robot
	// leads (WeCom requires a link on robot template cards). Empty: cards
	// are pushed to robots as markdown.
	RobotCardURL string

	// HandleTimeout bounds identifying the sender and the Handler call for
	// one callback; it must stay below WeCom's 5 s. Default 4 s.
	HandleTimeout time.Duration
	// FailHold: a delivery that could not be handled is answered only this
	// long after it arrived, so that WeCom sees a timeout and redelivers
	// (newer WeCom docs say only timeouts are retried). Default 5.5 s.
	FailHold time.Duration
	// MaxSkew: a callback whose timestamp is further than this from now is
	// refused as a replay. Default 5 min.
	MaxSkew time.Duration
}

// DefaultWSURL is the AI bot's long-connection endpoint.
const DefaultWSURL = "wss://openws.work.weixin.qq.com"

// LongConnConfig is the AI bot's long connection (SALESBOT_WECOM_AIBOT_BOT_ID,
// _SECRET, _WS_URL) and its timings. Only one connection per bot may live:
// the replica holding the lease keeps it; another takes over within
// LeaseTTL plus a quarter of it when that replica dies.
type LongConnConfig struct {
	BotID  string
	Secret string
	URL    string // default DefaultWSURL

	PingEvery    time.Duration // heartbeat; an unanswered one ends the connection. Default 30 s
	LeaseTTL     time.Duration // how long a silent holder keeps the lease. Default 10 s
	BackoffMin   time.Duration // first wait before reconnecting. Default 1 s
	BackoffMax   time.Duration // longest wait between attempts. Default 1 min
	ReplacedWait time.Duration // first pause after a newer connection replaced ours (doubling up to 1 h). Default 1 min
	SendWait     time.Duration // how long a push waits for the connection. Default 5 s

	// Workers is how many inbound frames are handled at once. Default 32.
	Workers int
	// QueueSize is how many inbound frames may wait for a worker. A frame
	// arriving when it is full is not handled and not answered (logged and
	// counted as "shed"); the read loop never waits. Default 4096.
	QueueSize int
}

// Enabled reports whether the long connection is configured.
func (c LongConnConfig) Enabled() bool { return c.BotID != "" && c.Secret != "" }

func (c *LongConnConfig) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.URL == "" {
		c.URL = DefaultWSURL
	}
	def(&c.PingEvery, 30*time.Second)
	def(&c.LeaseTTL, 10*time.Second)
	def(&c.BackoffMin, time.Second)
	def(&c.BackoffMax, time.Minute)
	def(&c.ReplacedWait, time.Minute)
	def(&c.SendWait, 5*time.Second)
	if c.Workers <= 0 {
		c.Workers = 32
	}
	if c.QueueSize <= 0 {
		c.QueueSize = 4096
	}
}

// AppEnabled reports whether the self-built app is configured.
func (c Config) AppEnabled() bool {
	return c.CorpID != "" && c.Secret != "" && c.Token != "" && c.AESKey != ""
}

// AIBotEnabled reports whether the AI bot is configured.
func (c Config) AIBotEnabled() bool { return c.AIBotToken != "" && c.AIBotAESKey != "" }

// LogValue masks the secrets, so that a Config can be logged.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("corp_id", c.CorpID),
		slog.Int64("agent_id", c.AgentID),
		slog.String("secret", mask(c.Secret)),
		slog.String("token", mask(c.Token)),
		slog.String("aes_key", mask(c.AESKey)),
		slog.String("aibot_token", mask(c.AIBotToken)),
		slog.String("aibot_aes_key", mask(c.AIBotAESKey)),
		slog.String("aibot_bot_id", c.LongConn.BotID),
		slog.String("aibot_secret", mask(c.LongConn.Secret)),
		slog.String("aibot_ws_url", c.LongConn.URL),
		slog.String("api_base", c.APIBase),
	)
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "***"
}

func (c *Config) setDefaults() {
	if c.APIBase == "" {
		c.APIBase = DefaultAPIBase
	}
	c.APIBase = strings.TrimRight(c.APIBase, "/")
	if c.HandleTimeout <= 0 {
		c.HandleTimeout = 4 * time.Second
	}
	if c.FailHold <= 0 {
		c.FailHold = 5500 * time.Millisecond
	}
	if c.MaxSkew <= 0 {
		c.MaxSkew = 5 * time.Minute
	}
	c.LongConn.setDefaults()
}

func (c Config) validate() error {
	partial := c.CorpID != "" || c.Secret != "" || c.Token != "" || c.AESKey != ""
	if partial && !c.AppEnabled() {
		return errors.New("wecom: the app needs SALESBOT_WECOM_CORP_ID, _SECRET, _TOKEN and _AES_KEY together")
	}
	if c.AppEnabled() {
		if c.AgentID <= 0 {
			return errors.New("wecom: SALESBOT_WECOM_AGENT_ID must be a positive integer")
		}
		if _, err := decodeAESKey(c.AESKey); err != nil {
			return fmt.Errorf("wecom: SALESBOT_WECOM_AES_KEY: %w", err)
		}
	}
	if (c.AIBotToken != "") != (c.AIBotAESKey != "") {
		return errors.New("wecom: the AI bot needs SALESBOT_WECOM_AIBOT_TOKEN and _AIBOT_AES_KEY together")
	}
	if c.AIBotEnabled() {
		if _, err := decodeAESKey(c.AIBotAESKey); err != nil {
			return fmt.Errorf("wecom: SALESBOT_WECOM_AIBOT_AES_KEY: %w", err)
		}
	}
	if (c.LongConn.BotID != "") != (c.LongConn.Secret != "") {
		return errors.New("wecom: the AI bot's long connection needs SALESBOT_WECOM_AIBOT_BOT_ID and _AIBOT_SECRET together")
	}
	if u, err := url.Parse(c.LongConn.URL); err != nil || (u.Scheme != "wss" && u.Scheme != "ws") || u.Host == "" {
		return fmt.Errorf("wecom: SALESBOT_WECOM_AIBOT_WS_URL %q is not a ws:// or wss:// URL", c.LongConn.URL)
	}
	u, err := url.Parse(c.APIBase)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("wecom: SALESBOT_WECOM_API_BASE %q is not an absolute URL", c.APIBase)
	}
	return nil
}

// StateStore keeps small values with a TTL where every replica sees them:
// the access token and the codes that update sent cards. *kv.KV satisfies it.
type StateStore interface {
	GetState(ctx context.Context, key string) ([]byte, bool, error)
	SetState(ctx context.Context, key string, val []byte, ttl time.Duration) error
	DeleteState(ctx context.Context, key string) error
}

// RateLimiter counts events per key in a fixed window. *kv.KV satisfies it.
type RateLimiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// Leases hand the AI bot's single long connection to one replica at a
// time. *kv.KV satisfies it.
type Leases interface {
	AcquireLease(ctx context.Context, name string, ttl time.Duration) (token string, ok bool, err error)
	RenewLease(ctx context.Context, name, token string, ttl time.Duration) (held bool, err error)
	ReleaseLease(ctx context.Context, name, token string) error
}

// Members finds and registers members. *domain.Service satisfies it.
type Members interface {
	Identify(ctx context.Context, p domain.Platform, userID string) (domain.Member, error)
	RegisterFromDirectory(ctx context.Context, p domain.Platform, userID, name string, departmentIDs []int64) (domain.Member, error)
}

// Deps are what WeCom needs from the rest of salesbot.
type Deps struct {
	// State is shared by all replicas (Redis). Nil: an in-process map, fit
	// for a single replica and tests only.
	State StateStore
	// Limiter throttles group robot pushes (20 a minute per robot). Nil: no
	// throttling on our side.
	Limiter RateLimiter
	// Members registers unknown senders from the address book. Nil: unknown
	// senders are passed to the Handler as they are.
	Members Members
	// Leases elect the replica that holds the AI bot's long connection. Nil:
	// this process always holds it (a single replica).
	Leases Leases
	// OnConnected hears when the AI bot's long connection comes up (true)
	// and goes down (false) on this replica (metrics). Nil: nobody.
	OnConnected func(up bool)
	// OnFrame, when set, counts each message or event frame of the long
	// connection by outcome: "acked" (handled and answered), "not_acked"
	// (the Handler failed; WeCom may deliver it again), "ignored", "bad"
	// (an unusable body) or "shed" (the queue was full: not handled, not
	// answered).
	OnFrame func(outcome string)
	// HTTPClient makes this package's own API calls. Nil: a client with a
	// 10 s timeout.
	HTTPClient *http.Client
	// Now is the clock. Nil: time.Now.
	Now func() time.Time
	// Replies keeps replies the platform did not take at once, to be sent
	// later (the outbox). Nil: such a reply is only logged.
	Replies bot.ReplyQueue
}

// WeCom is the WeCom adapter: two callback handlers and a bot.Sender.
type WeCom struct {
	cfg     Config
	h       bot.Handler
	st      StateStore
	lim     RateLimiter
	members Members
	replies bot.ReplyQueue
	hc      *http.Client
	now     func() time.Time
	log     *slog.Logger

	token    credential.AccessTokenContextHandle // nil when the app is off
	tokenKey string                              // the SDK's cache key of the token

	leases      Leases
	onConnected func(up bool)
	frameHook   func(outcome string)

	liveMu sync.Mutex
	live   *socket       // the AI bot's long connection, when this replica holds it
	liveCh chan struct{} // closed when live changes

	chats sync.Map // group chat ids heard from, to log each once

	bg     sync.WaitGroup // replies being sent after a callback was answered
	mu     sync.Mutex
	closed bool
}

// New builds the adapter. h is the bot's Handler (the Router).
//
// The access token is fetched by the SDK, whose HTTP hooks are process-wide:
// call ConfigureSDK(cfg.APIBase, …) once in main before New.
func New(cfg Config, h bot.Handler, deps Deps, log *slog.Logger) (*WeCom, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, errors.New("wecom: nil Handler")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &WeCom{
		cfg: cfg, h: h, st: deps.State, lim: deps.Limiter, members: deps.Members, replies: deps.Replies,
		hc: deps.HTTPClient, now: deps.Now, log: log.With("platform", string(domain.PlatformWeCom)),
		leases: deps.Leases, onConnected: deps.OnConnected, frameHook: deps.OnFrame, liveCh: make(chan struct{}),
	}
	if w.st == nil {
		w.st = newMemState(func() time.Time { return w.now() })
	}
	if w.hc == nil {
		w.hc = &http.Client{Timeout: 10 * time.Second}
	}
	if w.now == nil {
		w.now = time.Now
	}
	if cfg.AppEnabled() {
		agent := strconv.FormatInt(cfg.AgentID, 10)
		w.token = credential.NewWorkAccessToken(cfg.CorpID, cfg.Secret, agent, credential.CacheKeyWorkPrefix, &tokenCache{st: w.st})
		w.tokenKey = fmt.Sprintf("%s_access_token_%s_%s", credential.CacheKeyWorkPrefix, cfg.CorpID, agent)
	}
	return w, nil
}

// Close waits (up to ctx) for replies still being sent after their callback
// was answered. Replies of callbacks answered afterwards are not waited for.
func (w *WeCom) Close(ctx context.Context) error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	done := make(chan struct{})
	go func() { w.bg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// background runs fn after the callback was answered, with its own deadline.
func (w *WeCom) background(fn func(ctx context.Context)) {
	w.mu.Lock()
	closed := w.closed
	if !closed {
		w.bg.Add(1)
	}
	w.mu.Unlock()
	go func() {
		if !closed {
			defer w.bg.Done()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		fn(ctx)
	}()
}

// decodeAESKey turns a 43-character EncodingAESKey into the 32-byte key.
func decodeAESKey(k string) ([]byte, error) {
	if len(k) != 43 {
		return nil, errors.New("EncodingAESKey must be 43 characters")
	}
	key, err := base64.StdEncoding.DecodeString(k + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("EncodingAESKey is not valid base64 of 32 bytes")
	}
	return key, nil
}
