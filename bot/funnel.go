package bot

import (
	"fmt"
	"strings"

	"salesbot/domain"
)

// FunnelBar is one stage of a funnel picture.
type FunnelBar struct {
	Label string  // the stage
	Value float64 // the bar's width (deals)
	Note  string  // e.g. "12 个 · 转化 60%"
}

// FunnelDrawer draws funnel pictures as PNG (main wires jobs/chart's
// Renderer; bot does not depend on jobs).
type FunnelDrawer interface {
	Funnel(title string, bars []FunnelBar) ([]byte, error)
}

// FunnelText is a funnel in markdown: per stage the deals that reached it
// and their amount, the conversion to the next stage and the median days
// spent in it; then won, lost and the win rate. The 漏斗 command and the
// digest's weekly section both show it.
func FunnelText(title string, f domain.Funnel) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**📊 %s**（%s）", title, spanText(f.Span))
	fmt.Fprintf(&b, "\n推进过的商机 %d 个 · 赢单 %d 个 %s · 输单 %d 个 · 赢率 %s",
		f.Deals, f.Won, yuanOrZero(f.WonAmount), f.Lost, rateText(f.WinRate()))
	for i, s := range f.Stages {
		fmt.Fprintf(&b, "\n· %s %d 个 · %s", s.Stage.Label(), s.Reached, yuanOrZero(s.Amount))
		if r, ok := s.Conversion(); ok && i+1 < len(f.Stages) {
			fmt.Fprintf(&b, " → %s %s", f.Stages[i+1].Stage.Label(), rateText(r, true))
		}
		if d, ok := s.MedianDays(); ok {
			fmt.Fprintf(&b, " · 停留中位 %s 天", daysText(d))
		}
	}
	b.WriteString("\n（到达：推进到该阶段或更后的商机；停留：离开该阶段前的天数）")
	return b.String()
}

// FunnelPicture draws the funnel: a bar per stage as wide as the deals
// that reached it, with the conversion to the next stage.
func FunnelPicture(d FunnelDrawer, title string, f domain.Funnel) ([]byte, error) {
	bars := make([]FunnelBar, len(f.Stages))
	for i, s := range f.Stages {
		note := fmt.Sprintf("%d 个 · %s", s.Reached, yuanOrZero(s.Amount))
		if r, ok := s.Conversion(); ok {
			note = fmt.Sprintf("%d 个 · 转化 %s", s.Reached, rateText(r, true))
		}
		bars[i] = FunnelBar{Label: s.Stage.Label(), Value: float64(s.Reached), Note: note}
	}
	return d.Funnel(title, bars)
}

func rateText(r float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", r*100)
}

func daysText(d float64) string {
	if d == float64(int64(d)) {
		return fmt.Sprintf("%d", int64(d))
	}
	return fmt.Sprintf("%.1f", d)
}
