package dingtalk

import (
	"testing"
	"time"
)

// The wait before reconnecting doubles per failure in a row up to the
// cap, and is jittered within its upper half so that replicas dropped
// together do not come back together.
func TestStreamBackoff(t *testing.T) {
	s := &Stream{opt: StreamOptions{MinBackoff: time.Second, MaxBackoff: 30 * time.Second}.withDefaults()}
	for n, ceil := range []time.Duration{1, 2, 4, 8, 16, 30, 30, 30} {
		ceil *= time.Second
		seen := map[time.Duration]bool{}
		for range 200 {
			d := s.backoff(n)
			if d < ceil/2 || d > ceil {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", n, d, ceil/2, ceil)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("backoff(%d) always %v: no jitter", n, seen)
		}
	}
	if d := s.backoff(1000); d > 30*time.Second {
		t.Errorf("backoff(1000) = %s, past the cap", d)
	}
}

func TestStreamOptionsDefaults(t *testing.T) {
	got := StreamOptions{MinBackoff: time.Minute, MaxBackoff: time.Second}.withDefaults()
	if got.Idle != 60*time.Second || got.PongWait != 10*time.Second || got.MinBackoff != time.Minute ||
		got.MaxBackoff != time.Minute || got.Workers != 32 || got.OnConnected == nil || got.OnFrame == nil {
		t.Errorf("withDefaults = %+v", got)
	}
}
