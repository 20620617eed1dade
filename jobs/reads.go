package jobs

import (
	"context"

	"salesbot/domain"
)

// The reads a job instance shares: the morning message and the digest
// each need the team's open follow-ups and stage moves for more than one
// purpose (their own list and the risks), and read each once.

// openTasks lists the team's open follow-ups due in [from, to] (from ""
// for all overdue ones), soonest first. The first call reads every open
// follow-up due by the next working day, which covers what any job asks
// for; later calls filter that list.
func (r *Runner) openTasks(ctx context.Context, env *teamEnv, from, to domain.Date) ([]domain.TaskView, error) {
	if !env.tasksOK || to > env.tasksTo {
		until := max(to, env.cal.NextWorkingDay(env.day))
		tasks, err := r.st.OpenTasks(ctx, env.team.ID, "", until)
		if err != nil {
			return nil, err
		}
		env.tasks, env.tasksTo, env.tasksOK = tasks, until, true
	}
	var out []domain.TaskView
	for _, t := range env.tasks {
		if t.Task.Due <= to && (from.IsZero() || t.Task.Due >= from) {
			out = append(out, t)
		}
	}
	return out, nil
}

// teamStageMoves are the team's stage moves over the risk lookback up to
// the end of env.day, oldest first, read once per job instance.
func (r *Runner) teamStageMoves(ctx context.Context, env *teamEnv) ([]domain.StageMove, error) {
	if env.movesOK {
		return env.moves, nil
	}
	start := env.day.AddDays(-riskLookback).Time(r.loc)
	_, end := r.dayBounds(env.day)
	moves, err := r.st.StageMoves(ctx, domain.StageMoveFilter{TeamID: env.team.ID, From: start, To: end})
	if err != nil {
		return nil, err
	}
	env.moves, env.movesOK = moves, true
	return moves, nil
}

// dayStageMoves are the team's stage moves on env.day, oldest first: the
// tail of teamStageMoves.
func (r *Runner) dayStageMoves(ctx context.Context, env *teamEnv) ([]domain.StageMove, error) {
	moves, err := r.teamStageMoves(ctx, env)
	if err != nil {
		return nil, err
	}
	from, _ := r.dayBounds(env.day)
	var out []domain.StageMove
	for _, m := range moves {
		if !m.At.Before(from) {
			out = append(out, m)
		}
	}
	return out, nil
}
