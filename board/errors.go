package board

import (
	"errors"
	"fmt"
)

// Error codes of the contract. Every refusal carries exactly one.
const (
	CodeInvalid        = "invalid"
	CodeUnauthorized   = "unauthorized"
	CodeForbidden      = "forbidden"
	CodeNotFound       = "not_found"
	CodeConflict       = "conflict"
	CodeLocked         = "locked"
	CodeClosed         = "closed"
	CodeWrongPhase     = "wrong_phase"
	CodeBudgetExceeded = "budget_exceeded"
	CodeTooLarge       = "too_large"
	CodeRateLimited    = "rate_limited"
	CodeJoiningClosed  = "joining_closed"
	CodeInternal       = "internal"
	CodeUnavailable    = "unavailable"
	// CodeFenced is not sent to clients: a store refuses a Submit made
	// under a lease epoch another node has since replaced (issue 15); the
	// room stops and its clients are closed with 1013, over HTTP it is 503.
	CodeFenced = "fenced"
)

// Error is a refusal a client may see: a contract code and a safe message.
// Internal causes are never put in Message; the server logs them apart.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds an *Error with a formatted, client-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the contract code of err, or CodeInternal for anything
// that is not an *Error (a bug or an I/O failure the client must not see).
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the client-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
