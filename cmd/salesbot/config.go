package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"salesbot/domain/kv"
)

// Config is everything salesbot reads from SALESBOT_* variables.
type Config struct {
	Addr     string
	MySQLDSN string
	RedisURL string
	// RedisPrefix starts every key, so deployments can share one Redis.
	RedisPrefix string
	DataDir     string
	TZ          *time.Location
	Simulator   bool // serve the chat simulator (always on the embedded default)
	// SimulatorToken lets a person into the simulator (required beside
	// MySQL); SimulatorAdminToken also lets them act as an admin member.
	SimulatorToken, SimulatorAdminToken string
	LogFormat                           string
	// LexiconFile is a JSON file of the tenant's own words: stage synonyms,
	// product names, customer aliases (see bot/parse.Lexicon).
	LexiconFile string

	WeComCorpID, WeComAgentID, WeComSecret, WeComToken, WeComAESKey string
	WeComAIBotToken, WeComAIBotAESKey                               string
	WeComAPIBase                                                    string
	WeComRobotCardURL                                               string // where robot template-card clicks lead
	// The AI bot's long connection: on when the bot id and secret are set.
	WeComAIBotID, WeComAIBotSecret, WeComAIBotWSURL string

	DingTalkAppKey, DingTalkAppSecret, DingTalkRobotCode string
	DingTalkAPIBase, DingTalkOAPIBase                    string
	// DingTalkMode is how the app robot receives messages: dingtalkStream
	// (an outbound long connection) or dingtalkCallback (HTTP callbacks
	// only). /dingtalk/callback is served in both.
	DingTalkMode string
}

// The DingTalk receiving modes (SALESBOT_DINGTALK_MODE).
const (
	dingtalkStream   = "stream"
	dingtalkCallback = "callback"
)

// Embedded reports whether this runs on the embedded default (no MySQL).
func (c Config) Embedded() bool { return c.MySQLDSN == "" }

// loadConfig reads the configuration through getenv. A --config FILE, when
// given, supplies KEY=VALUE lines for variables the environment leaves unset.
func loadConfig(getenv func(string) string, file string) (Config, error) {
	if file != "" {
		vals, err := readEnvFile(file)
		if err != nil {
			return Config{}, err
		}
		env := getenv
		getenv = func(k string) string {
			if v := env(k); v != "" {
				return v
			}
			return vals[k]
		}
	}
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		MySQLDSN:    get("SALESBOT_MYSQL_DSN", ""),
		RedisURL:    get("SALESBOT_REDIS_URL", ""),
		RedisPrefix: get("SALESBOT_REDIS_PREFIX", kv.DefaultPrefix),
		DataDir:     get("SALESBOT_DATA_DIR", "./data"),
		LogFormat:   get("SALESBOT_LOG_FORMAT", "text"),
		LexiconFile: get("SALESBOT_LEXICON", ""),

		SimulatorToken:      get("SALESBOT_SIMULATOR_TOKEN", ""),
		SimulatorAdminToken: get("SALESBOT_SIMULATOR_ADMIN_TOKEN", ""),

		WeComCorpID: get("SALESBOT_WECOM_CORP_ID", ""), WeComAgentID: get("SALESBOT_WECOM_AGENT_ID", ""),
		WeComSecret: get("SALESBOT_WECOM_SECRET", ""), WeComToken: get("SALESBOT_WECOM_TOKEN", ""),
		WeComAESKey:     get("SALESBOT_WECOM_AES_KEY", ""),
		WeComAIBotToken: get("SALESBOT_WECOM_AIBOT_TOKEN", ""), WeComAIBotAESKey: get("SALESBOT_WECOM_AIBOT_AES_KEY", ""),
		WeComAPIBase:      get("SALESBOT_WECOM_API_BASE", "https://qyapi.weixin.qq.com"),
		WeComRobotCardURL: get("SALESBOT_WECOM_ROBOT_CARD_URL", ""),
		WeComAIBotID:      get("SALESBOT_WECOM_AIBOT_BOT_ID", ""), WeComAIBotSecret: get("SALESBOT_WECOM_AIBOT_SECRET", ""),
		WeComAIBotWSURL: get("SALESBOT_WECOM_AIBOT_WS_URL", "wss://openws.work.weixin.qq.com"),

		DingTalkAppKey: get("SALESBOT_DINGTALK_APP_KEY", ""), DingTalkAppSecret: get("SALESBOT_DINGTALK_APP_SECRET", ""),
		DingTalkRobotCode: get("SALESBOT_DINGTALK_ROBOT_CODE", ""),
		DingTalkAPIBase:   get("SALESBOT_DINGTALK_API_BASE", "https://api.dingtalk.com"),
		DingTalkOAPIBase:  get("SALESBOT_DINGTALK_OAPI_BASE", "https://oapi.dingtalk.com"),
		DingTalkMode:      strings.ToLower(get("SALESBOT_DINGTALK_MODE", dingtalkStream)),
	}
	if c.DingTalkMode != dingtalkStream && c.DingTalkMode != dingtalkCallback {
		return Config{}, fmt.Errorf("SALESBOT_DINGTALK_MODE=%q: want stream (long connection, no public URL) or callback (HTTP callbacks to /dingtalk/callback)", c.DingTalkMode)
	}
	// The embedded default is a local trial: it listens on loopback only,
	// unless told otherwise.
	defaultAddr := ":8080"
	if c.Embedded() {
		defaultAddr = "127.0.0.1:8080"
	}
	c.Addr = get("SALESBOT_ADDR", defaultAddr)
	if err := kv.CheckPrefix(c.RedisPrefix); err != nil {
		return Config{}, fmt.Errorf("SALESBOT_REDIS_PREFIX: %w", err)
	}
	tz := get("SALESBOT_TZ", "Asia/Shanghai")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return Config{}, fmt.Errorf("SALESBOT_TZ=%q: %w", tz, err)
	}
	c.TZ = loc
	switch sim := get("SALESBOT_SIMULATOR", ""); sim {
	case "":
		c.Simulator = c.Embedded()
	case "1", "true", "yes", "on":
		c.Simulator = true
	case "0", "false", "no", "off":
		c.Simulator = false
	default:
		return Config{}, fmt.Errorf("SALESBOT_SIMULATOR=%q: want 1 or 0", sim)
	}
	if c.Embedded() {
		c.Simulator = true // the embedded default always has the simulator
	}
	if c.Simulator && !c.Embedded() && c.SimulatorToken == "" {
		return Config{}, errors.New("SALESBOT_SIMULATOR=1 beside MySQL needs SALESBOT_SIMULATOR_TOKEN: without it anyone who reaches the port could act as any member (set a long random value, e.g. `openssl rand -hex 16`)")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return Config{}, fmt.Errorf("SALESBOT_LOG_FORMAT=%q: want text or json", c.LogFormat)
	}
	return c, nil
}

func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("config file %s line %d: want KEY=VALUE", path, n)
		}
		vals[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return vals, sc.Err()
}

// LogValue lists the configuration with secrets masked, for the start-up log.
func (c Config) LogAttrs() []any {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "***"
	}
	db := "embedded:" + c.DataDir
	if !c.Embedded() {
		db = "mysql:" + maskDSN(c.MySQLDSN)
	}
	cache := "in-process"
	if c.RedisURL != "" {
		cache = maskURL(c.RedisURL)
	}
	return []any{
		"addr", c.Addr, "database", db, "cache", cache, "redis_prefix", c.RedisPrefix, "tz", c.TZ.String(),
		"simulator", c.Simulator, "simulator_token", mask(c.SimulatorToken),
		"simulator_admin_token", mask(c.SimulatorAdminToken),
		"wecom", c.WeComCorpID != "", "wecom_secret", mask(c.WeComSecret), "wecom_aibot", c.WeComAIBotToken != "",
		"wecom_aibot_long_connection", c.WeComAIBotID != "", "wecom_aibot_secret", mask(c.WeComAIBotSecret),
		"dingtalk", c.DingTalkAppKey != "", "dingtalk_secret", mask(c.DingTalkAppSecret), "dingtalk_mode", c.DingTalkMode,
	}
}

// maskDSN hides the password of user:pass@tcp(...)/db.
func maskDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	if at < 0 {
		return dsn
	}
	user, _, _ := strings.Cut(dsn[:at], ":")
	return user + ":***" + dsn[at:]
}

// maskURL hides the password of redis://user:pass@host.
func maskURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return u
	}
	return scheme + "://***" + rest[at:]
}
