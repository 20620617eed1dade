package domain

import (
	"errors"
	"fmt"
)

// Error codes. They say what kind of failure happened; the edge (chat text,
// HTTP status) maps them to the outside world in one place each.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	EFORBIDDEN = "forbidden"
	ECONFLICT  = "conflict"
	EINTERNAL  = "internal"
)

// Error is a failure a person may be shown: Message is a short sentence in
// Simplified Chinese. Details for operators live in the wrapped Err.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-facing message of err, or a generic one for
// internal errors.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "系统繁忙，请稍后再试"
}

// Sentinel errors the store returns and services branch on.
var (
	// ErrNotFound: no row matched.
	ErrNotFound = &Error{Code: ENOTFOUND, Message: "没有找到记录"}
	// ErrConflict: a unique key was already taken (e.g. a redelivered message).
	ErrConflict = &Error{Code: ECONFLICT, Message: "记录已存在"}
	// ErrRetry: the database asked us to retry the transaction (deadlock,
	// serialization failure, busy embedded database).
	ErrRetry = &Error{Code: ECONFLICT, Message: "系统繁忙，请稍后再试"}
	// ErrUnavailable: the database could not be reached (connection
	// refused, dropped or broken), as opposed to slow or overloaded.
	ErrUnavailable = &Error{Code: EINTERNAL, Message: "系统繁忙，请稍后再试"}
)
