// Package sbom writes the software bill of materials of an image as SPDX
// 2.3 JSON: every package in it and every package that built it, with
// licenses, sources (URL and sha256, or git repository, ref and tree
// hash), patches, store paths and content
// hashes; how they depend on each other; and the image files' checksums.
// The same inputs give the same bytes: the only time in it comes from
// SOURCE_DATE_EPOCH, and its namespace is a hash of its content.
package sbom

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"stalix.dev/stalix-build/bootstrap"
	"stalix.dev/stalix-build/internal/compose"
	"stalix.dev/stalix-build/internal/plan"
	"stalix.dev/stalix-build/internal/recipe"
	"stalix.dev/stalix-build/internal/store"
)

// NamespaceBase prefixes every document's namespace; the rest is the
// image's name and a hash of the document.
const NamespaceBase = "https://stalix.dev/spdx/"

// Image is what one SBOM describes: one profile's image for one target.
type Image struct {
	Name  string // <profile>-<arch>: the document's name and the files' stem
	Realm *compose.Realm
	// Tools are packages the image step itself ran, such as the
	// e2fsprogs whose mke2fs wrote the disk's root.
	Tools []*plan.Node
	// Carries is the system an install media carries for its installer
	// (its packages and kernel are in the image too); nil for others.
	Carries *compose.Realm
	// Files are the image files written, by kind; empty when the SBOM
	// describes the realm alone.
	Files []File
	// Seed is the seed's lock when a node in the closure was built with
	// the seed; SeedBase is its store entry.
	Seed     []bootstrap.Entry
	SeedBase string
	Epoch    int64
	// Manifest reads a store entry's manifest (store.Store.ReadManifest).
	Manifest func(base string) (*store.Manifest, error)
}

// File is one image file and its checksums.
type File struct {
	Name   string // its name in the output directory
	Kind   Kind
	SHA1   string // SPDX 2.3 requires SHA1 for files
	SHA256 string
}

// Kind says what an image file holds, and so what it was made from.
type Kind string

const (
	Initramfs Kind = "initramfs"
	Disk      Kind = "disk"
	Rootfs    Kind = "rootfs"
	Kernel    Kind = "kernel"
)

// Write writes img's SBOM.
func Write(w io.Writer, img *Image) error {
	doc, err := build(img)
	if err != nil {
		return err
	}
	// The namespace must name this document alone: a hash of everything
	// else in it does, and the same inputs give the same one.
	first, err := encode(doc)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(first)
	doc.DocumentNamespace = NamespaceBase + img.Name + "-" + hex.EncodeToString(sum[:16])
	out, err := encode(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func encode(doc *document) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(doc)
	return b.Bytes(), err
}

// builder collects the document's elements, each once.
type builder struct {
	img   *Image
	pkgs  map[string]pkg
	files map[string]file
	rels  map[relationship]bool
}

func build(img *Image) (*document, error) {
	b := &builder{img: img, pkgs: map[string]pkg{}, files: map[string]file{}, rels: map[relationship]bool{}}
	realm, err := b.manifest(img.Realm.Base)
	if err != nil {
		return nil, err
	}
	realmID := "SPDXRef-Realm"
	b.pkgs[realmID] = pkg{
		Name: img.Name, SPDXID: realmID, VersionInfo: strings.SplitN(img.Realm.Base, "-", 2)[0],
		DownloadLocation: noAssertion, LicenseConcluded: noAssertion, LicenseDeclared: noAssertion, CopyrightText: noAssertion,
		Description:  "the realm: the image's root tree, linking the packages it contains",
		ExternalRefs: storeRefs(img.Realm.Out(), realm.ContentHash), Purpose: "OPERATING-SYSTEM",
	}
	b.rel(docID, describes, realmID)
	for _, n := range img.Realm.Packages {
		b.rel(realmID, contains, nodeID(n))
	}
	roots := append(slices.Clone(img.Realm.Packages), img.Tools...)
	if img.Realm.Kernel != nil {
		roots = append(roots, img.Realm.Kernel)
	}
	if c := img.Carries; c != nil {
		carried := slices.Clone(c.Packages)
		if c.Kernel != nil {
			carried = append(carried, c.Kernel)
		}
		for _, n := range carried {
			b.rel(realmID, contains, nodeID(n))
		}
		roots = append(roots, carried...)
	}
	seen := map[*plan.Node]bool{}
	var walk func(n *plan.Node) error
	walk = func(n *plan.Node) error {
		if seen[n] {
			return nil
		}
		seen[n] = true
		if err := b.node(n); err != nil {
			return err
		}
		for _, d := range append(slices.Clone(n.Deps), n.Runtime...) {
			if err := walk(d); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range roots {
		if err := walk(n); err != nil {
			return nil, err
		}
	}
	for _, f := range img.Files {
		if err := b.file(f, realmID); err != nil {
			return nil, err
		}
	}
	return b.document(), nil
}

func (b *builder) manifest(base string) (*store.Manifest, error) {
	m, err := b.img.Manifest(base)
	if err != nil {
		return nil, fmt.Errorf("sbom: %s is not in the store (build the image first): %w", base, err)
	}
	return m, nil
}

func (b *builder) rel(a, typ, related string) {
	b.rels[relationship{Element: a, Type: typ, Related: related}] = true
}

// node adds a built package, its sources and patches, and how it was built.
func (b *builder) node(n *plan.Node) error {
	m, err := b.manifest(n.Base())
	if err != nil {
		return err
	}
	id := nodeID(n)
	p := pkg{
		Name: n.Name, SPDXID: id, VersionInfo: n.Version, DownloadLocation: noAssertion,
		LicenseConcluded: noAssertion, LicenseDeclared: n.Recipe.License, CopyrightText: noAssertion,
		Description:  n.Recipe.Description,
		Comment:      fmt.Sprintf("%s: stage %s, toolchain %s, target %s", n.ID(), n.Stage, toolchainName(n), n.Target.Triple),
		ExternalRefs: storeRefs(n.Out(), m.ContentHash),
	}
	for i, s := range n.Sources {
		if i == 0 && s.URL != "" {
			p.DownloadLocation = s.URL
		}
		sid := b.source(s)
		b.rel(id, generatedFrom, sid)
	}
	b.pkgs[id] = p
	patches, err := patchFiles(n.Recipe)
	if err != nil {
		return err
	}
	for _, f := range patches {
		b.files[f.SPDXID] = f
		b.rel(f.SPDXID, patchApplied, id)
	}
	tools := map[string]bool{}
	for _, t := range n.Recipe.Deps.Tools {
		tools[t] = true
	}
	for _, d := range n.Deps {
		typ := buildDependencyOf
		if tools[d.Name] || d == n.Compiler {
			typ = buildToolOf
		}
		b.rel(nodeID(d), typ, id)
	}
	for _, r := range n.Runtime {
		b.rel(nodeID(r), runtimeDependencyOf, id)
	}
	if n.Seed && len(b.img.Seed) > 0 {
		b.seed()
		b.rel(seedID, buildToolOf, id)
	}
	return nil
}

// source adds a pinned source, a file or a git tree, and returns its
// element ID.
func (b *builder) source(s recipe.Source) string {
	p := pkg{
		Name: s.FileName(), DownloadLocation: noAssertion,
		LicenseConcluded: noAssertion, LicenseDeclared: noAssertion, CopyrightText: noAssertion, Purpose: "SOURCE",
	}
	if s.Tree != "" {
		// A git source is pinned by the hash of its files, which no SPDX
		// checksum algorithm names; the repository and ref say where it
		// was taken from, in SPDX's VCS form.
		p.SPDXID = "SPDXRef-Source-" + s.Tree
		p.DownloadLocation = "git+" + s.Git + "@" + s.Ref
		p.ExternalRefs = []externalRef{{"OTHER", "stalix-tree-hash", s.Tree}}
		if s.URL != "" {
			p.Comment = "the same tree is served as " + s.URL
		}
		b.pkgs[p.SPDXID] = p
		return p.SPDXID
	}
	p.SPDXID = "SPDXRef-Source-" + s.SHA256
	p.PackageFileName = s.FileName()
	p.Checksums = []checksum{{"SHA256", s.SHA256}}
	if s.URL != "" {
		p.DownloadLocation = s.URL
	}
	if name, version, ok := strings.Cut(s.Debian, "="); ok {
		// A Debian source package whose orig tarball is this file; purl
		// names it without naming any archive's host.
		p.ExternalRefs = []externalRef{{"PACKAGE-MANAGER", "purl", purl(name, version, "source")}}
	}
	b.pkgs[p.SPDXID] = p
	return p.SPDXID
}

const seedID = "SPDXRef-Seed"

// seed adds the seed and the Debian packages its lock pins.
func (b *builder) seed() {
	if _, ok := b.pkgs[seedID]; ok {
		return
	}
	b.pkgs[seedID] = pkg{
		Name: "seed", SPDXID: seedID, VersionInfo: strings.SplitN(b.img.SeedBase, "-", 2)[0], DownloadLocation: noAssertion,
		LicenseConcluded: noAssertion, LicenseDeclared: noAssertion, CopyrightText: noAssertion,
		Description:  fmt.Sprintf("the only binary input: %d Debian packages pinned by sha256 in the seed lock", len(b.img.Seed)),
		ExternalRefs: []externalRef{{"OTHER", "stalix-store-path", plan.StoreDir + "/" + b.img.SeedBase}},
	}
	for _, e := range b.img.Seed {
		id := "SPDXRef-Deb-" + e.SHA256
		b.pkgs[id] = pkg{
			Name: e.Name, SPDXID: id, VersionInfo: e.Version, PackageFileName: bootstrap.DebFile(e),
			DownloadLocation: noAssertion, Checksums: []checksum{{"SHA256", e.SHA256}},
			LicenseConcluded: noAssertion, LicenseDeclared: noAssertion, CopyrightText: noAssertion,
			ExternalRefs: []externalRef{{"PACKAGE-MANAGER", "purl", purl(e.Name, e.Version, e.Arch)}},
		}
		b.rel(seedID, contains, id)
	}
}

// file adds an image file and what it was made from.
func (b *builder) file(f File, realmID string) error {
	id := "SPDXRef-File-" + sanitize(f.Name)
	b.files[id] = file{
		FileName: "./" + f.Name, SPDXID: id, FileTypes: []string{"BINARY"},
		Checksums:        []checksum{{"SHA1", f.SHA1}, {"SHA256", f.SHA256}},
		LicenseConcluded: noAssertion, CopyrightText: noAssertion, Comment: string(f.Kind),
	}
	b.rel(docID, describes, id)
	switch f.Kind {
	case Initramfs, Rootfs, Disk:
		b.rel(id, generatedFrom, realmID)
	case Kernel:
	default:
		return fmt.Errorf("sbom: %s: unknown kind %q", f.Name, f.Kind)
	}
	if k := b.img.Realm.Kernel; k != nil && (f.Kind == Kernel || f.Kind == Disk) {
		b.rel(id, generatedFrom, nodeID(k))
	}
	if f.Kind == Disk {
		for _, t := range b.img.Tools {
			b.rel(nodeID(t), buildToolOf, id)
		}
	}
	return nil
}

// document lays the elements out in a fixed order: the realm first, then
// packages, files and relationships sorted by ID.
func (b *builder) document() *document {
	doc := &document{
		SPDXVersion: spdxVersion, DataLicense: dataLicense, SPDXID: docID, Name: b.img.Name,
		CreationInfo: creationInfo{
			LicenseListVersion: recipe.LicenseListVersion(),
			Creators:           []string{"Tool: stalix-build"},
			Created:            time.Unix(b.img.Epoch, 0).UTC().Format("2006-01-02T15:04:05Z"),
			Comment:            "created at SOURCE_DATE_EPOCH, so that the same image gives the same document",
		},
	}
	for _, id := range slices.Sorted(maps.Keys(b.pkgs)) {
		doc.Packages = append(doc.Packages, b.pkgs[id])
	}
	slices.SortStableFunc(doc.Packages, func(a, b pkg) int {
		return cmp.Compare(boolInt(a.SPDXID != "SPDXRef-Realm"), boolInt(b.SPDXID != "SPDXRef-Realm"))
	})
	for _, id := range slices.Sorted(maps.Keys(b.files)) {
		doc.Files = append(doc.Files, b.files[id])
	}
	for r := range b.rels {
		doc.Relationships = append(doc.Relationships, r)
	}
	slices.SortFunc(doc.Relationships, func(x, y relationship) int {
		return cmp.Or(cmp.Compare(x.Element, y.Element), cmp.Compare(x.Type, y.Type), cmp.Compare(x.Related, y.Related))
	})
	return doc
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

// nodeID names a built package by its store entry, which is unique.
func nodeID(n *plan.Node) string { return "SPDXRef-Package-" + sanitize(n.Base()) }

var notID = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// sanitize keeps what an SPDX element ID may hold.
func sanitize(s string) string { return notID.ReplaceAllString(s, "-") }

func toolchainName(n *plan.Node) string {
	if n.Toolchain == "" {
		return plan.SeedToolchain
	}
	return n.Toolchain
}

// storeRefs name an entry's store path and content hash.
func storeRefs(out, contentHash string) []externalRef {
	return []externalRef{
		{"OTHER", "stalix-store-path", out},
		{"OTHER", "stalix-content-hash", contentHash},
	}
}

// purl is a Debian package URL: pkg:deb/debian/NAME@VERSION?arch=ARCH,
// name and version percent-encoded (an epoch's colon, plus signs).
func purl(name, version, arch string) string {
	return "pkg:deb/debian/" + pctEncode(name) + "@" + pctEncode(version) + "?arch=" + arch
}

func pctEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-_~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// patchFiles are the recipe's patches, as SPDX files.
func patchFiles(rc *recipe.Recipe) ([]file, error) {
	var out []file
	for _, name := range rc.Patches {
		p := filepath.Join(rc.Dir, name)
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("sbom: %w", err)
		}
		rel, err := filepath.Rel(rc.Root, p)
		if err != nil {
			rel = filepath.Base(p)
		}
		s1, s256 := hashes(data)
		out = append(out, file{
			FileName: "./recipes/" + filepath.ToSlash(rel), SPDXID: "SPDXRef-Patch-" + s256, FileTypes: []string{"SOURCE"},
			Checksums:        []checksum{{"SHA1", s1}, {"SHA256", s256}},
			LicenseConcluded: noAssertion, CopyrightText: noAssertion,
		})
	}
	return out, nil
}
