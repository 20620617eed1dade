package dingtalk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"time"
)

// sign is DingTalk's signature, the same for app callbacks and custom robots
// (platforms.md §4.1, §4.3):
// base64(HMAC-SHA256(key = secret, msg = timestamp + "\n" + secret)).
func sign(secret, timestamp string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Why a callback's signature was refused; only the reason is logged, never
// the header values.
var (
	errNoSignature  = errors.New("missing timestamp or sign header")
	errBadTimestamp = errors.New("timestamp is not unix milliseconds")
	errStale        = errors.New("timestamp outside the allowed clock skew")
	errBadSignature = errors.New("sign does not match")
)

// verifyCallback checks the timestamp and sign headers of an app robot
// callback: the timestamp (unix ms) must be within callbackSkew of now and
// the sign must match, compared in constant time.
func verifyCallback(appSecret, timestamp, got string, now time.Time) error {
	if timestamp == "" || got == "" {
		return errNoSignature
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errBadTimestamp
	}
	skew := now.UnixMilli() - ts
	if skew < 0 {
		skew = -skew
	}
	if skew > callbackSkew.Milliseconds() {
		return errStale
	}
	if !hmac.Equal([]byte(got), []byte(sign(appSecret, timestamp))) {
		return errBadSignature
	}
	return nil
}

// signedRobotURL adds timestamp and sign (加签) to a custom robot webhook.
// Any timestamp or sign already in the URL is replaced.
func signedRobotURL(webhook, secret string, now time.Time) (string, error) {
	if secret == "" {
		return webhook, nil
	}
	u, err := url.Parse(webhook)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Del("timestamp")
	q.Del("sign")
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	raw := q.Encode()
	if raw != "" {
		raw += "&"
	}
	// url.QueryEscape once: the base64 sign's + / = must arrive encoded.
	u.RawQuery = raw + "timestamp=" + ts + "&sign=" + url.QueryEscape(sign(secret, ts))
	return u.String(), nil
}
