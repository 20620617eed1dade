package domain

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Figures are one member's ranking figures over a span: visits (not
// undone), the deals those visits opened, and the amount of the deals they
// moved to won.
type Figures struct {
	Visits    int
	NewDeals  int
	WonAmount int64
}

// Zero reports whether the member did nothing in the span.
func (f Figures) Zero() bool { return f == Figures{} }

// FigureSource is what LoadFigures reads (ReportStore has it).
type FigureSource interface {
	TeamActivity(ctx context.Context, teamID int64, from, to Date) ([]MemberActivity, error)
	StageMoves(ctx context.Context, f StageMoveFilter) ([]StageMove, error)
}

// LoadFigures counts a team's figures per member over a span from the
// database: a win counts for whoever moved the deal to won, on that day.
func LoadFigures(ctx context.Context, st FigureSource, teamID int64, span Span, loc *time.Location) (map[int64]Figures, error) {
	act, err := st.TeamActivity(ctx, teamID, span.From, span.To)
	if err != nil {
		return nil, err
	}
	out := map[int64]Figures{}
	for _, a := range act {
		f := out[a.MemberID]
		f.Visits, f.NewDeals = a.Visits, a.NewDeals
		out[a.MemberID] = f
	}
	won, err := st.StageMoves(ctx, StageMoveFilter{
		TeamID: teamID, From: span.From.Time(loc), To: span.To.AddDays(1).Time(loc), ToStage: StageWon,
	})
	if err != nil {
		return nil, err
	}
	for _, m := range won {
		if m.Amount <= 0 {
			continue
		}
		f := out[m.MemberID]
		f.WonAmount += m.Amount
		out[m.MemberID] = f
	}
	return out, nil
}

// Standing is one rep's place in a ranking.
type Standing struct {
	Member  Member
	Figures Figures
	Rank    int // 1-based
}

// Rank is the one ranking rule, for the chat answer and the leaderboard
// job alike. Only active reps are ranked: managers and admins are not
// ranked with the reps they lead, even when they report visits. Reps are
// ordered by visits, then won amount, then new deals. Reps whose three
// figures are all equal share a rank and the next rank is skipped
// (standard competition ranking: 1, 1, 3), listed by name.
func Rank(members []Member, figs map[int64]Figures) []Standing {
	var out []Standing
	for _, m := range members {
		if m.Active && m.Role == RoleRep {
			out = append(out, Standing{Member: m, Figures: figs[m.ID]})
		}
	}
	better := func(a, b Figures) int {
		switch {
		case a.Visits != b.Visits:
			return b.Visits - a.Visits
		case a.WonAmount != b.WonAmount:
			if a.WonAmount > b.WonAmount {
				return -1
			}
			return 1
		}
		return b.NewDeals - a.NewDeals
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := better(out[i].Figures, out[j].Figures); c != 0 {
			return c < 0
		}
		if out[i].Member.Name != out[j].Member.Name {
			return out[i].Member.Name < out[j].Member.Name
		}
		return out[i].Member.ID < out[j].Member.ID
	})
	for i := range out {
		if i > 0 && out[i].Figures == out[i-1].Figures {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}

// Ranking is a team's standings with its privacy setting.
type Ranking struct {
	Standings []Standing // every ranked rep, best first
	Top       int        // leaderboard_top: 0 shows everyone everywhere
}

// Visible is the part of a ranking a viewer may see. A group chat sees the
// top N (every rep ranked N or better, so ties at the edge are all in) and
// nothing else. Privately a manager or an admin sees the whole team; a rep
// sees the top N and, when outside it, their own standing as own.
func (r Ranking) Visible(viewer Member, inGroup bool) (shown []Standing, own *Standing) {
	if r.Top <= 0 || !inGroup && viewer.Role != RoleRep {
		return r.Standings, nil
	}
	for i, s := range r.Standings {
		if s.Rank > r.Top {
			shown = r.Standings[:i]
			break
		}
	}
	if shown == nil {
		return r.Standings, nil
	}
	if inGroup {
		return shown, nil
	}
	for i, s := range r.Standings[len(shown):] {
		if s.Member.ID == viewer.ID {
			return shown, &r.Standings[len(shown)+i]
		}
	}
	return shown, nil
}

// SettingLeaderboardTop is the team setting that limits what a group sees
// of a ranking to the top N; everyone below hears their own rank privately.
const SettingLeaderboardTop = "leaderboard_top"

// ParseLeaderboardTop checks a leaderboard_top value: 0 (everyone is shown)
// or a positive N.
func ParseLeaderboardTop(value string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil || n < 0 {
		return 0, Errorf(EINVALID, "leaderboard_top 应为 0 或正整数")
	}
	return n, nil
}

// TeamFigures lists a team's active members (admins aside) and their
// figures over a span, if actor may read the team: anyone in the team, an
// admin any team.
func (s *Service) TeamFigures(ctx context.Context, actor Member, teamID int64, span Span) ([]Member, map[int64]Figures, error) {
	if actor.Role != RoleAdmin && actor.TeamID != teamID {
		return nil, nil, Errorf(EFORBIDDEN, "你没有权限查看这个团队的排行")
	}
	all, err := s.store.ListMembers(ctx, MemberFilter{TeamID: teamID, ActiveOnly: true})
	if err != nil {
		return nil, nil, err
	}
	var members []Member
	for _, m := range all {
		if m.Role != RoleAdmin {
			members = append(members, m)
		}
	}
	figs, err := LoadFigures(ctx, s.store, teamID, span, s.loc)
	if err != nil {
		return nil, nil, err
	}
	return members, figs, nil
}

// Ranking ranks a team's reps over a span (Rank) with the team's
// leaderboard_top setting, if actor may read the team.
func (s *Service) Ranking(ctx context.Context, actor Member, teamID int64, span Span) (Ranking, error) {
	members, figs, err := s.TeamFigures(ctx, actor, teamID, span)
	if err != nil {
		return Ranking{}, err
	}
	top, err := s.leaderboardTop(ctx, teamID)
	if err != nil {
		return Ranking{}, err
	}
	return Ranking{Standings: Rank(members, figs), Top: top}, nil
}

// leaderboardTop reads the team's leaderboard_top; a value that does not
// parse counts as unset, as it does for the jobs.
func (s *Service) leaderboardTop(ctx context.Context, teamID int64) (int, error) {
	rows, err := s.store.ListSettings(ctx)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		if r.TeamID == teamID && r.MemberID == 0 && r.Name == SettingLeaderboardTop {
			n, err := ParseLeaderboardTop(r.Value)
			if err != nil {
				return 0, nil
			}
			return n, nil
		}
	}
	return 0, nil
}
