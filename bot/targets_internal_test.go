package bot

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
)

func TestParseTargetArgs(t *testing.T) {
	v := func(pairs ...any) map[domain.Metric]int64 {
		m := map[domain.Metric]int64{}
		for i := 0; i < len(pairs); i += 2 {
			m[pairs[i].(domain.Metric)] = int64(pairs[i+1].(int))
		}
		return m
	}
	tests := []struct {
		text  string
		today domain.Date
		want  domain.TargetInput
		err   string
	}{
		{"李娜 12月 拜访60 签约100万", "2026-12-02", domain.TargetInput{Month: "2026-12", Member: "李娜", Values: v(domain.MetricVisits, 60, domain.MetricWonAmount, 1_000_000)}, ""},
		{"李娜 1月 拜访60", "2026-12-02", domain.TargetInput{Month: "2027-01", Member: "李娜", Values: v(domain.MetricVisits, 60)}, ""},
		{"李娜 2027-03 新商机5个 业绩1.5亿", "2026-12-02", domain.TargetInput{Month: "2027-03", Member: "李娜", Values: v(domain.MetricNewDeals, 5, domain.MetricWonAmount, 150_000_000)}, ""},
		{"王强，下月，拜访：40次，赢单80000元", "2026-12-02", domain.TargetInput{Month: "2027-01", Member: "王强", Values: v(domain.MetricVisits, 40, domain.MetricWonAmount, 80_000)}, ""},
		{"团队 拜访200 商机12 签约2.5w", "2026-03-10", domain.TargetInput{Month: "2026-03", Member: "团队", Values: v(domain.MetricVisits, 200, domain.MetricNewDeals, 12, domain.MetricWonAmount, 25_000)}, ""},
		{"李娜 12月", "2026-12-02", domain.TargetInput{}, "没有写目标数值"},
		{"12月 拜访60", "2026-12-02", domain.TargetInput{}, "没有写给谁设置目标"},
		{"李娜 拜访6.5", "2026-12-02", domain.TargetInput{}, "「拜访6.5」应为整数"},
		{"李娜 王强 拜访6", "2026-12-02", domain.TargetInput{}, "看不懂「王强」"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := parseTargetArgs(tt.text, tt.today)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("parseTargetArgs (-want +got):\n%s", d)
			}
		})
	}
}
