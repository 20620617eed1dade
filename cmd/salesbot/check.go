package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// check is one thing `salesbot check` verifies for real. run returns nil
// when it passes, else an error whose text says what to fix, in words an
// IT admin can act on. A check with skip set is not run; skip says why
// and how to have it run.
type check struct {
	name string // "platform: what", e.g. "dingtalk: access token"
	run  func(ctx context.Context) error
	skip string
}

// checkOptions are what the checks may use besides the configuration.
type checkOptions struct {
	// publicURL is the address the platforms call back (--url), "" when
	// not given: callback URLs are then not probed.
	publicURL string
}

// checkers list each platform's checks; a platform that is not configured
// gives none. A platform adds its own function here.
var checkers = []func(cfg Config, opt checkOptions) []check{
	dingtalkChecks,
	wecomChecks,
}

// checkTimeout bounds each check.
const checkTimeout = 20 * time.Second

// runCheck runs every configured platform's checks and prints one line
// per check. It fails when any check fails (or none is configured).
func runCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "", "file of SALESBOT_*=value lines")
	publicURL := fs.String("url", "", "public https address the platforms call back (callback mode), e.g. https://bot.example.com")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(getenv, *configFile)
	if err != nil {
		return err
	}
	opt := checkOptions{publicURL: strings.TrimRight(*publicURL, "/")}
	var checks []check
	for _, c := range checkers {
		checks = append(checks, c(cfg, opt)...)
	}
	if len(checks) == 0 {
		fmt.Fprintln(stdout, "FAIL config: no chat platform is configured — set SALESBOT_DINGTALK_APP_KEY and SALESBOT_DINGTALK_APP_SECRET, or the SALESBOT_WECOM_* settings (see README)")
		return fmt.Errorf("nothing to check")
	}
	failed := 0
	for _, c := range checks {
		if c.skip != "" {
			fmt.Fprintf(stdout, "skip %s — %s\n", c.name, c.skip)
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, checkTimeout)
		err := c.run(cctx)
		cancel()
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "FAIL %s — %s\n", c.name, err)
			continue
		}
		fmt.Fprintf(stdout, "ok   %s\n", c.name)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d checks failed", failed, len(checks))
	}
	return nil
}
