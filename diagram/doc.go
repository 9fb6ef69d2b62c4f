// Package diagram lays out the root-cause views of a Rembuk board — the
// fishbone (diagram tulang ikan) and the problem tree (pohon masalah) —
// as positioned boxes and polylines, and draws a Layout as a standalone
// SVG.
//
// The Layout is the contract between this package and every renderer:
// the page draws SVG elements from its JSON, the minutes draw the same
// coordinates into PDF, DOCX and HTML. It is pure: no I/O, no imports of
// the rest of Rembuk; board/ and minutes/ feed it plain Input values.
//
// Coordinates are CSS pixels (user units) with the origin at the top left,
// y growing downwards; every box, label, stroke and edge point lies within
// [0, Width] × [0, Height]; no two boxes (nodes and labels) overlap. Text
// is already wrapped: a renderer draws Node.Lines left-aligned from
// X+PadX, and Label.Lines centred on X+W/2, one line every LineHeight
// starting PadY below the box's top, with the baseline BaselineOffset below
// each line's top, in DejaVu Sans at FontSize (labels and the problem in
// bold). Edges are polylines from the box of From to the box of To (first
// point on From's border, last point on To's); Strokes are the fishbone's
// spine and bones, which belong to no note.
//
// The same Input always gives the same Layout: categories and notes keep
// the order of Input (callers pass them sorted, e.g. by column position
// and note position), nothing depends on map order, coordinates are
// rounded to 0.1.
package diagram
