package plan

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// storeEncoding is Nix's base32 alphabet, which leaves out e, o, u and t so digests cannot spell words, as Nix does.
var storeEncoding = base32.NewEncoding("0123456789abcdfghijklmnpqrsvwxyz").WithPadding(base32.NoPadding)

// StoreDir is where the store appears inside sandboxes and images.
const StoreDir = "/ix/store"

// Digest names a store entry by what it was made from: 160 bits of
// sha256 in Nix's base32, 32 characters. Packages and realms both use it.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return storeEncoding.EncodeToString(sum[:20])
}

// placeholder stands for a node's own output path while its hash is not
// known yet; it is replaced once the hash over the script is taken.
func placeholder(name, version string) string {
	return StoreDir + "/" + strings.Repeat("0", 32) + "-" + name + "-" + version
}

// encode writes the node's inputs as sorted "key value" lines, so that the
// order of TOML keys or dependency lists never changes the hash.
func (n *Node) encode(script, seed string) []byte {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s %q\n", k, v) }
	line("format", "stalix-node-1")
	// What the output policy does to an output (stripping, sealing) is
	// part of what the output is; bump this when it changes.
	line("policy", "strip-seed-llvm-strip-1")
	line("name", n.Name)
	line("version", n.Version)
	line("target", n.Target.Triple)
	line("stage", n.Stage)
	line("toolchain", n.Toolchain)
	line("seed", seed)
	for _, s := range n.Sources {
		src := fmt.Sprintf("%s strip=%d dest=%s", s.SHA256, s.Strip, s.Dest)
		if s.Tree != "" {
			// Its own form, so nodes without git sources hash as before.
			src = fmt.Sprintf("tree %s dest=%s", s.Tree, s.Dest)
		}
		if len(s.Include) > 0 {
			src += " include=" + strings.Join(s.Include, ",")
		}
		line("source", src)
	}
	// In order: a patch applies to what the ones before it left.
	for _, p := range n.Patches {
		line("patch", p.Name+" "+p.SHA256)
	}
	deps := make([]string, 0, len(n.Deps))
	for _, d := range n.Deps {
		deps = append(deps, d.Name+"@"+d.Target.Arch+" "+d.Hash)
	}
	sort.Strings(deps)
	for _, d := range deps {
		line("dep", d)
	}
	keys := make([]string, 0, len(n.Options))
	for k := range n.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, _ := json.Marshal(n.Options[k])
		line("option", k+"="+string(v))
	}
	line("script", script)
	return []byte(b.String())
}
