package main

import (
	"strings"
	"testing"
)

// bench runs the DingTalk Stream phases next to the callback path and
// checks that every acknowledged report was stored.
func TestBenchDingTalkStream(t *testing.T) {
	out, err := runCmd(t, map[string]string{}, "bench", "-n", "20", "-rate", "50", "-reps", "5", "-customers", "8")
	t.Logf("output:\n%s", out)
	if err != nil {
		t.Fatalf("bench: %v", err)
	}
	for _, want := range []string{"dingtalk stream at 50/s", "dingtalk stream, unpaced", "ratio dingtalk stream / storage"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if !strings.Contains(out, "dingtalk stream, unpaced                   20 ok    0 failed") {
		t.Errorf("not every stream report was acknowledged and answered")
	}
}
