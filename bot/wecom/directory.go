package wecom

import (
	"context"
	"errors"
	"net/url"
	"time"

	"salesbot/domain"
)

// directoryUser is what user/get says about a member of the corp.
type directoryUser struct {
	UserID         string  `json:"userid"`
	Name           string  `json:"name"`
	Department     []int64 `json:"department"`
	MainDepartment int64   `json:"main_department"`
}

// departments lists the main department first.
func (u directoryUser) departments() []int64 {
	out := make([]int64, 0, len(u.Department)+1)
	if u.MainDepartment != 0 {
		out = append(out, u.MainDepartment)
	}
	for _, d := range u.Department {
		if d != u.MainDepartment {
			out = append(out, d)
		}
	}
	return out
}

// userGet reads a member from the address book (user/get).
func (w *WeCom) userGet(ctx context.Context, userID string) (directoryUser, error) {
	const path = "/cgi-bin/user/get"
	var u directoryUser
	err := w.api(ctx, path, w.getRequest(path, url.Values{"userid": {userID}}), &u)
	return u, err
}

// Address-book answers that mean "this person cannot be looked up":
// 60111 userid not found, 60011 outside the app's visible range, 40003
// invalid userid, 48002 the app may not read the address book.
func directoryMiss(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.Code {
	case 60111, 60011, 40003, 48002:
		return true
	}
	return false
}

const directoryMissTTL = 10 * time.Minute

// ensureMember registers a sender we do not know yet from the address
// book, into the team mapped to their department. When that is impossible
// (no mapping, not in the address book) it does nothing: the Handler then
// tells them to ask an admin. An error means the lookup could not be done
// now and the delivery must not be acknowledged.
func (w *WeCom) ensureMember(ctx context.Context, userID string) error {
	if w.members == nil || w.token == nil || userID == "" {
		return nil
	}
	_, err := w.members.Identify(ctx, domain.PlatformWeCom, userID)
	switch domain.ErrorCode(err) {
	case "":
		return nil
	case domain.ENOTFOUND:
	case domain.EINTERNAL:
		return err
	default: // e.g. a member who has left: the Handler says so
		return nil
	}
	missKey := "wecom:dirmiss:" + userID
	if _, seen, _ := w.st.GetState(ctx, missKey); seen {
		return nil
	}
	u, err := w.userGet(ctx, userID)
	if directoryMiss(err) {
		w.log.Info("sender not in the address book", "user_id", userID, "err", err)
		_ = w.st.SetState(ctx, missKey, []byte("1"), directoryMissTTL)
		return nil
	}
	if err != nil {
		return err
	}
	m, err := w.members.RegisterFromDirectory(ctx, domain.PlatformWeCom, userID, u.Name, u.departments())
	switch domain.ErrorCode(err) {
	case "":
		w.log.Info("registered member from the address book", "user_id", userID, "member_id", m.ID, "team_id", m.TeamID)
		return nil
	case domain.ENOTFOUND, domain.EINVALID, domain.EFORBIDDEN:
	default: // internal, or a conflict worth retrying
		return err
	}
	w.log.Info("sender not registered", "user_id", userID, "departments", u.departments(), "reason", domain.ErrorMessage(err))
	_ = w.st.SetState(ctx, missKey, []byte("1"), directoryMissTTL)
	return nil
}
