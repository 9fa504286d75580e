package unpack

import "fmt"

// EntryError is a refusal or failure tied to one member of one archive, so
// that the message says which file to look at.
type EntryError struct {
	Archive string
	Entry   string
	Err     error
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("unpack %s: entry %q: %v", e.Archive, e.Entry, e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }
