package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/coder/websocket"
)

// Stream mode on the wire (platforms.md §4.2; frame and ack shapes as in
// DingTalk's official Stream SDKs).
//
// Opening: POST {APIBase}/v1.0/gateway/connections/open
//
//	{"clientId":AppKey,"clientSecret":AppSecret,"ua":"salesbot/1",
//	 "subscriptions":[{"type":"CALLBACK","topic":"/v1.0/im/bot/messages/get"},
//	                  {"type":"CALLBACK","topic":"/v1.0/card/instances/callback"}]}
//
// answers {"endpoint":"wss://…","ticket":"…"}; the WebSocket is
// endpoint?ticket=<ticket>. Down the socket come text frames
//
//	{"specVersion":"1.0","type":"SYSTEM|EVENT|CALLBACK",
//	 "headers":{"messageId":"…","topic":"…","contentType":"application/json","time":"…",…},
//	 "data":"<JSON as a string>"}
//
// and each is answered with
//
//	{"code":200,"headers":{"contentType":"application/json","messageId":<same>},
//	 "message":"OK","data":"<JSON as a string>"}
//
// SYSTEM "ping" is answered with its own data; SYSTEM "disconnect" asks us
// to reconnect. A CALLBACK not answered with 200 is delivered again.

// Frame types and topics.
const (
	frameSystem   = "SYSTEM"
	frameEvent    = "EVENT"
	frameCallback = "CALLBACK"

	topicPing       = "ping"
	topicDisconnect = "disconnect"
	topicBotMessage = "/v1.0/im/bot/messages/get"
	topicCard       = "/v1.0/card/instances/callback"

	streamUA = "salesbot/1"
)

// frame is one message DingTalk sends down the Stream connection.
type frame struct {
	SpecVersion string       `json:"specVersion"`
	Type        string       `json:"type"`
	Headers     frameHeaders `json:"headers"`
	Data        string       `json:"data"`
}

// frameHeaders are a frame's headers. The official SDKs read them as
// strings; a number (seen as such in one SDK's parsing of "time") is
// taken as its JSON text rather than failing the whole frame.
type frameHeaders map[string]string

func (h *frameHeaders) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*h = make(frameHeaders, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v)
		}
		(*h)[k] = s
	}
	return nil
}

func (f frame) messageID() string { return f.Headers["messageId"] }
func (f frame) topic() string     { return f.Headers["topic"] }

// ack answers one frame.
type ack struct {
	Code    int               `json:"code"`
	Headers map[string]string `json:"headers"`
	Message string            `json:"message"`
	Data    string            `json:"data"`
}

// callbackAckData is the data of a handled CALLBACK's ack: nothing to show
// (a card is updated, if at all, through the card API).
const callbackAckData = `{"response":null}`

func newAck(f frame, code int, message, data string) ack {
	return ack{
		Code:    code,
		Headers: map[string]string{"contentType": "application/json", "messageId": f.messageID()},
		Message: message,
		Data:    data,
	}
}

// openStream asks the gateway for a Stream endpoint and ticket and returns
// the WebSocket URL.
func (d *DingTalk) openStream(ctx context.Context) (string, error) {
	const op = "gateway/connections/open"
	type subscription struct {
		Type  string `json:"type"`
		Topic string `json:"topic"`
	}
	body, err := marshal(struct {
		ClientID      string         `json:"clientId"`
		ClientSecret  string         `json:"clientSecret"`
		Subscriptions []subscription `json:"subscriptions"`
		UA            string         `json:"ua"`
	}{d.cfg.AppKey, d.cfg.AppSecret, []subscription{
		{frameCallback, topicBotMessage},
		{frameCallback, topicCard},
	}, streamUA})
	if err != nil {
		return "", err
	}
	status, resp, err := postJSON(ctx, d.hc, d.cfg.APIBase+"/v1.0/"+op, nil, body)
	if err != nil {
		return "", fmt.Errorf("dingtalk %s: %w", op, err)
	}
	if status/100 != 2 {
		return "", newAPIError(op, status, resp)
	}
	var ep struct {
		Endpoint string `json:"endpoint"`
		Ticket   string `json:"ticket"`
	}
	if err := json.Unmarshal(resp, &ep); err != nil || ep.Endpoint == "" || ep.Ticket == "" {
		return "", &APIError{Op: op, Status: status, Message: "answer has no endpoint or ticket"}
	}
	u, err := url.Parse(ep.Endpoint)
	if err != nil || (u.Scheme != "wss" && u.Scheme != "ws") || u.Host == "" {
		return "", &APIError{Op: op, Status: status, Message: "endpoint is not a ws(s) URL"}
	}
	sep := "?"
	if strings.Contains(ep.Endpoint, "?") {
		sep = "&"
	}
	return ep.Endpoint + sep + "ticket=" + url.QueryEscape(ep.Ticket), nil
}

// ErrStreamConnect: the gateway gave an endpoint, but the WebSocket to it
// could not be opened.
var ErrStreamConnect = errors.New("dingtalk stream: cannot connect the WebSocket")

// dialStream opens the gateway and connects the WebSocket.
func (d *DingTalk) dialStream(ctx context.Context) (*websocket.Conn, error) {
	wsURL, err := d.openStream(ctx)
	if err != nil {
		return nil, err
	}
	conn, resp, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPClient: d.hc})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("%w to %s: HTTP %d", ErrStreamConnect, redactURL(wsURL), resp.StatusCode)
		}
		// The dialer's message quotes the URL with the ticket: keep only
		// the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w to %s: %v", ErrStreamConnect, redactURL(wsURL), err)
	}
	conn.SetReadLimit(maxCallbackBody)
	return conn, nil
}
