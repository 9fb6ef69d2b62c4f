// Package static holds the page: ES modules, CSS and the translation
// tables, embedded in the binary so the server needs no files beside it.
package static

import (
	"embed"
	"io/fs"
)

//go:embed assets
var assets embed.FS

// FS returns the page's files, rooted at the assets folder.
func FS() fs.FS {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embed directive guarantees the folder exists
	}
	return sub
}
