package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"salesbot/domain"
)

// runHandover gives a departing rep's customers, open deals and open
// follow-ups to a colleague and marks the rep as departed:
// salesbot handover FROM TO (members' names).
func runHandover(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("handover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "", "file of SALESBOT_*=value lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: salesbot handover FROM TO (the two members' names)")
	}
	st, cfg, err := openStore(ctx, getenv, *configFile, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := domain.NewService(st, cfg.TZ, nil)
	var ids [2]int64
	for i, name := range fs.Args() {
		m, err := st.MemberByName(ctx, name)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return fmt.Errorf("找不到成员「%s」", name)
		}
		if err != nil {
			return err
		}
		ids[i] = m.ID
	}
	h, err := svc.HandOver(ctx, domain.System(), ids[0], ids[1])
	if err != nil {
		if domain.ErrorCode(err) == domain.EINTERNAL {
			return err
		}
		return errors.New(domain.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "%s 的 %d 个客户、%d 个在跟商机、%d 条待跟进已交接给 %s；%s 已标记为离职。\n",
		h.From.Name, h.Customers, h.Deals, h.Tasks, h.To.Name, h.From.Name)
	return nil
}
