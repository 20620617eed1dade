package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"salesbot/domain"
	"salesbot/domain/demo"
	"salesbot/domain/store"
)

// runJobT runs `salesbot job ARGS` on the embedded default in dir.
func runJobT(t *testing.T, dir string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := map[string]string{"SALESBOT_DATA_DIR": dir, "SALESBOT_TZ": "Asia/Shanghai"}
	if err := runJob(context.Background(), args, envOf(env), &stdout, &stderr); err != nil {
		t.Fatalf("job %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.String()
}

func TestJobCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Fill(ctx, st); err != nil {
		t.Fatal(err)
	}
	st.Close()

	t.Run("DryRun", func(t *testing.T) {
		out := runJobT(t, dir, "digest", "--date", "2026-01-07", "--team", "华东大客户部", "--dry-run")
		for _, want := range []string{"== digest 2026-01-07 华东大客户部：1 条消息（预览，未发送）", "→ 张伟（sim 私聊 zhangwei）",
			"**📋 华东大客户部 日报 · 1月7日（周三）**", "未发送任何消息"} {
			if !strings.Contains(out, want) {
				t.Errorf("dry run lacks %q:\n%s", want, out)
			}
		}
		st, _ := store.Open(ctx, store.Config{DataDir: dir})
		defer st.Close()
		if ps, _ := st.ListPushes(ctx, domain.PushFilter{}); len(ps) != 0 {
			t.Errorf("dry run queued %d pushes", len(ps))
		}
	})

	t.Run("SettingsAndCalendar", func(t *testing.T) {
		out := runJobT(t, dir, "settings", "--team", "华东大客户部", "group_digest=on", "schedule.digest=30 19 * * 1-5")
		if !strings.Contains(out, "group_digest=on") || !strings.Contains(out, "schedule.digest=30 19 * * 1-5") {
			t.Errorf("settings:\n%s", out)
		}
		var stdout, stderr bytes.Buffer
		env := map[string]string{"SALESBOT_DATA_DIR": dir}
		if err := runJob(ctx, []string{"settings", "--team", "1", "quiet_hours=8点"}, envOf(env), &stdout, &stderr); err == nil {
			t.Error("a bad setting was accepted")
		}
		out = runJobT(t, dir, "calendar", "--from", "2026-10-01", "--to", "2026-10-31", "2026-10-01=holiday:国庆节", "2026-10-11=workday:国庆调休")
		// The deployment's own days, and the statutory ones shipped with
		// salesbot for the rest of the range.
		for _, want := range []string{"2026-10-01 放假 国庆节\n", "2026-10-11 调休上班 国庆调休\n",
			"2026-10-02 放假 国庆节（法定）", "2026-10-10 调休上班 国庆节调休（法定）"} {
			if !strings.Contains(out, want) {
				t.Errorf("calendar lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("RunQueuesOnce", func(t *testing.T) {
		out := runJobT(t, dir, "digest", "--date", "2026-01-07")
		if !strings.Contains(out, "digest 2026-01-07 华东大客户部：2 条消息，新排入 2，之前已排入 0") {
			t.Errorf("first run:\n%s", out)
		}
		out = runJobT(t, dir, "digest", "--date", "2026-01-07")
		if !strings.Contains(out, "新排入 0，之前已排入 2") {
			t.Errorf("second run:\n%s", out)
		}
	})
}

// TestJobBenchCommand runs `salesbot job bench` when SALESBOT_JOB_BENCH
// holds its flags (e.g. "--visits 100000"); it needs MySQL.
func TestJobBenchCommand(t *testing.T) {
	flags := os.Getenv("SALESBOT_JOB_BENCH")
	if flags == "" {
		t.Skip("set SALESBOT_JOB_BENCH to run the job bench (e.g. SALESBOT_JOB_BENCH='--visits 100000')")
	}
	var stdout bytes.Buffer
	err := runJob(context.Background(), append([]string{"bench"}, strings.Fields(flags)...), os.Getenv, &stdout, os.Stderr)
	t.Log("\n" + stdout.String())
	if err != nil {
		t.Fatal(err)
	}
}
