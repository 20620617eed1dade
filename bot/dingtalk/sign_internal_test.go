package dingtalk

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// platforms.md §5 D1: the app callback sign.
func TestSignVectorD1(t *testing.T) {
	const want = "dB+fldh2zhJ7wZChzzOHcp0S9CzN9t6Uu/qRyvKJlX8="
	if got := sign("test-app-secret-0123456789", "1700000000000"); got != want {
		t.Fatalf("sign = %s, want %s", got, want)
	}
	now := time.UnixMilli(1700000000000)
	tests := []struct {
		name string
		now  time.Time
		sign string
		want error
	}{
		{"Exact", now, want, nil},
		{"PlusOneHour", now.Add(3600000 * time.Millisecond), want, nil},
		{"MinusOneHour", now.Add(-3600000 * time.Millisecond), want, nil},
		{"PlusOneHourAndOneMs", now.Add(3600001 * time.Millisecond), want, errStale},
		{"MinusOneHourAndOneMs", now.Add(-3600001 * time.Millisecond), want, errStale},
		{"WrongSign", now, strings.Replace(want, "d", "e", 1), errBadSignature},
		{"Empty", now, "", errNoSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifyCallback("test-app-secret-0123456789", "1700000000000", tt.sign, tt.now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("verifyCallback = %v, want %v", err, tt.want)
			}
		})
	}
}

// platforms.md §5 D2: the custom robot 加签.
func TestSignVectorD2(t *testing.T) {
	const secret = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	if got, want := sign(secret, "1700000000000"), "bTgY2yDbep+wesS7jKiNj+srsHoADES4+C4f8LCHFtU="; got != want {
		t.Fatalf("sign = %s, want %s", got, want)
	}
	got, err := signedRobotURL("https://oapi.dingtalk.com/robot/send?access_token=TOKEN", secret, time.UnixMilli(1700000000000))
	if err != nil {
		t.Fatal(err)
	}
	const want = "https://oapi.dingtalk.com/robot/send?access_token=TOKEN&timestamp=1700000000000&sign=bTgY2yDbep%2BwesS7jKiNj%2BsrsHoADES4%2BC4f8LCHFtU%3D"
	if got != want {
		t.Fatalf("URL =\n%s\nwant\n%s", got, want)
	}
	// An old timestamp and sign in the configured URL are replaced.
	got, _ = signedRobotURL(want, secret, time.UnixMilli(1700000000000))
	if got != want {
		t.Fatalf("re-signed URL = %s", got)
	}
}

func TestSessionURL(t *testing.T) {
	exp := time.UnixMilli(1774086394522)
	s := sessionURL("https://oapi.dingtalk.com/robot/sendBySession?session=abc", exp)
	if s != "https://oapi.dingtalk.com/robot/sendBySession?session=abc#expires=1774086394522" {
		t.Fatalf("sessionURL = %s", s)
	}
	hook, got := parseSessionURL(s)
	if hook != "https://oapi.dingtalk.com/robot/sendBySession?session=abc" || !got.Equal(exp) {
		t.Fatalf("parseSessionURL = %s, %v", hook, got)
	}
	if hook, got := parseSessionURL("https://x/y?session=abc"); hook != "https://x/y?session=abc" || !got.IsZero() {
		t.Fatalf("without expiry: %s, %v", hook, got)
	}
}

func TestSplitText(t *testing.T) {
	line := strings.Repeat("销", 99) + "\n" // 298 bytes
	long := strings.Repeat(line, 100)      // 29800 bytes
	parts := splitText(long, 6000, 3)
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for i, p := range parts {
		if len(p) > 6000 {
			t.Errorf("part %d has %d bytes", i, len(p))
		}
	}
	if !strings.HasPrefix(parts[1], "销") || strings.HasSuffix(parts[0], "\n") {
		t.Errorf("parts not cut at line breaks")
	}
	if !strings.Contains(parts[2], "内容过长，其余") {
		t.Errorf("last part has no pointer: ...%s", parts[2][len(parts[2])-80:])
	}
	if got := splitText("短消息", 6000, 3); len(got) != 1 || got[0] != "短消息" {
		t.Errorf("short text = %q", got)
	}
	// No line breaks: cut at a rune boundary.
	for _, p := range splitText(strings.Repeat("拜", 3000), 1000, 10) {
		if len(p) > 1000 || !strings.HasPrefix(p, "拜") || !strings.HasSuffix(p, "拜") {
			t.Fatalf("bad part %q…", p[:9])
		}
	}
}
