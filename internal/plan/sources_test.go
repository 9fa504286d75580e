package plan

import (
	"strings"
	"testing"
)

const helloSource = `url = "https://example.invalid/hello-2.12.tar.gz"
sha256 = "3333333333333333333333333333333333333333333333333333333333333333"
strip = 1`

// TestGitSourceHash: a git source's tree is hashed, where it came from is
// not, and nodes without one hash as before (TestGoldenHashes).
func TestGitSourceHash(t *testing.T) {
	tree := strings.Repeat("5", 64)
	git := "git = \"https://example.invalid/hello.git\"\nref = \"v2.12\"\ntree = \"" + tree + "\""
	hashOf := func(src string) string {
		t.Helper()
		pl, err := planTree(t, editedTree(t, "recipes/core/hello/recipe.toml", helloSource, src))
		if err != nil {
			t.Fatal(err)
		}
		return pl.Find("hello@x86_64").Hash
	}
	base := hashOf(helloSource)
	withGit := hashOf(git)
	if withGit == base {
		t.Error("a git source hashes like the tarball it replaced")
	}
	for name, src := range map[string]string{
		"another ref":     strings.Replace(git, "v2.12", "0123abc", 1),
		"another mirror":  strings.Replace(git, "example.invalid", "mirror.example.invalid", 1),
		"a forge tarball": git + "\nurl = \"https://example.invalid/hello-2.12.tar.gz\"",
	} {
		if got := hashOf(src); got != withGit {
			t.Errorf("%s changed the hash: the tree alone decides", name)
		}
	}
	if hashOf(strings.Replace(git, tree, strings.Repeat("6", 64), 1)) == withGit {
		t.Error("another tree, same hash")
	}
	if hashOf(git+"\ndest = \"sub\"") == withGit {
		t.Error("dest not hashed")
	}
}
