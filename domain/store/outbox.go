package store

import (
	"context"
	"errors"
	"slices"
	"sort"
	"time"

	"gorm.io/gorm/clause"

	"salesbot/domain"
)

// pushRow is one stored push (the outbox). push_key is unique: a job run
// twice, or on two replicas, cannot queue the same message twice. Senders
// find due rows through (status, next_at) and claim them by version.
type pushRow struct {
	ID        int64  `gorm:"primaryKey"`
	PushKey   key    `gorm:"size:191;not null;uniqueIndex:idx_outbox_key"`
	Job       string `gorm:"size:32;not null;index:idx_outbox_job_period,priority:1"`
	TeamID    int64  `gorm:"not null"`
	Period    string `gorm:"size:16;not null;index:idx_outbox_job_period,priority:2"`
	Recipient string `gorm:"size:64;not null"`
	Payload   []byte
	ImageHash string    `gorm:"size:64;not null;default:'';index"` // the picture the payload names, if any
	Status    string    `gorm:"size:8;not null;index:idx_outbox_due,priority:1"`
	Attempts  int       `gorm:"not null"`
	Version   int64     `gorm:"not null"`
	NextAt    time.Time `gorm:"not null;index:idx_outbox_due,priority:2"`
	Deadline  time.Time `gorm:"not null"`
	LastError string    `gorm:"size:1000"`
	CreatedAt time.Time
	SentAt    *time.Time
}

func (pushRow) TableName() string { return "outbox" }

func fromPush(p domain.Push) pushRow {
	return pushRow{
		ID: p.ID, PushKey: key(p.Key), Job: p.Job, TeamID: p.TeamID, Period: p.Period, Recipient: p.Recipient,
		Payload: p.Payload, ImageHash: p.ImageHash, Status: string(p.Status), Attempts: p.Attempts, Version: p.Version,
		NextAt: utc(p.NextAt), Deadline: utc(p.Deadline), LastError: clipError(p.LastError),
		CreatedAt: utc(p.CreatedAt), SentAt: nullTime(p.SentAt),
	}
}

func (r pushRow) toDomain() domain.Push {
	return domain.Push{
		ID: r.ID, Key: string(r.PushKey), Job: r.Job, TeamID: r.TeamID, Period: r.Period, Recipient: r.Recipient,
		Payload: r.Payload, ImageHash: r.ImageHash, Status: domain.PushStatus(r.Status), Attempts: r.Attempts, Version: r.Version,
		NextAt: r.NextAt.UTC(), Deadline: r.Deadline.UTC(), LastError: r.LastError,
		CreatedAt: r.CreatedAt.UTC(), SentAt: timeOf(r.SentAt),
	}
}

// clipError keeps an error text within its column, on a rune boundary.
func clipError(s string) string {
	r := []rune(s)
	if len(r) > 1000 {
		return string(r[:999]) + "…"
	}
	return s
}

// EnqueuePushes stores a job's pushes as EnqueuePush does each, in one
// transaction: one commit (one log flush) for a team's morning messages
// instead of one per member. created[i] is false when ps[i]'s key was
// taken (ps[i] is then the stored push). Keys are written in order, so
// that two replicas queuing the same job wait for each other rather than
// deadlock; should the server still pick this transaction as a deadlock
// victim, or another writer queue one of the keys meanwhile, it is tried
// again, and at last the pushes go one by one.
func (s *Store) EnqueuePushes(ctx context.Context, ps []domain.Push) (created []bool, err error) {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ps[order[a]].Key < ps[order[b]].Key })
	for attempt := 0; attempt < 3; attempt++ {
		created = make([]bool, len(ps))
		out := slices.Clone(ps)
		// The first try expects every key to be new (a job's first run)
		// and reads nothing; a conflict sends it round again, reading the
		// keys taken first. Inside a caller's transaction there is no
		// second try: it reads first.
		readFirst := attempt > 0 || s.inTx
		err = s.tx(ctx, func(tx *Store) error { return tx.enqueueBatch(ctx, out, order, created, readFirst) })
		if err == nil {
			copy(ps, out)
			return created, nil
		}
		// A key queued meanwhile by another writer (a conflict) is read on
		// the next try.
		if !(retryable(err) || errors.Is(err, domain.ErrConflict)) || s.inTx {
			return nil, err
		}
	}
	for _, i := range order {
		if created[i], err = s.EnqueuePush(ctx, &ps[i]); err != nil {
			return nil, err
		}
	}
	return created, nil
}

// enqueueBatch stores the pushes not queued yet with multi-row inserts (in
// key order), filling ps and created as EnqueuePush would one by one. With
// readFirst it first reads which keys are taken; without, it expects none
// to be. A key taken (meanwhile) fails the insert with ErrConflict:
// EnqueuePushes then tries again.
func (s *Store) enqueueBatch(ctx context.Context, ps []domain.Push, order []int, created []bool, readFirst bool) error {
	stored := map[string]pushRow{}
	for start := 0; readFirst && start < len(order); start += bulkBatch {
		keys := make([]string, 0, bulkBatch)
		for _, i := range order[start:min(start+bulkBatch, len(order))] {
			keys = append(keys, ps[i].Key)
		}
		var old []pushRow
		if err := s.q(ctx).Where("push_key IN ?", keys).Find(&old).Error; err != nil {
			return wrap(err, "read %d pushes", len(keys))
		}
		for _, r := range old {
			stored[string(r.PushKey)] = r
		}
	}
	var rows []pushRow
	var rowOf []int // rows[k] is ps[rowOf[k]]
	fresh := map[string]int{}
	for _, i := range order {
		if _, ok := stored[ps[i].Key]; ok {
			continue
		}
		if _, ok := fresh[ps[i].Key]; ok {
			continue // the same key twice: the first is queued
		}
		r := fromPush(ps[i])
		r.ID, r.Version = 0, 1
		fresh[ps[i].Key] = len(rows)
		rows = append(rows, r)
		rowOf = append(rowOf, i)
	}
	if len(rows) > 0 {
		if err := s.q(ctx).CreateInBatches(&rows, bulkBatch/10).Error; err != nil {
			return wrap(err, "enqueue %d pushes", len(rows))
		}
	}
	for k, r := range rows {
		p := &ps[rowOf[k]]
		p.ID, p.Version, p.CreatedAt = r.ID, r.Version, r.CreatedAt.UTC()
		created[rowOf[k]] = true
	}
	for _, i := range order {
		if created[i] {
			continue
		}
		if r, ok := stored[ps[i].Key]; ok {
			ps[i] = r.toDomain()
		} else {
			ps[i] = ps[rowOf[fresh[ps[i].Key]]]
		}
	}
	return nil
}

// EnqueuePush stores a new push and sets its ID and Version. When the key is
// taken it returns false and fills p with the stored push instead.
func (s *Store) EnqueuePush(ctx context.Context, p *domain.Push) (bool, error) {
	r := fromPush(*p)
	r.ID, r.Version = 0, 1
	err := s.q(ctx).Create(&r).Error
	if err == nil {
		p.ID, p.Version, p.CreatedAt = r.ID, r.Version, r.CreatedAt.UTC()
		return true, nil
	}
	if err := translate(err); !errors.Is(err, domain.ErrConflict) {
		return false, wrap(err, "enqueue push %s", p.Key)
	}
	var old pushRow
	if err := s.q(ctx).Take(&old, "push_key = ?", p.Key).Error; err != nil {
		return false, wrap(err, "read push %s", p.Key)
	}
	*p = old.toDomain()
	return false, nil
}

// DuePushes lists up to limit pushes to send at now: pending ones whose
// time has come, and claimed ones whose claim has expired (a sender died).
func (s *Store) DuePushes(ctx context.Context, now time.Time, limit int) ([]domain.Push, error) {
	var rs []pushRow
	err := s.q(ctx).Where("status IN ? AND next_at <= ?", []string{string(domain.PushPending), string(domain.PushSending)}, utc(now)).
		Order("next_at, id").Limit(limit).Find(&rs).Error
	if err != nil {
		return nil, wrap(err, "due pushes")
	}
	return mapRows(rs, pushRow.toDomain), nil
}

// ClaimPush marks a push as being sent until leaseUntil, if it is still at
// version; false means another sender changed it first.
func (s *Store) ClaimPush(ctx context.Context, id, version int64, leaseUntil time.Time) (bool, error) {
	res := s.q(ctx).Model(&pushRow{}).Where("id = ? AND version = ?", id, version).
		Updates(map[string]any{"status": string(domain.PushSending), "next_at": utc(leaseUntil), "version": version + 1})
	if res.Error != nil {
		return false, wrap(res.Error, "claim push %d", id)
	}
	return res.RowsAffected == 1, nil
}

// SettlePush saves the outcome of a send (status, attempts, next time,
// deadline, error, sent time) if the push is still at p.Version, and then advances
// p.Version; false means another sender changed it first.
func (s *Store) SettlePush(ctx context.Context, p *domain.Push) (bool, error) {
	res := s.q(ctx).Model(&pushRow{}).Where("id = ? AND version = ?", p.ID, p.Version).
		Updates(map[string]any{
			"status": string(p.Status), "attempts": p.Attempts, "next_at": utc(p.NextAt), "deadline": utc(p.Deadline),
			"last_error": clipError(p.LastError), "sent_at": nullTime(p.SentAt), "version": p.Version + 1,
		})
	if res.Error != nil {
		return false, wrap(res.Error, "settle push %d", p.ID)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	p.Version++
	return true, nil
}

// CountPushes counts the outbox by status.
func (s *Store) CountPushes(ctx context.Context) (map[domain.PushStatus]int, error) {
	var rs []struct {
		Status string
		N      int
	}
	if err := s.q(ctx).Model(&pushRow{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rs).Error; err != nil {
		return nil, wrap(err, "count pushes")
	}
	out := map[domain.PushStatus]int{}
	for _, r := range rs {
		out[domain.PushStatus(r.Status)] = r.N
	}
	return out, nil
}

// ListPushes lists pushes by id.
func (s *Store) ListPushes(ctx context.Context, f domain.PushFilter) ([]domain.Push, error) {
	q := s.q(ctx).Order("id")
	if f.Job != "" {
		q = q.Where("job = ?", f.Job)
	}
	if f.Period != "" {
		q = q.Where("period = ?", f.Period)
	}
	if f.TeamID != 0 {
		q = q.Where("team_id = ?", f.TeamID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rs []pushRow
	if err := q.Find(&rs).Error; err != nil {
		return nil, wrap(err, "list pushes")
	}
	return mapRows(rs, pushRow.toDomain), nil
}

// PrunePushes deletes pushes created before before: the settled ones (sent
// or failed), and with pending also those still to send; then the pictures
// stored before before that no push names any more.
func (s *Store) PrunePushes(ctx context.Context, before time.Time, pending bool) (int64, error) {
	q := s.q(ctx).Where("created_at < ?", utc(before))
	if !pending {
		q = q.Where("status IN ?", []string{string(domain.PushSent), string(domain.PushFailed)})
	}
	res := q.Delete(&pushRow{})
	if res.Error != nil {
		return 0, wrap(res.Error, "prune pushes")
	}
	named := s.q(ctx).Model(&pushRow{}).Select("image_hash").Where("image_hash <> ''")
	err := s.q(ctx).Where("created_at < ? AND hash NOT IN (?)", utc(before), named).Delete(&pushImageRow{}).Error
	return res.RowsAffected, wrap(err, "prune push images")
}

// RewritePush replaces a push's payload and picture reference, leaving its
// state and version alone (an upgrade of how the same message is stored).
func (s *Store) RewritePush(ctx context.Context, id int64, payload []byte, imageHash string) error {
	err := s.q(ctx).Model(&pushRow{}).Where("id = ?", id).
		Updates(map[string]any{"payload": payload, "image_hash": imageHash}).Error
	return wrap(err, "rewrite push %d", id)
}

// pushImageRow is a picture pushes send (a chart), stored once by the hex
// SHA-256 of its bytes however many pushes name it.
type pushImageRow struct {
	Hash      string `gorm:"primaryKey;size:64"`
	PNG       []byte `gorm:"not null"`
	CreatedAt time.Time
}

func (pushImageRow) TableName() string { return "outbox_images" }

// PutPushImage stores a picture under its hash unless it is there already;
// at is when a push first named it.
func (s *Store) PutPushImage(ctx context.Context, hash string, png []byte, at time.Time) error {
	r := pushImageRow{Hash: hash, PNG: png, CreatedAt: utc(at)}
	err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error
	return wrap(err, "store push image %s", hash)
}

// PushImage reads a stored picture.
func (s *Store) PushImage(ctx context.Context, hash string) ([]byte, error) {
	var r pushImageRow
	if err := s.q(ctx).Take(&r, "hash = ?", hash).Error; err != nil {
		return nil, wrap(err, "read push image %s", hash)
	}
	return r.PNG, nil
}
