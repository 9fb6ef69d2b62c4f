package board

import "time"

// TimeZone returns one of Indonesia's three zones by name (WIB, WITA,
// WIT). Fixed offsets, because the country keeps no daylight saving and the
// binary then needs no tzdata. This is the one list of zones: flags, session
// creation and the minutes ask it.
func TimeZone(name string) (*time.Location, bool) {
	switch name {
	case "WIB":
		return time.FixedZone("WIB", 7*3600), true
	case "WITA":
		return time.FixedZone("WITA", 8*3600), true
	case "WIT":
		return time.FixedZone("WIT", 9*3600), true
	}
	return nil, false
}
