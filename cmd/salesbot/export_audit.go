package main

import (
	"fmt"
	"time"

	"salesbot/domain"
)

// auditColumns are the audit export's columns: key (with --keys) and label.
var auditColumns = []struct{ key, label string }{
	{"at", "时间"}, {"actor", "操作人"}, {"action", "操作"}, {"subject", "对象"},
	{"before", "修改前"}, {"after", "修改后"}, {"team_id", "团队编号"},
}

// auditTable lays out the audit trail, oldest first.
func auditTable(rows []domain.AuditEntry, keys bool, loc *time.Location) table {
	t := table{numeric: map[int]bool{len(auditColumns) - 1: true}}
	for _, c := range auditColumns {
		if keys {
			t.header = append(t.header, c.key)
		} else {
			t.header = append(t.header, c.label)
		}
	}
	for _, e := range rows {
		at, action := e.At.In(loc).Format(time.RFC3339), e.Action
		if !keys {
			at, action = e.At.In(loc).Format("2006-01-02 15:04:05"), domain.AuditLabel(e.Action)
		}
		t.rows = append(t.rows, []string{at, e.Actor, action, e.Subject, e.Before, e.After, fmt.Sprint(e.TeamID)})
	}
	return t
}
