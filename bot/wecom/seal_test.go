package wecom

import (
	"encoding/xml"
	"testing"
	"time"
)

func TestSealTextRoundTrip(t *testing.T) {
	cfg := Config{CorpID: "wwbench", AgentID: 1000002, Token: "tok", AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	q, body, err := SealText(cfg, "lina", "m-1", "今天拜访金石重工张总", time.Unix(1767225600, 0))
	if err != nil {
		t.Fatal(err)
	}
	var env envelope
	if err := xml.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	if err := checkSignature(cfg.Token, q.Get("timestamp"), q.Get("nonce"), env.Encrypt, q.Get("msg_signature")); err != nil {
		t.Fatalf("signature: %v", err)
	}
	plain, err := decryptApp(cfg.AESKey, cfg.CorpID, env.Encrypt)
	if err != nil {
		t.Fatal(err)
	}
	var m appMessage
	if err := xml.Unmarshal(plain, &m); err != nil {
		t.Fatal(err)
	}
	if m.FromUserName != "lina" || m.MsgID != "m-1" || m.Content != "今天拜访金石重工张总" || m.MsgType != "text" {
		t.Fatalf("decrypted %+v", m)
	}
}

func TestErrorsTellTheOutboxWhetherToRetry(t *testing.T) {
	type temporary interface{ Temporary() bool }
	if !(&APIError{Code: -1}).Temporary() || !(&APIError{Code: 45009}).Temporary() {
		t.Error("busy and rate-limit codes must be retried")
	}
	if (&APIError{Code: 93000}).Temporary() || (&APIError{Code: 81013}).Temporary() {
		t.Error("a bad webhook key or user id cannot be fixed by retrying")
	}
	rl, ok := ErrRateLimited.(interface{ RetryAfter() time.Duration })
	if !ok || rl.RetryAfter() <= 0 || !ErrRateLimited.(temporary).Temporary() {
		t.Error("ErrRateLimited must ask for a later retry")
	}
}
