package recipe

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
)

// LicenseListVersion is the SPDX License List that licenses are checked
// against; an SBOM names it.
func LicenseListVersion() string { return spdxlicenses.LicenseListVersion() }

// licenseOptions: a deprecated ID (GPL-2.0 for GPL-2.0-only, say) has a
// successor that says more, and a LicenseRef- needs its text shipped in
// every SBOM, which recipes have no place for.
var licenseOptions = spdxexp.ValidateLicensesOptions{FailDeprecatedLicenses: true, FailAllLicenseRefs: true, FailAllDocumentRefs: true}

// CheckLicense says why expr is not an SPDX license expression of listed,
// current licenses written as the list writes them, or returns nil.
func CheckLicense(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return fmt.Errorf("license is empty")
	}
	norm, bad := spdxexp.ValidateAndNormalizeLicensesWithOptions([]string{expr}, licenseOptions)
	if len(bad) > 0 {
		return fmt.Errorf("license %q is not an SPDX expression of current licenses on the SPDX License List %s (https://spdx.org/licenses/; deprecated IDs and LicenseRef- are refused)",
			expr, LicenseListVersion())
	}
	// The library accepts any case and drops redundant parentheses; an SBOM
	// should carry what the recipe says, so the recipe says it canonically.
	if len(norm) == 1 && !sameExpression(norm[0], expr) {
		return fmt.Errorf("license %q: write it as %q", expr, norm[0])
	}
	return nil
}

// sameExpression compares two expressions token by token, ignoring
// spacing and parentheses the normalizer may add or drop.
func sameExpression(a, b string) bool {
	tok := func(s string) string {
		s = strings.NewReplacer("(", " ", ")", " ").Replace(s)
		return strings.Join(strings.Fields(s), " ")
	}
	return tok(a) == tok(b)
}

// checkLicense reports a missing or unknown license at its line.
func (r *Recipe) checkLicense(md toml.MetaData, data []byte) error {
	if !md.IsDefined("license") {
		line, _ := keyPosition(data, toml.Key{"version"})
		return fmt.Errorf("%s:%d: missing license: add license = \"SPDX expression\" (e.g. \"GPL-2.0-only\", \"MIT AND BSD-3-Clause\"), read from the source's COPYING or debian/copyright",
			r.File, line)
	}
	if err := CheckLicense(r.License); err != nil {
		line, col := keyPosition(data, toml.Key{"license"})
		return fmt.Errorf("%s:%d:%d: %w", r.File, line, col, err)
	}
	return nil
}
