package wecom

import (
	"encoding/xml"
	"net/url"
	"strconv"
	"time"
)

// SealText builds the callback WeCom sends the self-built app for a text
// message from user: the signed query (msg_signature, timestamp, nonce) and
// the encrypted XML body. The bench command uses it to load the callback
// path exactly as WeCom would.
func SealText(cfg Config, user, msgID, text string, at time.Time) (url.Values, []byte, error) {
	plain, err := xml.Marshal(appMessage{
		ToUserName: cfg.CorpID, FromUserName: user, CreateTime: at.Unix(), MsgType: "text",
		Content: text, MsgID: msgID, AgentID: strconv.FormatInt(cfg.AgentID, 10),
	})
	if err != nil {
		return nil, nil, err
	}
	enc, err := encrypt(cfg.AESKey, cfg.CorpID, plain)
	if err != nil {
		return nil, nil, err
	}
	body, err := xml.Marshal(envelope{ToUserName: cfg.CorpID, AgentID: strconv.FormatInt(cfg.AgentID, 10), Encrypt: enc})
	if err != nil {
		return nil, nil, err
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	nonce := string(randomAlnum(10))
	q := url.Values{"msg_signature": {signature(cfg.Token, ts, nonce, enc)}, "timestamp": {ts}, "nonce": {nonce}}
	return q, body, nil
}
