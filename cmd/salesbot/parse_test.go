package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runParseT runs `salesbot parse` with args and stdin and returns stdout
// and stderr.
func runParseT(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := runParse(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func decodeLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("bad JSON output %q: %v", s, err)
		}
		out = append(out, m)
	}
	return out
}

func TestParseSingleMessage(t *testing.T) {
	out, _, err := runParseT(t, nil, "", "--at", "2026-01-05T09:12:00+08:00", "星海科技", "刘总", "电话", "报价50w", "下周三再跟")
	if err != nil {
		t.Fatal(err)
	}
	recs := decodeLines(t, out)
	if len(recs) != 1 {
		t.Fatalf("want one object, got %q", out)
	}
	r := recs[0]
	want := map[string]any{
		"id": "", "intent": "report", "customer": "星海科技", "channel": "phone", "visit_date": "2026-01-05",
		"stage": "quote", "amount": 500000.0, "next_date": "2026-01-14",
	}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("%s = %v, want %v", k, r[k], v)
		}
	}
	if c, ok := r["contacts"].([]any); !ok || len(c) != 1 || c[0] != "刘总" {
		t.Errorf("contacts = %v", r["contacts"])
	}
}

func TestParseStdinAndNulls(t *testing.T) {
	out, _, err := runParseT(t, nil, "收到\n", "--at", "2026-01-05T09:30:00+08:00")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"contacts":[]`) || !strings.Contains(out, `"customer":null`) || !strings.Contains(out, `"intent":"other"`) {
		t.Errorf("output %q", out)
	}
}

func TestParseNoHTMLEscape(t *testing.T) {
	out, _, err := runParseT(t, nil, "", "--at", "2026-01-05T09:30:00+08:00", "今天去<星海科技>拜访了王总&李总")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `\u003c`) || strings.Contains(out, `\u0026`) {
		t.Errorf("HTML-escaped output %q", out)
	}
}

func TestParseJSONL(t *testing.T) {
	in := `{"id": "a", "at": "2026-01-02T17:40:00+08:00", "text": "12月30日去云州一院拜访了王建国主任，下周二带技术过去"}
{"id": "b", "at": "2026-01-05T08:45:00+08:00", "text": "本周排行"}

{"id": "c", "at": "2026-01-05T09:30:00+08:00", "text": "收到"}
`
	out, _, err := runParseT(t, nil, in, "--jsonl")
	if err != nil {
		t.Fatal(err)
	}
	recs := decodeLines(t, out)
	if len(recs) != 3 {
		t.Fatalf("want 3 objects, got %d: %s", len(recs), out)
	}
	for i, id := range []string{"a", "b", "c"} {
		if recs[i]["id"] != id {
			t.Errorf("object %d has id %v, want %s", i, recs[i]["id"], id)
		}
	}
	if recs[0]["visit_date"] != "2025-12-30" || recs[0]["next_date"] != "2026-01-06" || recs[0]["intent"] != "report" {
		t.Errorf("first record %v", recs[0])
	}
	if recs[1]["intent"] != "command" || recs[2]["intent"] != "other" {
		t.Errorf("intents %v %v", recs[1]["intent"], recs[2]["intent"])
	}
}

func TestParseJSONLBadLine(t *testing.T) {
	in := "{\"id\": \"a\", \"at\": \"2026-01-05T09:30:00+08:00\", \"text\": \"收到\"}\nnot json\n" +
		"{\"id\": \"c\", \"at\": \"yesterday\", \"text\": \"收到\"}\n{\"id\": \"d\", \"text\": \"好的\"}\n"
	out, errOut, err := runParseT(t, nil, in, "--jsonl", "--at", "2026-01-05T09:30:00+08:00")
	if err == nil {
		t.Fatal("want an error for the bad lines")
	}
	recs := decodeLines(t, out)
	if len(recs) != 4 {
		t.Fatalf("want one object per line, got %d: %s", len(recs), out)
	}
	if _, ok := recs[1]["error"]; !ok {
		t.Errorf("line 2: want an error object, got %v", recs[1])
	}
	if recs[2]["id"] != "c" || recs[2]["error"] == nil {
		t.Errorf("line 3: want an error object with id c, got %v", recs[2])
	}
	if recs[3]["id"] != "d" || recs[3]["intent"] != "other" {
		t.Errorf("line 4 (no at: --at applies): %v", recs[3])
	}
	if !strings.Contains(errOut, "line 2") || !strings.Contains(errOut, "line 3") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestParseCustomersFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "customers.json")
	data := `[{"name": "华为技术有限公司", "aliases": ["华为", "Huawei"]}]`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := runParseT(t, nil, "", "--customers", path, "--at", "2026-03-02T10:00:00+08:00", "今天去HUAWEI拜访了张总，初次拜访")
	if err != nil {
		t.Fatal(err)
	}
	r := decodeLines(t, out)[0]
	if r["customer"] != "华为技术有限公司" || r["stage"] != "prospecting" || r["channel"] != "onsite" {
		t.Errorf("record %v", r)
	}
	if _, _, err := runParseT(t, nil, "", "--customers", filepath.Join(t.TempDir(), "missing.json"), "收到"); err == nil {
		t.Error("want an error for a missing customers file")
	}
}

func TestParseTimeZone(t *testing.T) {
	// 2026-01-04T17:00Z is already 01:00 on the 5th in Shanghai.
	out, _, err := runParseT(t, nil, "", "--at", "2026-01-04T17:00:00Z", "星海科技 王总 电话 明天再跟")
	if err != nil {
		t.Fatal(err)
	}
	if r := decodeLines(t, out)[0]; r["visit_date"] != "2026-01-05" || r["next_date"] != "2026-01-06" {
		t.Errorf("Asia/Shanghai: %v", r)
	}
	out, _, err = runParseT(t, map[string]string{"SALESBOT_TZ": "UTC"}, "", "--at", "2026-01-04T17:00:00Z", "星海科技 王总 电话 明天再跟")
	if err != nil {
		t.Fatal(err)
	}
	if r := decodeLines(t, out)[0]; r["visit_date"] != "2026-01-04" || r["next_date"] != "2026-01-05" {
		t.Errorf("UTC: %v", r)
	}
	if _, _, err := runParseT(t, map[string]string{"SALESBOT_TZ": "Mars/Base"}, "", "收到"); err == nil {
		t.Error("want an error for a bad SALESBOT_TZ")
	}
	if _, _, err := runParseT(t, nil, "", "--at", "tomorrow", "收到"); err == nil {
		t.Error("want an error for a bad --at")
	}
}
