package wecom

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
)

// The AI bot's long connection (platforms.md §2.7) carries JSON text frames
// {"cmd", "headers": {"req_id"}, "body"}; every request is answered by a
// frame with the same req_id and an errcode.
const (
	cmdSubscribe     = "aibot_subscribe"          // us → WeCom, first frame: {"bot_id","secret"}
	cmdPing          = "ping"                     // us → WeCom, heartbeat
	cmdMsgCallback   = "aibot_msg_callback"       // WeCom → us: a message
	cmdEventCallback = "aibot_event_callback"     // WeCom → us: an event
	cmdRespondMsg    = "aibot_respond_msg"        // us → WeCom: reply, with the callback's req_id
	cmdRespondUpdate = "aibot_respond_update_msg" // us → WeCom: update a clicked card, with the event's req_id
	cmdSendMsg       = "aibot_send_msg"           // us → WeCom: proactive message, new req_id

	// eventDisconnected: a newer connection for the same bot replaced
	// this one, which WeCom then closes.
	eventDisconnected = "disconnected_event"
)

// frame is one long-connection frame, either direction.
type frame struct {
	Cmd     string          `json:"cmd,omitempty"`
	Headers frameHeaders    `json:"headers"`
	Body    json.RawMessage `json:"body,omitempty"`
	ErrCode *int64          `json:"errcode,omitempty"`
	ErrMsg  string          `json:"errmsg,omitempty"`
}

type frameHeaders struct {
	ReqID string `json:"req_id"`
}

// inbound reports whether f is a callback from WeCom (not an answer to one
// of our requests).
func (f frame) inbound() bool { return f.Cmd == cmdMsgCallback || f.Cmd == cmdEventCallback }

// newReqID is a fresh request id, prefixed with the command as WeCom's own
// SDKs do.
func newReqID(cmd string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return cmd + "_" + hex.EncodeToString(b[:])
}

// subscribeBody is the body of aibot_subscribe.
type subscribeBody struct {
	BotID  string `json:"bot_id"`
	Secret string `json:"secret"`
}
