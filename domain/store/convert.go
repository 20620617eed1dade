package store

import "time"

// utc is how every instant is stored: UTC, to the microsecond (MySQL's
// DATETIME(6) precision), so a value reads back exactly as written.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := utc(t)
	return &u
}

// timeOf reads a nullable instant; NULL is the zero time.
func timeOf(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.UTC()
}

// utcPtr converts an optional instant for storage.
func utcPtr(p *time.Time) *time.Time {
	if p == nil {
		return nil
	}
	return nullTime(*p)
}

// ptrOf reads an optional instant.
func ptrOf(p *time.Time) *time.Time {
	if p == nil {
		return nil
	}
	t := p.UTC()
	return &t
}

// mapRows converts a slice of rows with fn.
func mapRows[R, D any](rs []R, fn func(R) D) []D {
	out := make([]D, len(rs))
	for i, r := range rs {
		out[i] = fn(r)
	}
	return out
}
