package sbom

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdxlib"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/compose"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/profile"
	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/store"
)

// shipped plans a profile of the shipped tree for one target, as image does.
func shipped(t *testing.T, profileName, arch, toolchain string) (*plan.Plan, *profile.Profile, *Image) {
	t.Helper()
	root := filepath.Join("..", "..")
	repo, err := recipe.Open(filepath.Join(root, "recipes"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := plan.LoadStages(filepath.Join(root, "stages", "stages.toml"))
	if err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(root, "bootstrap", "seed-"+plan.Host+".lock")
	seedHash, err := bootstrap.LockHash(lock)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := bootstrap.ReadLock(lock)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := profile.Load(filepath.Join(root, "profiles", profileName+".toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := plan.Config{Repo: repo, Stages: st, SeedHash: seedHash, Toolchain: toolchain}
	pl, err := plan.ForProfile(cfg, prof, arch)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := plan.ForPackages(cfg, plan.Host, "e2fsprogs")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, kernel := compose.Packages(pl, prof, arch)
	img := &Image{
		Name:  prof.Name + "-" + arch,
		Realm: &compose.Realm{Base: "0123456789abcdef0123456789abcdef-realm-" + prof.Name + "-" + arch, Packages: pkgs, Kernel: kernel},
		Tools: tools.Roots[plan.Host], Seed: seed, SeedBase: seedHash[:32] + "-seed-" + plan.Host, Epoch: 1686355200,
		Files: []File{
			{Name: prof.Name + "-" + arch + ".img", Kind: Disk, SHA1: strings.Repeat("1", 40), SHA256: strings.Repeat("a", 64)},
			{Name: prof.Name + "-" + arch + ".vmlinuz", Kind: Kernel, SHA1: strings.Repeat("2", 40), SHA256: strings.Repeat("b", 64)},
		},
		// Stands in for the store: a content hash derived from the entry.
		Manifest: func(base string) (*store.Manifest, error) {
			return &store.Manifest{ContentHash: "sha256:" + strings.Repeat("c", 32) + base[:32]}, nil
		},
	}
	return pl, prof, img
}

// closure is every node the image needs, found from the plan the way a
// reader of it would: the realm's packages, the kernel, the image tools,
// and everything they were built with or run with.
func closure(img *Image) map[string]*plan.Node {
	out := map[string]*plan.Node{}
	var walk func(n *plan.Node)
	walk = func(n *plan.Node) {
		if out[n.Base()] != nil {
			return
		}
		out[n.Base()] = n
		for _, d := range append(slices.Clone(n.Deps), n.Runtime...) {
			walk(d)
		}
	}
	for _, n := range append(append(slices.Clone(img.Realm.Packages), img.Tools...), img.Realm.Kernel) {
		walk(n)
	}
	return out
}

func TestSBOMMatchesPlan(t *testing.T) {
	for _, tc := range []struct {
		profile, arch, toolchain string
		git                      bool // give busybox a git source too
	}{
		{"minimal", "x86_64", "", false},
		{"minimal", "aarch64", "", false},
		{"minimal-runit", "x86_64", "toolchain3", false},
		{"minimal", "x86_64", "", true},
	} {
		t.Run(fmt.Sprintf("%s-%s-%s-git=%v", tc.profile, tc.arch, tc.toolchain, tc.git), func(t *testing.T) {
			_, _, img := shipped(t, tc.profile, tc.arch, tc.toolchain)
			if tc.git {
				for _, n := range img.Realm.Packages {
					if n.Name == "busybox" {
						n.Sources = append(n.Sources, recipe.Source{Git: "https://example.invalid/bb.git", Ref: "1_35_0", Tree: strings.Repeat("0a", 32)})
					}
				}
			}
			var first, second bytes.Buffer
			if err := Write(&first, img); err != nil {
				t.Fatal(err)
			}
			if err := Write(&second, img); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatal("two SBOMs of the same image differ")
			}
			doc, err := spdxjson.Read(bytes.NewReader(first.Bytes()))
			if err != nil {
				t.Fatalf("tools-golang cannot read the SBOM: %v", err)
			}
			if err := spdxlib.ValidateDocument(doc); err != nil {
				t.Fatal(err)
			}
			checkAgainstPlan(t, doc, img)
		})
	}
}

func checkAgainstPlan(t *testing.T, doc *spdx.Document, img *Image) {
	if doc.SPDXVersion != "SPDX-2.3" || doc.DataLicense != "CC0-1.0" || doc.DocumentName != img.Name {
		t.Errorf("header: %s %s %s", doc.SPDXVersion, doc.DataLicense, doc.DocumentName)
	}
	if !strings.HasPrefix(doc.DocumentNamespace, NamespaceBase+img.Name+"-") || len(doc.DocumentNamespace) != len(NamespaceBase+img.Name+"-")+32 {
		t.Errorf("namespace %s", doc.DocumentNamespace)
	}
	if doc.CreationInfo.Created != "2023-06-10T00:00:00Z" {
		t.Errorf("created %s, want SOURCE_DATE_EPOCH's 2023-06-10T00:00:00Z", doc.CreationInfo.Created)
	}
	pkgs := map[string]*spdx.Package{}
	for _, p := range doc.Packages {
		pkgs[string(p.PackageSPDXIdentifier)] = p
	}
	rels := map[string]bool{}
	known := map[string]bool{
		common.TypeRelationshipDescribe: true, common.TypeRelationshipContains: true, common.TypeRelationshipGeneratedFrom: true,
		common.TypeRelationshipBuildToolOf: true, common.TypeRelationshipBuildDependencyOf: true,
		common.TypeRelationshipRuntimeDependencyOf: true, common.TypeRelationshipPatchApplied: true,
	}
	for _, r := range doc.Relationships {
		if !known[r.Relationship] {
			t.Errorf("relationship type %q is none of SPDX's that this SBOM means to use", r.Relationship)
		}
		rels[fmt.Sprintf("%s %s %s", r.RefA.ElementRefID, r.Relationship, r.RefB.ElementRefID)] = true
	}
	has := func(a, typ, b string) {
		t.Helper()
		if !rels[a+" "+typ+" "+b] {
			t.Errorf("no relationship %s %s %s", a, typ, b)
		}
	}
	id := func(n *plan.Node) string { return strings.TrimPrefix(nodeID(n), "SPDXRef-") }

	nodes := closure(img)
	built := 0
	for _, p := range doc.Packages {
		if strings.HasPrefix(string(p.PackageSPDXIdentifier), "Package-") {
			built++
		}
	}
	if built != len(nodes) {
		t.Errorf("%d built packages in the SBOM, %d in the plan's closure", built, len(nodes))
	}
	usesSeed := false
	for _, n := range nodes {
		p := pkgs[id(n)]
		if p == nil {
			t.Errorf("%s (%s) is not in the SBOM", n.ID(), n.Base())
			continue
		}
		if p.PackageName != n.Name || p.PackageVersion != n.Version || p.PackageLicenseDeclared != n.Recipe.License {
			t.Errorf("%s: name %q version %q license %q", n.ID(), p.PackageName, p.PackageVersion, p.PackageLicenseDeclared)
		}
		refs := map[string]string{}
		for _, r := range p.PackageExternalReferences {
			refs[r.RefType] = r.Locator
		}
		m, _ := img.Manifest(n.Base())
		if refs["stalix-store-path"] != n.Out() || refs["stalix-content-hash"] != m.ContentHash {
			t.Errorf("%s: external refs %v, want store path %s and content hash %s", n.ID(), refs, n.Out(), m.ContentHash)
		}
		for _, s := range n.Sources {
			if s.Tree != "" {
				src := pkgs["Source-"+s.Tree]
				if src == nil || src.PackageDownloadLocation != "git+"+s.Git+"@"+s.Ref || len(src.PackageExternalReferences) != 1 ||
					src.PackageExternalReferences[0].Locator != s.Tree {
					t.Errorf("%s: git source %s missing, or without its repository, ref and tree: %+v", n.ID(), s.FileName(), src)
				}
				has(id(n), "GENERATED_FROM", "Source-"+s.Tree)
				continue
			}
			src := pkgs["Source-"+s.SHA256]
			if src == nil || len(src.PackageChecksums) != 1 || src.PackageChecksums[0].Value != s.SHA256 || src.PackageChecksums[0].Algorithm != common.SHA256 {
				t.Errorf("%s: source %s missing or without its sha256", n.ID(), s.FileName())
				continue
			}
			if want := cmpOr(s.URL, "NOASSERTION"); src.PackageDownloadLocation != want {
				t.Errorf("%s: source %s download location %q, want %q", n.ID(), s.FileName(), src.PackageDownloadLocation, want)
			}
			has(id(n), "GENERATED_FROM", "Source-"+s.SHA256)
		}
		for _, d := range n.Deps {
			if !rels[id(d)+" BUILD_TOOL_OF "+id(n)] && !rels[id(d)+" BUILD_DEPENDENCY_OF "+id(n)] {
				t.Errorf("%s is not named as built with %s", n.ID(), d.ID())
			}
		}
		for _, r := range n.Runtime {
			has(id(r), "RUNTIME_DEPENDENCY_OF", id(n))
		}
		if n.Seed {
			usesSeed = true
			has("Seed", "BUILD_TOOL_OF", id(n))
		}
	}
	for _, n := range img.Realm.Packages {
		has("Realm", "CONTAINS", id(n))
	}
	has("DOCUMENT", "DESCRIBES", "Realm")
	if usesSeed {
		debs := 0
		for k := range pkgs {
			if strings.HasPrefix(k, "Deb-") {
				debs++
			}
		}
		if debs != len(img.Seed) {
			t.Errorf("%d seed packages in the SBOM, %d in the lock", debs, len(img.Seed))
		}
	}
	files := map[string]*spdx.File{}
	for _, f := range doc.Files {
		files[f.FileName] = f
	}
	for _, f := range img.Files {
		got := files["./"+f.Name]
		if got == nil {
			t.Errorf("image file %s is not in the SBOM", f.Name)
			continue
		}
		sums := map[common.ChecksumAlgorithm]string{}
		for _, c := range got.Checksums {
			sums[c.Algorithm] = c.Value
		}
		if sums[common.SHA1] != f.SHA1 || sums[common.SHA256] != f.SHA256 {
			t.Errorf("%s: checksums %v", f.Name, sums)
		}
		has("DOCUMENT", "DESCRIBES", string(got.FileSPDXIdentifier))
	}
	fileID := func(name string) string {
		if f := files["./"+name]; f != nil {
			return string(f.FileSPDXIdentifier)
		}
		return "(no " + name + ")"
	}
	has(fileID(img.Name+".vmlinuz"), "GENERATED_FROM", id(img.Realm.Kernel))
	has(fileID(img.Name+".img"), "GENERATED_FROM", "Realm")
	has(fileID(img.Name+".img"), "GENERATED_FROM", id(img.Realm.Kernel))
	for _, tool := range img.Tools {
		has(id(tool), "BUILD_TOOL_OF", fileID(img.Name+".img"))
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestPatchesNamed: a recipe's patch is named with its checksums as applied
// to the package it patches.
func TestPatchesNamed(t *testing.T) {
	_, _, img := shipped(t, "minimal", "x86_64", "")
	var out bytes.Buffer
	if err := Write(&out, img); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "recipes", "core", "e2fsprogs", "manifest.patch"))
	if err != nil {
		t.Fatal(err)
	}
	_, sum := hashes(data)
	doc, err := spdxjson.Read(&out)
	if err != nil {
		t.Fatal(err)
	}
	var e2fs string
	for _, tool := range img.Tools {
		e2fs = strings.TrimPrefix(nodeID(tool), "SPDXRef-")
	}
	for _, f := range doc.Files {
		if string(f.FileSPDXIdentifier) == "Patch-"+sum {
			if f.FileName != "./recipes/core/e2fsprogs/manifest.patch" {
				t.Errorf("patch file name %s", f.FileName)
			}
			for _, r := range doc.Relationships {
				if r.RefA.ElementRefID == f.FileSPDXIdentifier && r.Relationship == "PATCH_APPLIED" && string(r.RefB.ElementRefID) == e2fs {
					return
				}
			}
			t.Fatalf("manifest.patch is not PATCH_APPLIED to %s", e2fs)
		}
	}
	t.Fatal("manifest.patch is not in the SBOM")
}

func TestPurl(t *testing.T) {
	for _, tc := range []struct{ name, version, arch, want string }{
		{"busybox", "1:1.35.0-4+deb12u1", "source", "pkg:deb/debian/busybox@1%3A1.35.0-4%2Bdeb12u1?arch=source"},
		{"musl", "1.2.3-1", "amd64", "pkg:deb/debian/musl@1.2.3-1?arch=amd64"},
		{"libstdc++6", "12.2.0-14", "amd64", "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64"},
	} {
		if got := purl(tc.name, tc.version, tc.arch); got != tc.want {
			t.Errorf("purl(%s, %s) = %s, want %s", tc.name, tc.version, got, tc.want)
		}
	}
}
