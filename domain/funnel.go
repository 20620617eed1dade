package domain

import (
	"context"
	"sort"
	"time"
)

// The funnel over a span of days. Which deals count: those that moved at
// least once in the span (opened, advanced, won or lost), each with its
// whole history up to the span's end. A deal "reached" a stage when its
// history got to that stage or further along the funnel (a deal opened at
// 报价 passed 初步接触, 需求分析 and 方案 on the way); a lost deal reached
// the stages before it was lost. So each stage's count is at most the
// previous one's and a conversion never exceeds 100%.

// FunnelSource is what the funnel reads (domain.ReportStore has it).
type FunnelSource interface {
	StageMoves(ctx context.Context, f StageMoveFilter) ([]StageMove, error)
	StageHistories(ctx context.Context, dealIDs []int64) ([]StageChange, error)
}

// Funnel is how a set of deals went through the stages over a span.
type Funnel struct {
	Span   Span
	Deals  int           // deals that moved in the span
	Stages []FunnelStage // prospecting … negotiation, then won
	// Won and Lost: the deals whose history ends won or lost.
	Won, Lost             int
	WonAmount, LostAmount int64
}

// FunnelStage is one stage of a Funnel.
type FunnelStage struct {
	Stage   Stage
	Reached int   // deals that reached this stage or a later one
	Amount  int64 // those deals' amounts
	// Next is how many of them reached the next stage (0 for won).
	Next int
	// Stays are the finished stays in this stage (entered, then left for
	// another stage), in days; their median is MedianDays.
	Stays []float64
}

// Conversion is the share of the deals reaching s that reached the next
// stage; ok is false when none reached s or s is the last stage.
func (s FunnelStage) Conversion() (rate float64, ok bool) {
	if s.Reached == 0 || s.Stage == StageWon {
		return 0, false
	}
	return float64(s.Next) / float64(s.Reached), true
}

// MedianDays is the median time a deal spent in the stage before moving on;
// ok is false when no deal has left it.
func (s FunnelStage) MedianDays() (days float64, ok bool) {
	if len(s.Stays) == 0 {
		return 0, false
	}
	v := append([]float64(nil), s.Stays...)
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2], true
	}
	return (v[n/2-1] + v[n/2]) / 2, true
}

// WinRate is won / (won + lost); ok is false when no deal closed.
func (f Funnel) WinRate() (rate float64, ok bool) {
	if f.Won+f.Lost == 0 {
		return 0, false
	}
	return float64(f.Won) / float64(f.Won+f.Lost), true
}

// funnelStages are the stages a funnel shows, in order.
var funnelStages = []Stage{StageProspecting, StageQualification, StageProposal, StageQuote, StageNegotiation, StageWon}

// TeamFunnel is a team's funnel and each deal owner's.
type TeamFunnel struct {
	Team    Funnel
	ByOwner map[int64]Funnel // by the deal's owner now
}

// LoadFunnel computes a team's funnel over span, with each owner's part.
// Dates are in loc. It reads the span's stage moves and the histories of
// the deals they touch: its cost follows the span's activity.
func LoadFunnel(ctx context.Context, src FunnelSource, teamID int64, span Span, loc *time.Location) (TeamFunnel, error) {
	end := span.To.AddDays(1).Time(loc)
	moves, err := src.StageMoves(ctx, StageMoveFilter{TeamID: teamID, From: span.From.Time(loc), To: end})
	if err != nil {
		return TeamFunnel{}, err
	}
	owner := map[int64]int64{}
	var ids []int64
	for _, m := range moves {
		if _, ok := owner[m.DealID]; !ok {
			ids = append(ids, m.DealID)
		}
		owner[m.DealID] = m.OwnerID
	}
	changes, err := src.StageHistories(ctx, ids)
	if err != nil {
		return TeamFunnel{}, err
	}
	hist := map[int64][]StageChange{}
	for _, c := range changes {
		if c.At.Before(end) {
			hist[c.DealID] = append(hist[c.DealID], c)
		}
	}
	out := TeamFunnel{Team: Funnel{Span: span}, ByOwner: map[int64]Funnel{}}
	for _, id := range ids {
		h := hist[id]
		if len(h) == 0 {
			continue
		}
		out.Team.add(h)
		f, ok := out.ByOwner[owner[id]]
		if !ok {
			f = Funnel{Span: span}
		}
		f.add(h)
		out.ByOwner[owner[id]] = f
	}
	return out, nil
}

// add counts one deal, given its history oldest first.
func (f *Funnel) add(h []StageChange) {
	if f.Stages == nil {
		f.Stages = make([]FunnelStage, len(funnelStages))
		for i, s := range funnelStages {
			f.Stages[i].Stage = s
		}
	}
	f.Deals++
	furthest, amount := -1, int64(0)
	for i, c := range h {
		if r := c.To.Rank(); c.To != StageLost && r > furthest {
			furthest = r
		}
		if c.Amount > 0 {
			amount = c.Amount
		}
		if i+1 < len(h) && !c.To.Closed() && h[i+1].To != c.To {
			idx := c.To.Rank()
			if idx >= 0 && idx < len(f.Stages) {
				f.Stages[idx].Stays = append(f.Stages[idx].Stays, h[i+1].At.Sub(c.At).Hours()/24)
			}
		}
	}
	for i := range f.Stages {
		if i <= furthest {
			f.Stages[i].Reached++
			f.Stages[i].Amount += amount
			if i < furthest {
				f.Stages[i].Next++
			}
		}
	}
	switch h[len(h)-1].To {
	case StageWon:
		f.Won++
		f.WonAmount += amount
	case StageLost:
		f.Lost++
		f.LostAmount += amount
	}
}

// MemberFunnel is one member's part of a team's funnel.
type MemberFunnel struct {
	Member Member
	Funnel Funnel
}

// FunnelReport is the funnel a member may see over a span.
type FunnelReport struct {
	Scope   string // whose funnel: the team's name, or the rep's
	Funnel  Funnel
	Members []MemberFunnel // managers and admins: each active rep of the team, then anyone else with deals
}

// FunnelOf reports the funnel over span: a rep's own deals, or for a
// manager (and an admin in a team) the team's and each member's.
func (s *Service) FunnelOf(ctx context.Context, actor Member, span Span) (FunnelReport, error) {
	if err := checkActive(actor); err != nil {
		return FunnelReport{}, err
	}
	if actor.TeamID == 0 {
		return FunnelReport{}, Errorf(EINVALID, "你不属于任何团队，没有漏斗数据")
	}
	tf, err := LoadFunnel(ctx, s.store, actor.TeamID, span, s.loc)
	if err != nil {
		return FunnelReport{}, err
	}
	if actor.Role == RoleRep {
		f, ok := tf.ByOwner[actor.ID]
		if !ok {
			f = Funnel{Span: span}
		}
		return FunnelReport{Scope: actor.Name, Funnel: f}, nil
	}
	if err := checkReadTeam(actor, actor.TeamID); err != nil {
		return FunnelReport{}, err
	}
	team, err := s.store.TeamByID(ctx, actor.TeamID)
	if err != nil {
		return FunnelReport{}, err
	}
	out := FunnelReport{Scope: team.Name, Funnel: tf.Team}
	members, err := s.store.ListMembers(ctx, MemberFilter{TeamID: actor.TeamID})
	if err != nil {
		return out, err
	}
	for _, m := range members {
		f, ok := tf.ByOwner[m.ID]
		if ok || m.Active && m.Role == RoleRep {
			if !ok {
				f = Funnel{Span: span}
			}
			out.Members = append(out.Members, MemberFunnel{Member: m, Funnel: f})
		}
	}
	sort.SliceStable(out.Members, func(i, j int) bool {
		a, b := out.Members[i].Funnel, out.Members[j].Funnel
		if a.WonAmount != b.WonAmount {
			return a.WonAmount > b.WonAmount
		}
		if a.Deals != b.Deals {
			return a.Deals > b.Deals
		}
		return out.Members[i].Member.Name < out.Members[j].Member.Name
	})
	return out, nil
}
