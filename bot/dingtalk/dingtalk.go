// Package dingtalk is the DingTalk (钉钉) adapter, hand-written on net/http:
// the enterprise app robot's messages by HTTP callback (POST
// /dingtalk/callback) or over a Stream mode long connection (Stream), both
// through one intake path (intake.go); replies through the message's
// sessionWebhook or the robot send APIs with a cached app access token;
// pushes to teams' custom robot webhooks with 加签; and what `salesbot
// check` asks (check.go). Wire details: platforms.md §4.
package dingtalk

import (
	"log/slog"
	"net/http"
	"time"

	"salesbot/bot"
)

// DingTalk is the app robot adapter.
type DingTalk struct {
	cfg   Config
	h     bot.Handler
	log   *slog.Logger
	now   func() time.Time
	hc    *http.Client
	api   *apiClient
	robot *RobotSender
	queue bot.ReplyQueue // replies not sent at once; nil: only logged
}

// New builds the adapter. h handles callbacks; it may be nil when only the
// Sender is used (e.g. `salesbot job`), and the callback then answers 503.
func New(cfg Config, h bot.Handler, deps Deps, log *slog.Logger) (*DingTalk, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	deps = deps.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("platform", "dingtalk")
	robot, err := NewRobotSender(cfg.OAPIBase, deps, log)
	if err != nil {
		return nil, err
	}
	return &DingTalk{
		cfg: cfg,
		h:   h,
		log: log,
		now: deps.Now,
		hc:  deps.HTTPClient,
		api: &apiClient{
			base:      cfg.APIBase,
			appKey:    cfg.AppKey,
			appSecret: cfg.AppSecret,
			hc:        deps.HTTPClient,
			store:     deps.Tokens,
			now:       deps.Now,
			log:       log,
		},
		robot: robot,
		queue: deps.Replies,
	}, nil
}

// Sender delivers replies and pushes: sessionWebhook, custom robot, group
// or private robot messages, chosen by the Destination.
func (d *DingTalk) Sender() bot.Sender { return appSender{d: d} }
