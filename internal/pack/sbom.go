package pack

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"stalix.dev/stalix-build/internal/atomicfile"
	"stalix.dev/stalix-build/internal/compose"
	"stalix.dev/stalix-build/internal/sbom"
)

// WriteSBOM writes out/<profile>-<arch>.spdx.json for the images Write just
// wrote, before WriteSums lists it.
func (p *Packer) WriteSBOM(arch, out string, a *Artifacts) error {
	var files []sbom.File
	for _, f := range []struct {
		path string
		kind sbom.Kind
	}{{a.Initramfs, sbom.Initramfs}, {a.Disk, sbom.Disk}, {a.Tar, sbom.Rootfs}, {a.Kernel, sbom.Kernel}} {
		if f.path == "" {
			continue
		}
		h, err := sbom.HashFile(f.path, f.kind)
		if err != nil {
			return err
		}
		files = append(files, h)
	}
	doc, err := p.SBOM(arch, files)
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(out, p.Profile.Name+"-"+arch+sbom.Ext), func(w io.Writer) error {
		_, err := w.Write(doc)
		return err
	})
}

// SBOM describes arch's realm (composed again: the store keeps it), the
// image tools, the seed, and files.
func (p *Packer) SBOM(arch string, files []sbom.File) ([]byte, error) {
	realm, err := compose.MakeRealm(p.Store, p.Plan, p.Profile, arch, p.Epoch)
	if err != nil {
		return nil, err
	}
	img := &sbom.Image{
		Name: p.Profile.Name + "-" + arch, Realm: realm, Tools: p.Tools, Files: files,
		Seed: p.Seed, SeedBase: p.SeedBase, Epoch: p.Epoch, Manifest: p.Store.ReadManifest,
	}
	if p.Manifest != nil {
		img.Manifest = p.Manifest
	}
	if p.System != nil {
		if img.Carries, err = compose.MakeRealm(p.Store, p.System.Plan, p.System.Profile, arch, p.Epoch); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if err := sbom.Write(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ListedImages hashes the image files of <profile>-<arch> that
// dir/SHA256SUMS lists, after checking each still has the sum listed; none
// when dir has no SHA256SUMS.
func ListedImages(dir, stem string) ([]sbom.File, error) {
	f, err := os.Open(filepath.Join(dir, "SHA256SUMS"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []sbom.File
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		kind, known := sbom.KindOf(name)
		if !ok || !known || !strings.HasPrefix(name, stem+".") {
			continue
		}
		h, err := sbom.HashFile(filepath.Join(dir, name), kind)
		if err != nil {
			return nil, err
		}
		if h.SHA256 != sum {
			return nil, fmt.Errorf("%s changed since SHA256SUMS listed it: run stalix-build image again", filepath.Join(dir, name))
		}
		out = append(out, h)
	}
	return out, sc.Err()
}
