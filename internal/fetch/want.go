// Package fetch keeps the source cache: every source file is stored under
// its sha256 and enters the cache only after its hash was checked.
package fetch

import (
	"fmt"
	"regexp"
)

// Want is one source file a recipe needs.
type Want struct {
	Recipe string // the recipe asking, for errors: recipes/core/musl/recipe.toml
	File   string // file name, e.g. musl-1.2.3.tar.gz; also the name mirrors may use
	URL    string // upstream http://, https:// or file:// URL; optional
	SHA256 string // lowercase hex, the only thing trusted
	// Debian is "NAME=VERSION" of a Debian source package that holds the
	// file (apt-get source --download-only); optional. A Debian .orig
	// tarball equals upstream's only when Debian did not repack it: the
	// recipe pins whichever bytes it names.
	Debian string
	// DebianFile picks the file of the source package; by default the one
	// named File, else the single *.orig.tar.* (or the native tarball).
	DebianFile string
	// Deb is "NAME=VERSION" of a Debian binary package whose .deb this
	// is (the seed's); Arch its architecture. Such a file may come from
	// apt's exact version or from Debian's snapshot archive.
	Deb, Arch string
	// Tree, instead of SHA256, pins a source tree by its content
	// (srctree.Hash): whatever archive or clone holds those files will do.
	// Git and Ref say where upstream keeps it; URL, when set, is an
	// archive of it (a forge's tarball).
	Tree, Git, Ref string
}

// Key names w in the cache's bookkeeping: its sha256 or its tree.
func (w Want) Key() string {
	if w.Tree != "" {
		return "tree " + w.Tree
	}
	return w.SHA256
}

var shaRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (w Want) check() error {
	if w.Tree != "" {
		if !shaRE.MatchString(w.Tree) || w.SHA256 != "" {
			return fmt.Errorf("%s: %s: tree %q is not 64 lowercase hex digits, or sha256 is set too", w.Recipe, w.File, w.Tree)
		}
		return nil
	}
	if !shaRE.MatchString(w.SHA256) {
		return fmt.Errorf("%s: %s: sha256 %q is not 64 lowercase hex digits", w.Recipe, w.File, w.SHA256)
	}
	if w.URL == "" && w.Debian == "" && w.Deb == "" && w.File == "" {
		return fmt.Errorf("%s: source %s has no url, debian package or file name to look for", w.Recipe, w.SHA256)
	}
	return nil
}

// HashError is a downloaded file whose sha256 is not the pinned one. The
// file is deleted before this error is returned.
type HashError struct {
	Recipe, File string
	From         string // where the bytes came from
	Want, Got    string
}

func (e *HashError) Error() string {
	return fmt.Sprintf("%s: %s from %s: sha256 mismatch: recipe pins %s, got %s (file discarded; if the new file is trusted, put its sha256 in the recipe)",
		e.Recipe, e.File, e.From, e.Want, e.Got)
}

// TreeError is a source tree whose files do not hash to the pinned tree.
// Nothing of it is kept.
type TreeError struct {
	Recipe, File string
	From         string
	Want, Got    string
}

func (e *TreeError) Error() string {
	return fmt.Sprintf("%s: %s from %s: tree mismatch: recipe pins tree %s, the files hash to %s (discarded; if this tree is trusted, put tree = %q in the recipe)",
		e.Recipe, e.File, e.From, e.Want, e.Got, e.Got)
}
