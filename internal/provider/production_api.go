package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// productionAPIOnlyDiagnostic refuses, against a server that speaks the documented API, what only
// Capgo's production API has. summary names what needs it; lacks is what that API has none of and
// cannot what can therefore not be done, as the detail reads them; block is what the configuration
// should otherwise drop ("resource", "data source").
func productionAPIOnlyDiagnostic(summary, lacks, cannot, block string) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary,
		fmt.Sprintf("This Capgo server speaks the documented API, which has no %s, so %s. Nothing was changed. "+
			"Point the provider's api_url at Capgo's production API (https://api.capgo.app), or remove the %s "+
			"from the configuration.", lacks, cannot, block))
}
