package server

import (
	"github.com/gofiber/fiber/v2"

	"rembuk/board"
)

// getMinutes is wired to the minutes package once it lands.
func (s *Server) getMinutes(c *fiber.Ctx) error {
	err := s.withState(c, func(st *board.State, p *board.Participant) error {
		if p.Role != board.RoleFacilitator && p.Role != board.RoleNotulis {
			return board.Errorf(board.CodeForbidden, "only the facilitator or the notulis may download the minutes")
		}
		return board.Errorf(board.CodeNotFound, "minutes are not available yet")
	})
	return s.writeError(c, err)
}
