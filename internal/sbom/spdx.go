package sbom

// The SPDX 2.3 JSON shapes this package writes: only the fields it fills,
// in the order the specification lists them. The test reads them back
// with spdx/tools-golang, an independent parser.

const (
	spdxVersion = "SPDX-2.3"
	dataLicense = "CC0-1.0" // what SPDX 2.3 requires of the document itself
	noAssertion = "NOASSERTION"
	docID       = "SPDXRef-DOCUMENT"
)

type document struct {
	SPDXVersion       string         `json:"spdxVersion"`
	DataLicense       string         `json:"dataLicense"`
	SPDXID            string         `json:"SPDXID"`
	Name              string         `json:"name"`
	DocumentNamespace string         `json:"documentNamespace"`
	CreationInfo      creationInfo   `json:"creationInfo"`
	Packages          []pkg          `json:"packages"`
	Files             []file         `json:"files,omitempty"`
	Relationships     []relationship `json:"relationships"`
}

type creationInfo struct {
	LicenseListVersion string   `json:"licenseListVersion"`
	Creators           []string `json:"creators"`
	Created            string   `json:"created"`
	Comment            string   `json:"comment,omitempty"`
}

type pkg struct {
	Name             string        `json:"name"`
	SPDXID           string        `json:"SPDXID"`
	VersionInfo      string        `json:"versionInfo,omitempty"`
	PackageFileName  string        `json:"packageFileName,omitempty"`
	DownloadLocation string        `json:"downloadLocation"`
	FilesAnalyzed    bool          `json:"filesAnalyzed"`
	Checksums        []checksum    `json:"checksums,omitempty"`
	LicenseConcluded string        `json:"licenseConcluded"`
	LicenseDeclared  string        `json:"licenseDeclared"`
	CopyrightText    string        `json:"copyrightText"`
	Description      string        `json:"description,omitempty"`
	Comment          string        `json:"comment,omitempty"`
	ExternalRefs     []externalRef `json:"externalRefs,omitempty"`
	Purpose          string        `json:"primaryPackagePurpose,omitempty"`
}

type file struct {
	FileName         string     `json:"fileName"`
	SPDXID           string     `json:"SPDXID"`
	FileTypes        []string   `json:"fileTypes,omitempty"`
	Checksums        []checksum `json:"checksums"`
	LicenseConcluded string     `json:"licenseConcluded"`
	CopyrightText    string     `json:"copyrightText"`
	Comment          string     `json:"comment,omitempty"`
}

type checksum struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"checksumValue"`
}

type externalRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type relationship struct {
	Element string `json:"spdxElementId"`
	Type    string `json:"relationshipType"`
	Related string `json:"relatedSpdxElement"`
}

// The relationship types used, as SPDX 2.3 names them: "A <type> B".
const (
	describes           = "DESCRIBES"
	contains            = "CONTAINS"
	generatedFrom       = "GENERATED_FROM"
	buildToolOf         = "BUILD_TOOL_OF"
	buildDependencyOf   = "BUILD_DEPENDENCY_OF"
	runtimeDependencyOf = "RUNTIME_DEPENDENCY_OF"
	patchApplied        = "PATCH_APPLIED"
)
