package wecom

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// ErrRateLimited: a group robot has used its 20 messages of this minute
// (ours or WeCom's count, errcode 45009). Try again in a minute.
var ErrRateLimited error = rateLimited{}

// rateLimited tells the outbox to try again shortly rather than give up.
type rateLimited struct{}

func (rateLimited) Error() string             { return "wecom: group robot rate limit reached" }
func (rateLimited) Temporary() bool           { return true }
func (rateLimited) RetryAfter() time.Duration { return 15 * time.Second }

// APIError is a non-zero errcode in a WeCom answer.
type APIError struct {
	API     string
	Code    int64
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("wecom %s: errcode %d: %s", e.API, e.Code, e.Message)
}

// permanent are error codes that retrying cannot fix: a bad webhook key or
// user id, a missing privilege, content WeCom refuses. Other codes (system
// busy -1, rate limits 45009/45033, …) are worth retrying.
var permanent = map[int64]bool{
	93000: true, 40003: true, 81013: true, 40056: true, 60011: true, 48002: true,
	40058: true, 44004: true, 45002: true, 40008: true, 301002: true, 60020: true,
}

// Temporary reports whether a later retry may succeed.
func (e *APIError) Temporary() bool { return !permanent[e.Code] }

// Token errors: invalid (40014), expired (42001), missing (41001).
func tokenRefused(code int64) bool { return code == 40014 || code == 42001 || code == 41001 }

const (
	robotLimit  = 20 // messages per minute per robot
	cardCodeTTL = 72 * time.Hour
)

var _ bot.Sender = (*WeCom)(nil)

// Sender returns the bot.Sender for WeCom.
func (w *WeCom) Sender() bot.Sender { return w }

// Send delivers r: an Update replaces a sent card (update_template_card);
// otherwise To decides: AIBot → the AI bot's long connection
// (aibot_send_msg), RobotURL → group robot webhook, ResponseURL → AI bot
// response_url, ChatID → app group chat (appchat/send), UserID → app message
// (message/send).
func (w *WeCom) Send(ctx context.Context, r bot.Reply) error {
	if r.To.Platform != "" && r.To.Platform != domain.PlatformWeCom {
		return fmt.Errorf("wecom: reply is for platform %q", r.To.Platform)
	}
	switch {
	case r.Update != nil:
		return w.updateCard(ctx, r)
	case r.To.AIBot:
		return w.sendAIBot(ctx, r)
	case r.To.RobotURL != "":
		return w.sendRobot(ctx, r)
	case r.To.ResponseURL != "":
		return w.sendResponseURL(ctx, r)
	case r.To.ChatID != "":
		return w.sendApp(ctx, r, "/cgi-bin/appchat/send")
	case r.To.UserID != "":
		return w.sendApp(ctx, r, "/cgi-bin/message/send")
	}
	return errors.New("wecom: reply without destination")
}

// sendResponse is the answer of message/send and appchat/send.
type sendResponse struct {
	InvalidUser  string `json:"invaliduser"`
	MsgID        string `json:"msgid"`
	ResponseCode string `json:"response_code"`
}

// sendApp sends through message/send (a member) or appchat/send (an app
// group chat: no template cards there, so cards go as markdown).
func (w *WeCom) sendApp(ctx context.Context, r bot.Reply, path string) error {
	base := appBody{ToUser: r.To.UserID, AgentID: w.cfg.AgentID}
	if path == "/cgi-bin/appchat/send" {
		base = appBody{ChatID: r.To.ChatID}
	}
	post := func(b appBody) (sendResponse, error) {
		var out sendResponse
		err := w.api(ctx, path, w.jsonRequest(path, nil, b), &out)
		if err == nil && out.InvalidUser != "" {
			w.log.Warn("wecom message not delivered to some users", "invalid_user", out.InvalidUser)
		}
		return out, err
	}
	switch {
	case r.Image != nil && len(r.Image.PNG) > 0:
		id, err := w.uploadImage(ctx, r.Image.PNG)
		if err != nil {
			return err
		}
		b := base
		b.MsgType, b.Image = "image", &media{MediaID: id}
		_, err = post(b)
		return err
	case interactive(r.Card) && r.To.ChatID == "":
		taskID := newTaskID(r.Card.ID)
		b := base
		b.MsgType, b.TemplateCard = "template_card", buttonCard(*r.Card, taskID)
		out, err := post(b)
		if err != nil {
			return err
		}
		if out.ResponseCode != "" {
			w.saveCard(ctx, taskID, cardState{Code: out.ResponseCode, User: r.To.UserID})
		}
		return nil
	}
	text, md := replyText(r)
	if strings.TrimSpace(text) == "" {
		return errors.New("wecom: empty reply")
	}
	max := appTextMax
	if md {
		max = appMarkdownMax
	}
	for _, part := range split(text, max, maxParts) {
		b := base
		if md {
			b.MsgType, b.Markdown = "markdown", &content{Content: part}
		} else {
			b.MsgType, b.Text = "text", &content{Content: part}
		}
		if _, err := post(b); err != nil {
			return err
		}
	}
	return nil
}

// cardState is what updating a sent card needs: its single-use response
// code (from the send or from the latest click) and whom to update it for.
type cardState struct {
	Code string `json:"code"`
	User string `json:"user,omitempty"`
}

func (w *WeCom) saveCard(ctx context.Context, taskID string, s cardState) {
	b, _ := json.Marshal(s)
	if err := w.st.SetState(ctx, "wecom:card:"+taskID, b, cardCodeTTL); err != nil {
		w.log.Warn("save card response code", "task_id", taskID, "err", err)
	}
}

func (w *WeCom) takeCard(ctx context.Context, taskID string) (cardState, bool) {
	key := "wecom:card:" + taskID
	b, ok, err := w.st.GetState(ctx, key)
	if err != nil || !ok {
		return cardState{}, false
	}
	var s cardState
	if json.Unmarshal(b, &s) != nil || s.Code == "" {
		return cardState{}, false
	}
	_ = w.st.DeleteState(ctx, key) // the code works once
	return s, true
}

// updateCard replaces a sent card with update_template_card. Without a
// usable response code (expired, used, another platform) the new card goes
// out as a new message instead.
func (w *WeCom) updateCard(ctx context.Context, r bot.Reply) error {
	u := r.Update
	fallback := r
	anew := u.Card
	if anew.Final == "" {
		anew.Note = strings.TrimSpace(anew.Note + " " + bot.VoidNote)
	}
	fallback.Update, fallback.Card = nil, &anew
	if w.token == nil || u.CardID == "" {
		return w.Send(ctx, fallback)
	}
	st, ok := w.takeCard(ctx, u.CardID)
	if !ok {
		return w.Send(ctx, fallback)
	}
	user := r.To.UserID
	if user == "" {
		user = st.User
	}
	if user == "" {
		return w.Send(ctx, fallback)
	}
	const path = "/cgi-bin/message/update_template_card"
	body := updateBody{UserIDs: []string{user}, AgentID: w.cfg.AgentID, ResponseCode: st.Code, TemplateCard: buttonCard(u.Card, u.CardID)}
	err := w.api(ctx, path, w.jsonRequest(path, nil, body), nil)
	var ae *APIError
	if errors.As(err, &ae) {
		w.log.Warn("update card refused; sending it anew", "task_id", u.CardID, "errcode", ae.Code)
		if fallback.To.UserID == "" && fallback.To.ChatID == "" && fallback.To.RobotURL == "" && fallback.To.ResponseURL == "" {
			fallback.To.UserID = user
		}
		return w.Send(ctx, fallback)
	}
	if err != nil {
		// WeCom did not answer: the code may still be unused. Keep it, so
		// that a later try (the outbox) can still update in place.
		w.saveCard(context.WithoutCancel(ctx), u.CardID, st)
	}
	return err
}

// uploadImage uploads a PNG as temporary media (media/upload) for app
// messages.
func (w *WeCom) uploadImage(ctx context.Context, png []byte) (string, error) {
	const path = "/cgi-bin/media/upload"
	build := func(ctx context.Context, tok string) (*http.Request, error) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="media"; filename="chart.png"`)
		h.Set("Content-Type", "image/png")
		part, err := mw.CreatePart(h)
		if err != nil {
			return nil, err
		}
		if _, err := part.Write(png); err != nil {
			return nil, err
		}
		if err := mw.Close(); err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.apiURL(path, tok, url.Values{"type": {"image"}}), &b)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return req, nil
	}
	var out struct {
		MediaID string `json:"media_id"`
	}
	if err := w.api(ctx, path, build, &out); err != nil {
		return "", err
	}
	if out.MediaID == "" {
		return "", errors.New("wecom media/upload: no media_id")
	}
	return out.MediaID, nil
}

// sendRobot pushes through a group robot webhook, at most 20 a minute per
// robot. The SDK's robot call ignores errcode; this one checks it.
func (w *WeCom) sendRobot(ctx context.Context, r bot.Reply) error {
	hook := r.To.RobotURL
	u, err := url.Parse(hook)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("wecom: robot URL is not an http(s) URL")
	}
	robot := robotID(hook)
	var body robotBody
	switch {
	case r.Image != nil && len(r.Image.PNG) > 0 && len(r.Image.PNG) <= robotImageMax:
		body = robotBody{MsgType: "image", Image: robotImageOf(r.Image.PNG)}
	case r.Update == nil && r.Card != nil && w.cfg.RobotCardURL != "":
		body = robotBody{MsgType: "template_card", TemplateCard: noticeCard(*r.Card, w.cfg.RobotCardURL)}
	default:
		text, md := replyText(r)
		if strings.TrimSpace(text) == "" {
			return errors.New("wecom: empty reply")
		}
		// One message per push: the robot's minute budget is small.
		if md {
			body = robotBody{MsgType: "markdown", Markdown: &content{Content: split(text, robotMarkdownMax, 1)[0]}}
		} else {
			body = robotBody{MsgType: "text", Text: &content{Content: split(text, robotTextMax, 1)[0]}}
		}
	}
	if w.lim != nil {
		ok, err := w.lim.Allow(ctx, "wecom:robot:"+robot, robotLimit, time.Minute)
		if err != nil {
			return fmt.Errorf("wecom robot %s: rate limit: %w", robot, err)
		}
		if !ok {
			return fmt.Errorf("robot %s: %w", robot, ErrRateLimited)
		}
	}
	b, err := marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, bytes.NewReader(b))
	if err != nil {
		return errors.New("wecom: bad robot URL")
	}
	req.Header.Set("Content-Type", "application/json")
	raw, err := w.roundTrip(req)
	if err != nil {
		return fmt.Errorf("wecom robot %s: %w", robot, err)
	}
	var ans struct {
		ErrCode int64  `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return fmt.Errorf("wecom robot %s: answer is not JSON", robot)
	}
	switch {
	case ans.ErrCode == 45009:
		return fmt.Errorf("robot %s: %w", robot, ErrRateLimited)
	case ans.ErrCode != 0:
		return &APIError{API: "webhook/send", Code: ans.ErrCode, Message: ans.ErrMsg}
	case strings.Contains(strings.ToLower(ans.ErrMsg), "warning"):
		// "ok. Warning: wrong json format." means the content was cut.
		return &APIError{API: "webhook/send", Message: ans.ErrMsg}
	}
	return nil
}

// robotID names a robot in logs and rate-limit keys without its secret key.
func robotID(hook string) string {
	sum := sha256.Sum256([]byte(hook))
	return hex.EncodeToString(sum[:6])
}

// sendResponseURL answers through an AI bot's response_url (one message,
// within an hour). Button cards only work in private chats there.
func (w *WeCom) sendResponseURL(ctx context.Context, r bot.Reply) error {
	body, err := aibotMessageOf(r)
	if err != nil {
		return err
	}
	b, err := marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.To.ResponseURL, bytes.NewReader(b))
	if err != nil {
		return errors.New("wecom: bad response_url")
	}
	req.Header.Set("Content-Type", "application/json")
	raw, err := w.roundTrip(req)
	if err != nil {
		return fmt.Errorf("wecom response_url: %w", err)
	}
	var ans struct {
		ErrCode int64  `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(raw, &ans) == nil && ans.ErrCode != 0 {
		return &APIError{API: "aibot/response", Code: ans.ErrCode, Message: ans.ErrMsg}
	}
	return nil
}

// aibotMessageOf renders a reply the AI bot sends on its own (response_url,
// aibot_send_msg): a button card in a private chat, else markdown.
func aibotMessageOf(r bot.Reply) (aibotReply, error) {
	if interactive(r.Card) && r.To.ChatID == "" {
		return aibotReply{MsgType: "template_card", TemplateCard: buttonCard(*r.Card, newTaskID(r.Card.ID))}, nil
	}
	text, _ := replyText(r)
	if strings.TrimSpace(text) == "" {
		return aibotReply{}, errors.New("wecom: empty reply")
	}
	return aibotReply{MsgType: "markdown", Markdown: &content{Content: split(text, aibotMax, 1)[0]}}, nil
}

// requestBuilder builds one attempt of an API call with the given token.
type requestBuilder func(ctx context.Context, token string) (*http.Request, error)

func (w *WeCom) apiURL(path, token string, q url.Values) string {
	v := url.Values{"access_token": {token}}
	for k, vs := range q {
		v[k] = vs
	}
	return w.cfg.APIBase + path + "?" + v.Encode()
}

// jsonRequest posts body as JSON (HTML not escaped, Content-Type set: the
// SDK's senders do neither).
func (w *WeCom) jsonRequest(path string, q url.Values, body any) requestBuilder {
	return func(ctx context.Context, tok string) (*http.Request, error) {
		b, err := marshal(body)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.apiURL(path, tok, q), bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		return req, nil
	}
}

// getRequest is a GET with query q.
func (w *WeCom) getRequest(path string, q url.Values) requestBuilder {
	return func(ctx context.Context, tok string) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, w.apiURL(path, tok, q), nil)
	}
}

// api calls a WeCom API with the access token and checks errcode. When
// WeCom refuses the token (40014, 42001, 41001) the cached one is dropped, a
// new one fetched and the call made once more; a busy answer (-1) is retried
// once after a pause.
func (w *WeCom) api(ctx context.Context, name string, build requestBuilder, out any) error {
	retriedToken, retriedBusy := false, false
	for {
		tok, err := w.accessToken(ctx)
		if err != nil {
			return err
		}
		req, err := build(ctx, tok)
		if err != nil {
			return fmt.Errorf("wecom %s: %w", name, err)
		}
		raw, err := w.roundTrip(req)
		if err != nil {
			return fmt.Errorf("wecom %s: %w", name, err)
		}
		var ans struct {
			ErrCode int64  `json:"errcode"`
			ErrMsg  string `json:"errmsg"`
		}
		if err := json.Unmarshal(raw, &ans); err != nil {
			return fmt.Errorf("wecom %s: answer is not JSON", name)
		}
		switch {
		case tokenRefused(ans.ErrCode) && !retriedToken:
			retriedToken = true
			w.log.Info("wecom access token refused; refreshing", "api", name, "errcode", ans.ErrCode)
			w.dropToken(ctx, tok)
			continue
		case ans.ErrCode == -1 && !retriedBusy:
			retriedBusy = true
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(300 * time.Millisecond):
			}
			continue
		case ans.ErrCode != 0:
			return &APIError{API: strings.TrimPrefix(name, "/cgi-bin/"), Code: ans.ErrCode, Message: ans.ErrMsg}
		}
		if out != nil {
			if err := json.Unmarshal(raw, out); err != nil {
				return fmt.Errorf("wecom %s: %w", name, err)
			}
		}
		return nil
	}
}

// roundTrip does one HTTP exchange and reads the answer. Its errors never
// carry the URL's query (access_token, robot key, response code).
func (w *WeCom) roundTrip(req *http.Request) ([]byte, error) {
	resp, err := w.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("%s %s: %w", ue.Op, stripQuery(ue.URL), ue.Err)
		}
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: HTTP %d", req.Method, stripQuery(req.URL.String()), resp.StatusCode)
	}
	return raw, nil
}

func stripQuery(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}
