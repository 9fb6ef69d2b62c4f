package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"rembuk/board"
	"rembuk/diagram"
	"rembuk/rootcause"
)

// diagramAnswer is GET /api/sessions/{id}/diagram: the problems that have
// a diagram (for the page's picker), the one drawn, and its layout.
type diagramAnswer struct {
	Roots  []rootcause.Root `json:"roots"`
	Root   *string          `json:"root"`
	Layout *diagram.Layout  `json:"layout"`
}

// getDiagram lays out the fishbone or the problem tree of a problem from
// the board as the token's holder may see it. The room only gathers the
// readable notes (cheap, and the state has no locks); the layout runs here,
// off the room's goroutine, like the minutes' rendering. The page asks
// again (debounced) when link or note events arrive, so the room does no
// layout work for viewers who never open the diagram.
func (s *Server) getDiagram(c *fiber.Ctx) error {
	view := strings.Clone(c.Query("view", "fishbone"))
	root := strings.Clone(c.Query("root"))
	if view != "fishbone" && view != "tree" {
		return s.writeError(c, board.Errorf(board.CodeInvalid, "view must be fishbone or tree"))
	}
	lang, err := queryLang(c)
	if err != nil {
		return s.writeError(c, err)
	}
	var out diagramAnswer
	var in diagram.Input
	err = s.withState(c, func(st *board.State, p *board.Participant, _ func(string) bool) error {
		v := board.ViewerOf(p)
		out.Roots = rootcause.Roots(st, v)
		if root == "" && len(out.Roots) > 0 {
			root = out.Roots[0].ID
		}
		if root == "" {
			return nil
		}
		var ok bool
		if in, ok = rootcause.Input(st, v, root); !ok {
			return board.Errorf(board.CodeNotFound, "no such problem")
		}
		out.Root = &root
		return nil
	})
	if err != nil {
		return s.writeError(c, err)
	}
	if out.Root != nil {
		opts := rootcause.Options(lang)
		l := diagram.Fishbone(in, opts)
		if view == "tree" {
			l = diagram.ProblemTree(in, opts)
		}
		out.Layout = &l
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(encode(out))
}
