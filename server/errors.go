package server

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
)

// httpStatus maps each contract code to its HTTP status: the one table for
// HTTP; WebSocket error frames carry the code itself.
var httpStatus = map[string]int{
	board.CodeInvalid:        fiber.StatusBadRequest,
	board.CodeUnauthorized:   fiber.StatusUnauthorized,
	board.CodeForbidden:      fiber.StatusForbidden,
	board.CodeNotFound:       fiber.StatusNotFound,
	board.CodeConflict:       fiber.StatusConflict,
	board.CodeClosed:         fiber.StatusConflict,
	board.CodeWrongPhase:     fiber.StatusConflict,
	board.CodeBudgetExceeded: fiber.StatusConflict,
	board.CodeTooLarge:       fiber.StatusRequestEntityTooLarge,
	board.CodeLocked:         fiber.StatusLocked,
	board.CodeRateLimited:    fiber.StatusTooManyRequests,
	board.CodeJoiningClosed:  fiber.StatusForbidden,
	board.CodeUnavailable:    fiber.StatusServiceUnavailable,
	board.CodeFenced:         fiber.StatusServiceUnavailable,
	board.CodeInternal:       fiber.StatusInternalServerError,
}

// errNotJSON refuses a POST whose body is not declared JSON. Its code is
// invalid, its status 415: a form or text/plain POST from a foreign page
// (which a browser sends without asking) never reaches a handler.
var errNotJSON = board.Errorf(board.CodeInvalid, "Content-Type must be application/json")

// statusOf is the HTTP status of an error with contract code code.
func statusOf(err error, code string) int {
	if errors.Is(err, errNotJSON) {
		return fiber.StatusUnsupportedMediaType
	}
	return httpStatus[code]
}

// errorBody is the contract's error shape.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// safeError turns any error into the code and message a client may see,
// logging what it hides.
func safeError(log *slog.Logger, err error) (code, msg string) {
	code = board.ErrorCode(err)
	if code == board.CodeInternal {
		log.Error("internal error", "err", err)
	}
	return code, board.ErrorMessage(err)
}

// writeError answers an HTTP request with the contract's error.
func (s *Server) writeError(c *fiber.Ctx, err error) error {
	if rr := (*remoteRoomError)(nil); s.cluster != nil && errors.As(err, &rr) {
		return s.cluster.forwardHTTP(c, rr.id)
	}
	return s.writeErrorBody(c, err)
}

// writeErrorBody answers err as the contract's error body.
func (s *Server) writeErrorBody(c *fiber.Ctx, err error) error {
	setSecurityHeaders(c)
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code == fiber.StatusRequestEntityTooLarge && isPhotoUpload(c) {
		err = errPhotoTooLarge
	} else if errors.As(err, &fe) {
		err = fiberToBoard(fe)
	}
	code, msg := safeError(s.log, err)
	return c.Status(statusOf(err, code)).JSON(errorBody{errorDetail{code, msg}})
}

// fiberToBoard maps Fiber's own errors (unknown route, oversized body,
// bad method) to contract errors with safe messages.
func fiberToBoard(fe *fiber.Error) error {
	switch fe.Code {
	case fiber.StatusNotFound:
		return board.Errorf(board.CodeNotFound, "not found")
	case fiber.StatusRequestEntityTooLarge:
		return board.Errorf(board.CodeTooLarge, "request body larger than %d bytes", board.MaxRequestBody)
	case fiber.StatusMethodNotAllowed:
		return board.Errorf(board.CodeNotFound, "not found")
	case fiber.StatusTooManyRequests:
		return board.Errorf(board.CodeRateLimited, "too many requests")
	case fiber.StatusUpgradeRequired:
		return board.Errorf(board.CodeInvalid, "a WebSocket upgrade is required")
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return board.Errorf(board.CodeInvalid, "bad request")
	}
	return errors.New(fe.Message)
}
