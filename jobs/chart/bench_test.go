package chart_test

import (
	"fmt"
	"testing"

	"salesbot/jobs/chart"
)

func BenchmarkLeaderboard(b *testing.B) {
	path, err := chart.FindFont()
	if err != nil {
		b.Skip(err)
	}
	r, err := chart.New(path)
	if err != nil {
		b.Fatal(err)
	}
	var rows []chart.Row
	for i := range 11 {
		rows = append(rows, chart.Row{Rank: i + 1, Name: fmt.Sprintf("销售%04d", i), Value: float64(20 - i), Label: fmt.Sprintf("%d 次", 20-i),
			Extra: "新商机 2 · 赢单 50万", Move: "↑1"})
	}
	for b.Loop() {
		if _, err := r.Leaderboard("🏆 压测001组 上周排行榜（11月16日–11月22日）", rows); err != nil {
			b.Fatal(err)
		}
	}
}
