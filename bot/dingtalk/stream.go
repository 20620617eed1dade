package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// StreamOptions tune the Stream client. Zero values take the defaults.
type StreamOptions struct {
	// Idle: after this long without a frame the connection is pinged, and
	// given up when no pong comes within PongWait. Default 60 s, 10 s.
	Idle, PongWait time.Duration
	// MinBackoff and MaxBackoff bound the wait before reconnecting (doubled
	// on each failure in a row, with jitter). Default 1 s and 60 s.
	MinBackoff, MaxBackoff time.Duration
	// Workers is how many frames are handled at once. Default 32.
	Workers int
	// OnConnected, when set, is told each time the connection comes up
	// (true) or ends (false).
	OnConnected func(up bool)
	// OnFrame, when set, counts each robot message or card frame by
	// outcome: "acked", "not_acked" (the Handler failed; DingTalk
	// delivers it again), "ignored" (group chatter, other topics) or
	// "bad" (an unusable payload).
	OnFrame func(outcome string)
}

func (o StreamOptions) withDefaults() StreamOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Idle, 60*time.Second)
	def(&o.PongWait, 10*time.Second)
	def(&o.MinBackoff, time.Second)
	def(&o.MaxBackoff, time.Minute)
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = o.MinBackoff
	}
	if o.Workers <= 0 {
		o.Workers = 32
	}
	if o.OnConnected == nil {
		o.OnConnected = func(bool) {}
	}
	if o.OnFrame == nil {
		o.OnFrame = func(string) {}
	}
	return o
}

// Stream is the app robot's Stream mode client (长连接): salesbot dials out
// to DingTalk, so no public callback URL is needed. Every replica may run
// one; DingTalk hands each message to one connection, and redelivers it
// (possibly to another) when it is not acknowledged.
type Stream struct {
	d   *DingTalk
	opt StreamOptions
	log *slog.Logger

	replies sync.WaitGroup // replies being sent after their ack
}

// Stream returns the Stream client of this adapter; Run starts it.
func (d *DingTalk) Stream(opt StreamOptions) *Stream {
	return &Stream{d: d, opt: opt.withDefaults(), log: d.log.With("mode", "stream")}
}

// Why a connection ended, besides read errors.
var (
	errDisconnect = errors.New("DingTalk asked to reconnect (SYSTEM disconnect)")
	errSilent     = errors.New("connection silent: no frame and no pong")
)

const (
	// writeTimeout bounds writing one ack.
	writeTimeout = 10 * time.Second
	// stableAfter: a connection that stayed up this long ends a run of
	// failures, and the next reconnect waits only MinBackoff again. One
	// that drops sooner counts as a failure, so a gateway that accepts and
	// drops at once is not hammered.
	stableAfter = 30 * time.Second
)

// Run keeps a Stream connection up until ctx ends: it reconnects after a
// failure, a SYSTEM disconnect or silence, waiting MinBackoff doubled per
// failure in a row (up to MaxBackoff), with jitter. On return every
// handled frame has been acknowledged (or its connection was gone) and
// every reply sent.
func (s *Stream) Run(ctx context.Context) error {
	defer s.replies.Wait()
	failures := 0
	for {
		up, err := s.connection(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if up >= stableAfter {
			failures = 0
		}
		wait := s.backoff(failures)
		failures++
		level := slog.LevelWarn
		if errors.Is(err, errDisconnect) {
			level = slog.LevelInfo // DingTalk moves connections now and then
		}
		s.log.Log(ctx, level, "dingtalk stream connection ended; reconnecting", "err", err, "in", wait.Round(time.Millisecond).String())
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// backoff is the wait before the next attempt after n failures in a row:
// MinBackoff·2ⁿ capped at MaxBackoff, of which a random half is taken off.
func (s *Stream) backoff(n int) time.Duration {
	d := s.opt.MinBackoff
	for i := 0; i < n && d < s.opt.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.opt.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// connection opens one connection and serves it until it ends, and says
// how long it was up (0: it never came up).
func (s *Stream) connection(ctx context.Context) (up time.Duration, err error) {
	conn, err := s.d.dialStream(ctx)
	if err != nil {
		return 0, err
	}
	s.log.Info("dingtalk stream connected")
	s.opt.OnConnected(true)
	defer s.opt.OnConnected(false)
	start := time.Now()
	err = s.serve(ctx, conn)
	return time.Since(start), err
}

// serve reads frames until ctx ends or the connection fails, goes silent or
// is to be replaced. Then it stops reading new frames, lets the frames in
// hand finish and acknowledge, and closes the connection.
func (s *Stream) serve(ctx context.Context, conn *websocket.Conn) error {
	frames := make(chan []byte)
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		for {
			// Read gets its own context: cancelling it would close the
			// connection under the acks still to be written.
			_, b, err := conn.Read(context.Background())
			if err != nil {
				readErr <- err
				return
			}
			select {
			case frames <- b:
			case <-stop:
				return // not acknowledged: DingTalk delivers it again
			}
		}
	}()

	var inflight sync.WaitGroup
	slots := make(chan struct{}, s.opt.Workers)
	idle := time.NewTimer(s.opt.Idle)
	defer idle.Stop()
	err := func() error {
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case err := <-readErr:
				return err
			case <-idle.C:
				pctx, cancel := context.WithTimeout(ctx, s.opt.PongWait)
				err := conn.Ping(pctx)
				cancel()
				if err != nil {
					return fmt.Errorf("%w: %v", errSilent, err)
				}
				idle.Reset(s.opt.Idle)
			case b := <-frames:
				idle.Reset(s.opt.Idle)
				var f frame
				if err := json.Unmarshal(b, &f); err != nil {
					s.log.Warn("dingtalk stream frame is not JSON; ignored", "err", err, "frame", clip(string(b), 500))
					continue
				}
				if f.Type == frameSystem {
					if err := s.system(conn, f); err != nil {
						return err
					}
					continue
				}
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return ctx.Err()
				}
				inflight.Add(1)
				go func() {
					defer func() { <-slots; inflight.Done() }()
					s.frame(ctx, conn, f)
				}()
			}
		}
	}()
	close(stop)
	inflight.Wait()
	// A closing handshake only where the other side still listens.
	if ctx.Err() == nil && !errors.Is(err, errDisconnect) {
		conn.CloseNow()
	} else if cerr := conn.Close(websocket.StatusNormalClosure, ""); cerr != nil {
		conn.CloseNow()
	}
	return err
}

// system answers a SYSTEM frame. A disconnect ends the connection.
func (s *Stream) system(conn *websocket.Conn, f frame) error {
	switch f.topic() {
	case topicPing:
		return s.write(conn, newAck(f, 200, "OK", f.Data))
	case topicDisconnect:
		s.log.Info("dingtalk stream: disconnect requested", "data", clip(f.Data, 200))
		return errDisconnect
	}
	s.log.Debug("dingtalk stream: system frame ignored", "topic", f.topic())
	return nil
}

// frame handles a CALLBACK (or an EVENT we did not ask for) and answers
// it. A robot message or card click is acknowledged only once the Handler
// has stored it; on a Handler error nothing is sent, and DingTalk delivers
// the frame again.
func (s *Stream) frame(ctx context.Context, conn *websocket.Conn, f frame) {
	log := s.log.With("frame_id", f.messageID(), "topic", f.topic())
	var dl delivery
	var ok bool
	var err error
	switch {
	case f.Type == frameCallback && f.topic() == topicBotMessage:
		dl, ok, err = s.d.decodeMessage([]byte(f.Data))
	case f.Type == frameCallback && f.topic() == topicCard:
		dl, err = s.d.decodeCard([]byte(f.Data))
		ok = err == nil
	default:
		log.Warn("dingtalk stream: frame of a topic we did not subscribe to", "type", f.Type)
		s.opt.OnFrame("ignored")
		s.answer(conn, newAck(f, 404, "not subscribed", ""), log)
		return
	}
	if err != nil {
		// Delivering it again would not help: say so and keep the payload
		// in the log.
		log.Warn("dingtalk stream: bad payload", "err", err, "data", clip(f.Data, 2000))
		s.opt.OnFrame("bad")
		s.answer(conn, newAck(f, 400, "bad payload", ""), log)
		return
	}
	log = log.With("msg_id", dl.m.ID, "user_id", dl.m.UserID, "chat_id", dl.m.ChatID)
	if !ok {
		log.Debug("dingtalk group message without @bot ignored")
		s.opt.OnFrame("ignored")
		s.answer(conn, newAck(f, 200, "OK", callbackAckData), log)
		return
	}
	// The message is finished even when the connection ends meanwhile:
	// the redelivery then finds it stored.
	replies, err := s.d.handle(context.WithoutCancel(ctx), dl)
	if err != nil {
		log.Warn("dingtalk message not handled; not acknowledged", "err", err)
		s.opt.OnFrame("not_acked")
		return
	}
	s.opt.OnFrame("acked")
	s.answer(conn, newAck(f, 200, "OK", callbackAckData), log)
	s.replies.Add(1)
	go func() {
		defer s.replies.Done()
		s.d.deliver(ctx, dl.m, replies, log)
	}()
}

// answer writes an ack, logging a failure (the frame is then delivered
// again, and the Router finds it handled).
func (s *Stream) answer(conn *websocket.Conn, a ack, log *slog.Logger) {
	if err := s.write(conn, a); err != nil {
		log.Warn("dingtalk stream: ack not sent", "err", err)
	}
}

func (s *Stream) write(conn *websocket.Conn, a ack) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	return conn.Write(ctx, websocket.MessageText, b)
}
