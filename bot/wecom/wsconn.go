package wecom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// errConnClosed: the connection ended before a request was answered.
var errConnClosed = errors.New("wecom AI bot connection closed")

// errNotSent: the connection had ended before the request was written, so
// sending it on another connection cannot duplicate it.
var errNotSent = fmt.Errorf("%w before the request was sent", errConnClosed)

// socket is one live long connection. A single writer goroutine owns
// writes; the read loop routes answers to the requests waiting for them
// and hands callbacks to the caller.
type socket struct {
	c   *websocket.Conn
	out chan []byte

	mu      sync.Mutex
	pending map[string][]chan frame // req_id → waiters, in send order
	done    chan struct{}
	err     error // why it ended
	once    sync.Once
}

func newSocket(c *websocket.Conn) *socket {
	c.SetReadLimit(1 << 20)
	return &socket{c: c, out: make(chan []byte, 64), pending: map[string][]chan frame{}, done: make(chan struct{})}
}

// close ends the connection once, recording why.
func (s *socket) close(err error) {
	s.once.Do(func() {
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(s.done)
		s.c.Close(websocket.StatusNormalClosure, "")
	})
}

// ended reports whether the connection has ended.
func (s *socket) ended() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// cause is why the connection ended.
func (s *socket) cause() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// writeLoop sends queued frames until the connection ends. A failed write
// does not end the connection itself: the read loop does, after reading
// what the peer sent before it went (a disconnected_event must not be
// lost to a ping written into the closing connection); frames queued
// after a failure are dropped, and their requests time out.
func (s *socket) writeLoop() {
	failed := false
	for {
		select {
		case <-s.done:
			return
		case b := <-s.out:
			if failed {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			failed = s.c.Write(ctx, websocket.MessageText, b) != nil
			cancel()
		}
	}
}

// readLoop reads frames until the connection ends: answers go to their
// waiting requests, callbacks to onCallback, which must not block (a
// handler may be waiting for an answer only this loop can read).
func (s *socket) readLoop(onCallback func(frame)) {
	for {
		_, b, err := s.c.Read(context.Background())
		if err != nil {
			s.close(fmt.Errorf("read: %w", err))
			return
		}
		var f frame
		if err := json.Unmarshal(b, &f); err != nil {
			continue // not a frame; WeCom sends nothing else
		}
		if f.inbound() {
			onCallback(f)
			continue
		}
		s.answer(f)
	}
}

// answer hands an answer frame to the oldest request waiting on its req_id.
func (s *socket) answer(f frame) {
	s.mu.Lock()
	ws := s.pending[f.Headers.ReqID]
	var ch chan frame
	if len(ws) > 0 {
		ch = ws[0]
		if len(ws) == 1 {
			delete(s.pending, f.Headers.ReqID)
		} else {
			s.pending[f.Headers.ReqID] = ws[1:]
		}
	}
	s.mu.Unlock()
	if ch != nil {
		ch <- f
	}
}

// request sends a frame and waits for its answer; a non-zero errcode is an
// *APIError. errNotSent means the frame surely did not go out; other
// errConnClosed errors leave that open.
func (s *socket) request(ctx context.Context, cmd, reqID string, body any) error {
	f := frame{Cmd: cmd, Headers: frameHeaders{ReqID: reqID}}
	if body != nil {
		b, err := marshal(body)
		if err != nil {
			return err
		}
		f.Body = b
	}
	b, err := marshal(f)
	if err != nil {
		return err
	}
	if s.ended() {
		return errNotSent
	}
	ch := make(chan frame, 1)
	s.mu.Lock()
	s.pending[reqID] = append(s.pending[reqID], ch)
	s.mu.Unlock()
	forget := func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		ws := s.pending[reqID]
		for i, w := range ws {
			if w == ch {
				ws = append(ws[:i:i], ws[i+1:]...)
				break
			}
		}
		if len(ws) == 0 {
			delete(s.pending, reqID)
		} else {
			s.pending[reqID] = ws
		}
	}
	select {
	case s.out <- b:
	case <-s.done:
		forget()
		return errNotSent
	case <-ctx.Done():
		forget()
		return ctx.Err()
	}
	select {
	case ans := <-ch:
		if ans.ErrCode != nil && *ans.ErrCode != 0 {
			return &APIError{API: cmd, Code: *ans.ErrCode, Message: ans.ErrMsg}
		}
		return nil
	case <-s.done:
		forget()
		return errConnClosed
	case <-ctx.Done():
		forget()
		return ctx.Err()
	}
}
