package wecom_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"salesbot/bot/bottest"
	"salesbot/bot/wecom/aibotfake"
	"salesbot/domain"
)

// Two replicas share the bot: one holds the connection, the other waits.
// When the holder dies (it neither renews nor releases its lease) the other
// takes over once the lease expires; there are never two connections at
// once, and a message sent meanwhile is handled once and answered.
func TestLongConnFailover(t *testing.T) {
	cases := []struct {
		name     string
		real     bool
		leaseTTL time.Duration
	}{
		{"embedded", false, 600 * time.Millisecond},
		{"redis", true, 600 * time.Millisecond},
		// Production timings (10 s lease), to measure the takeover time.
		{"redis_default_lease", true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.leaseTTL == 0 && testing.Short() {
				t.Skip("takes a lease's lifetime")
			}
			s := bottest.New(t, bottest.Options{RealRedis: tc.real})
			fake := aibotfake.New(map[string]string{testBot: testSecret})
			defer fake.Close()
			lc := fastLongConn(fake)
			lc.LeaseTTL = tc.leaseTTL
			h := countDone(s.Router)
			la, lb := &killableLeases{Leases: s.KV}, &killableLeases{Leases: s.KV}
			a := lcReplica(t, s, h, lc, la)
			killA := runReplica(t, a.w)
			waitFrame(t, fake, "aibot_subscribe", anyFrame)

			b := lcReplica(t, s, h, lc, lb)
			runReplica(t, b.w)
			lb.waitAcquires(t, 3) // b keeps asking, and stays away
			if st := fake.Stats(); st.Dials != 1 {
				t.Fatalf("the standby dialled: %+v", st)
			}

			// a dies: its lease is neither renewed nor released, and its
			// connection goes down with it.
			la.dead.Store(true)
			killA()
			died := time.Now()
			lina := s.Demo.EastReps[0]
			req := fake.Message(testBot, textBody("f-1", lina.WeComUserID, "", "今天上门拜访了华辰科技王总，聊了报价"))
			s.KV.FastForward(time.Minute) // the in-process Redis's clock only moves when told

			// The lease outlives its holder by up to LeaseTTL; the standby
			// polls every LeaseTTL/4 at most.
			ans := waitFrameFor(t, 3*max(lc.LeaseTTL, 10*time.Second), fake, "aibot_respond_msg", func(f aibotfake.Frame) bool { return f.ReqID == req })
			t.Logf("takeover (%s): the standby answered %v after the holder died", tc.name, time.Since(died).Round(time.Millisecond))
			if ans.Conn != 2 {
				t.Errorf("answered on connection %d", ans.Conn)
			}
			h.wait(t, 1)
			if st := fake.Stats(); st.Kicks != 0 || st.Subscribes != 2 || st.Dials != 2 {
				t.Errorf("stats %+v: want two connections one after the other", st)
			}
			visits, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: lina.ID})
			if err != nil || len(visits) != 1 {
				t.Errorf("visits %+v, %v", visits, err)
			}
		})
	}
}

// A connection replaced by someone else's (disconnected_event) does not
// reconnect and kick it back, and no other replica does either.
func TestLongConnReplacedDoesNotFightBack(t *testing.T) {
	s := bottest.New(t)
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	lc := fastLongConn(fake)
	la, lb := &killableLeases{Leases: s.KV}, &killableLeases{Leases: s.KV}
	a := lcReplica(t, s, s.Router, lc, la)
	runReplica(t, a.w)
	waitFrame(t, fake, "aibot_subscribe", anyFrame)
	// Kick only once a's subscription is answered: a connection closed
	// while subscribing is an ordinary failure, retried.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(a.logs.String(), "long connection up"); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("a never came up:\n%s", a.logs.String())
		}
	}
	b := lcReplica(t, s, s.Router, lc, lb)
	runReplica(t, b.w)

	fake.Kick(testBot)
	if !fake.Wait(5*time.Second, func() bool { return !fake.Live(testBot) }) {
		t.Fatal("still live after the kick")
	}
	// Several lease renewals of a and polls of b later, nobody has dialled.
	lb.waitAcquires(t, 5)
	if st := fake.Stats(); st.Dials != 1 || st.Subscribes != 1 {
		t.Errorf("stats %+v: someone reconnected", st)
	}
	if logs := a.logs.String(); !containsAll(logs, "disconnected_event", "wait=1h0m0s") {
		t.Errorf("the replacement is not explained in the log:\n%s", logs)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
