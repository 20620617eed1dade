package domain

import "context"

// Store is everything the services need from storage, composed of the
// small interfaces below, each named for its use; domain/store implements it
// on MySQL and on the embedded file database. Code that needs only part of
// storage takes the small interface (and a test fake implements only that).
// Methods return ErrNotFound when no row matches and ErrConflict when a
// unique key is taken.
type Store interface {
	Directory
	Records
	TargetStore
	ReportStore
	PoolStore
	SettingStore

	// InTx runs fn in one transaction with a Store bound to it; fn's error
	// rolls everything back. Nested calls reuse the outer transaction.
	InTx(ctx context.Context, fn func(tx Store) error) error
	// Ping checks the database is reachable.
	Ping(ctx context.Context) error
}

// TeamReader looks teams up.
type TeamReader interface {
	TeamByID(ctx context.Context, id int64) (Team, error)
	TeamByName(ctx context.Context, name string) (Team, error)
	TeamByChat(ctx context.Context, p Platform, chatID string) (Team, error)
	ListTeams(ctx context.Context) ([]Team, error)
}

// MemberReader looks members up.
type MemberReader interface {
	MemberByID(ctx context.Context, id int64) (Member, error)
	MemberByName(ctx context.Context, name string) (Member, error)
	MemberByPlatformID(ctx context.Context, p Platform, userID string) (Member, error)
	ListMembers(ctx context.Context, f MemberFilter) ([]Member, error)
}

// Directory keeps the organisation: teams and their members (imports,
// registration, handover).
type Directory interface {
	TeamReader
	MemberReader
	CreateTeam(ctx context.Context, t *Team) error
	UpdateTeam(ctx context.Context, t *Team) error
	CreateMember(ctx context.Context, m *Member) error
	UpdateMember(ctx context.Context, m *Member) error
}

// CustomerStore keeps customers and the people met there.
type CustomerStore interface {
	CreateCustomer(ctx context.Context, c *Customer) error
	UpdateCustomer(ctx context.Context, c *Customer) error
	CustomerByID(ctx context.Context, id int64) (Customer, error)
	// FindCustomersByName returns the customers whose canonical name or an
	// alias equals name (Latin letters case-insensitive).
	FindCustomersByName(ctx context.Context, name string) ([]Customer, error)
	ListCustomers(ctx context.Context, f CustomerFilter) ([]Customer, error)
	DeleteCustomer(ctx context.Context, id int64) error
	// AddContacts records people met at a customer; known names are kept once.
	AddContacts(ctx context.Context, customerID int64, names []string) error
	ListContacts(ctx context.Context, customerID int64) ([]Contact, error)
}

// DealStore keeps deals and their stage history.
type DealStore interface {
	CreateDeal(ctx context.Context, d *Deal) error
	UpdateDeal(ctx context.Context, d *Deal) error
	DealByID(ctx context.Context, id int64) (Deal, error)
	DeleteDeal(ctx context.Context, id int64) error
	// OpenDealOf returns the most recent open deal with the customer.
	OpenDealOf(ctx context.Context, customerID int64) (Deal, error)
	ListDeals(ctx context.Context, f DealFilter) ([]Deal, error)
	AppendStageChange(ctx context.Context, c *StageChange) error
	DeleteStageChange(ctx context.Context, id int64) error
	StageHistory(ctx context.Context, dealID int64) ([]StageChange, error)
}

// VisitStore keeps visit reports.
type VisitStore interface {
	// CreateVisit returns ErrConflict when (Platform, SourceMsgID) is taken.
	CreateVisit(ctx context.Context, v *Visit) error
	UpdateVisit(ctx context.Context, v *Visit) error
	VisitByID(ctx context.Context, id int64) (Visit, error)
	VisitBySource(ctx context.Context, p Platform, msgID string) (Visit, error)
	// LastVisitOf returns the member's most recent visit that is not undone.
	LastVisitOf(ctx context.Context, memberID int64) (Visit, error)
	ListVisits(ctx context.Context, f VisitFilter) ([]Visit, error)
}

// TaskStore keeps follow-ups and reminders.
type TaskStore interface {
	CreateTask(ctx context.Context, t *Task) error
	UpdateTask(ctx context.Context, t *Task) error
	TaskByID(ctx context.Context, id int64) (Task, error)
	ListTasks(ctx context.Context, f TaskFilter) ([]Task, error)
}

// Records is the report path: what recording, undoing, correcting and
// merging a report read and write in one transaction, audit entries and
// owner changes (a report on a pool customer takes it over) included.
type Records interface {
	MemberReader
	CustomerStore
	DealStore
	VisitStore
	TaskStore
	AuditStore
	PoolStore
}

// TargetReader lists a team's targets for a month (the month-end report,
// the digest, 我的目标).
type TargetReader interface {
	ListTargets(ctx context.Context, teamID int64, month string) ([]Target, error)
}

// TargetStore keeps monthly targets.
type TargetStore interface {
	TargetReader
	// SaveTarget creates or replaces the target for (member or team, month, metric).
	SaveTarget(ctx context.Context, t *Target) error
}

// MemberFilter selects members; zero fields match everything.
type MemberFilter struct {
	TeamID     int64
	ActiveOnly bool
}

// CustomerFilter selects customers; zero fields match everything.
type CustomerFilter struct {
	OwnerID int64
	TeamID  int64
	Limit   int
}

// DealFilter selects deals; zero fields match everything.
type DealFilter struct {
	OwnerID    int64
	TeamID     int64
	CustomerID int64
	Status     DealStatus
	IDs        []int64 // non-nil: only these deals (empty: none)
}

// VisitFilter selects visits that are not undone; zero fields match
// everything. From and To bound VisitDate, both inclusive.
type VisitFilter struct {
	MemberID   int64
	TeamID     int64
	CustomerID int64
	DealID     int64
	From, To   Date
	Limit      int // newest first when set
}

// TaskFilter selects tasks; zero fields match everything. DueTo is inclusive.
type TaskFilter struct {
	OwnerID    int64
	TeamID     int64
	CustomerID int64
	VisitID    int64
	DoneBy     int64 // the visit that fulfilled the task
	Status     TaskStatus
	DueFrom    Date
	DueTo      Date
}
