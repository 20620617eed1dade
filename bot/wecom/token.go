package wecom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/util"
)

// ConfigureSDK points the silenceper SDK's HTTP calls (here: gettoken) at
// apiBase and makes them use client (nil: a 10 s timeout client).
//
// The SDK keeps both hooks in package variables (util.SetURIModifier,
// util.DefaultHTTPClient): they are process-wide and unsynchronised. Call
// this once from main before any WeCom traffic, never per request or from
// parallel tests (tests call it once in TestMain).
func ConfigureSDK(apiBase string, client *http.Client) error {
	if apiBase == "" {
		apiBase = DefaultAPIBase
	}
	base, err := url.Parse(apiBase)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return fmt.Errorf("wecom: API base %q is not an absolute URL", apiBase)
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	defaultHost := strings.TrimPrefix(DefaultAPIBase, "https://")
	util.SetURIModifier(func(uri string) string {
		u, err := url.Parse(uri)
		if err != nil || u.Host != defaultHost {
			return uri
		}
		u.Scheme, u.Host = base.Scheme, base.Host
		u.Path = strings.TrimRight(base.Path, "/") + u.Path
		return u.String()
	})
	util.DefaultHTTPClient = client
	return nil
}

// tokenCache is the SDK's cache interface on a StateStore, so that every
// replica shares one access token. The SDK reads the value as a string.
type tokenCache struct{ st StateStore }

var _ cache.ContextCache = (*tokenCache)(nil)

const cacheTimeout = 2 * time.Second

func (c *tokenCache) GetContext(ctx context.Context, key string) interface{} {
	b, ok, err := c.st.GetState(ctx, "wecom:"+key)
	if err != nil || !ok {
		return nil // a miss: the SDK fetches a token
	}
	return string(b)
}

func (c *tokenCache) SetContext(ctx context.Context, key string, val interface{}, ttl time.Duration) error {
	s, ok := val.(string)
	if !ok {
		return fmt.Errorf("token cache: %T is not a string", val)
	}
	if ttl <= 0 {
		return fmt.Errorf("token cache: ttl %v", ttl)
	}
	return c.st.SetState(ctx, "wecom:"+key, []byte(s), ttl)
}

func (c *tokenCache) IsExistContext(ctx context.Context, key string) bool {
	return c.GetContext(ctx, key) != nil
}

func (c *tokenCache) DeleteContext(ctx context.Context, key string) error {
	return c.st.DeleteState(ctx, "wecom:"+key)
}

func (c *tokenCache) Get(key string) interface{} {
	ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
	defer cancel()
	return c.GetContext(ctx, key)
}

func (c *tokenCache) Set(key string, val interface{}, ttl time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
	defer cancel()
	return c.SetContext(ctx, key, val, ttl)
}

func (c *tokenCache) IsExist(key string) bool { return c.Get(key) != nil }

func (c *tokenCache) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
	defer cancel()
	return c.DeleteContext(ctx, key)
}

var errAppOff = errors.New("wecom: the self-built app is not configured")

// accessToken returns the cached token or fetches one (through the SDK).
func (w *WeCom) accessToken(ctx context.Context) (string, error) {
	if w.token == nil {
		return "", errAppOff
	}
	tok, err := w.token.GetAccessTokenContext(ctx)
	if err != nil {
		// The SDK's errors may quote the gettoken URL, secret included.
		return "", fmt.Errorf("wecom gettoken: %s", w.redact(err.Error()))
	}
	if tok == "" {
		return "", errors.New("wecom gettoken: empty access_token")
	}
	return tok, nil
}

// dropToken forgets the cached token after WeCom refused it, unless another
// caller has already replaced it.
func (w *WeCom) dropToken(ctx context.Context, bad string) {
	key := "wecom:" + w.tokenKey
	cur, ok, err := w.st.GetState(ctx, key)
	if err != nil || !ok || string(cur) != bad {
		return
	}
	if err := w.st.DeleteState(ctx, key); err != nil {
		w.log.Warn("drop access token", "err", err)
	}
}

// redact removes the app secret from a message.
func (w *WeCom) redact(s string) string {
	if w.cfg.Secret != "" {
		s = strings.ReplaceAll(s, w.cfg.Secret, "***")
		s = strings.ReplaceAll(s, url.QueryEscape(w.cfg.Secret), "***")
	}
	return s
}

// memState is an in-process StateStore for a single replica and tests.
type memState struct {
	mu  sync.Mutex
	m   map[string]memEntry
	now func() time.Time
}

type memEntry struct {
	val []byte
	exp time.Time
}

func newMemState(now func() time.Time) *memState {
	return &memState{m: map[string]memEntry{}, now: now}
}

func (s *memState) GetState(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	if !ok || !s.now().Before(e.exp) {
		delete(s.m, key)
		return nil, false, nil
	}
	return e.val, true, nil
}

func (s *memState) SetState(_ context.Context, key string, val []byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = memEntry{val: append([]byte(nil), val...), exp: s.now().Add(ttl)}
	return nil
}

func (s *memState) DeleteState(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}
