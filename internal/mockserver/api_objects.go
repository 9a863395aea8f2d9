package mockserver

// The objects of the public API, each JSON shape declared once: the
// dialects encode with these types, GET /_mock/state builds on them, and the
// tests decode with them (and check the JSON names apart).

// docsOrganization is the organization object of dialect docs (README.md,
// 1.3), the fields both dialects share.
type docsOrganization struct {
	ID              string  `json:"id"`
	CreatedBy       string  `json:"created_by"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
	Logo            *string `json:"logo"`
	Name            string  `json:"name"`
	ManagementEmail string  `json:"management_email"`
	CustomerID      *string `json:"customer_id"`
}

// rbacOrganization is the organization object of dialect rbac (2.3): the docs
// object with a website, sent as null when there is none.
type rbacOrganization struct {
	docsOrganization
	Website *string `json:"website"`
}

// rbacOrganizationRow is the organization as dialect rbac stores it: the
// organization object with the security settings, which only the answer to
// PUT /organization/ shows. Its logo is as stored, a storage path unsigned.
type rbacOrganizationRow struct {
	rbacOrganization
	SecuritySettings
	Onboarding rbacOnboarding `json:"onboarding"`
}

// rbacOnboarding is what the row keeps of the onboarding questions asked at creation.
type rbacOnboarding struct {
	Intent string `json:"intent"`
}

// docsStateOrganization is an organization of GET /_mock/state in dialect
// docs, which has no website; StateOrganization is the rbac one.
type docsStateOrganization struct {
	docsOrganization
	Members []StateMember `json:"members"`
}

// memberObject is a member as the public API lists it (1.8 and 2.3), in
// either dialect. docs sends image_url as null when there is none and no
// is_tmp; rbac sends image_url as "" when there is none and always is_tmp.
type memberObject struct {
	UID      string  `json:"uid"`
	Email    string  `json:"email"`
	ImageURL *string `json:"image_url"`
	Role     string  `json:"role"`
	IsTmp    *bool   `json:"is_tmp,omitempty"`
}

func docsOrganizationOf(o *organization) docsOrganization {
	return docsOrganization{
		ID:              o.id,
		CreatedBy:       o.createdBy,
		CreatedAt:       timestamp(o.createdAt),
		UpdatedAt:       timestamp(o.updatedAt),
		Logo:            o.logo,
		Name:            o.name,
		ManagementEmail: o.managementEmail,
		CustomerID:      o.customerID,
	}
}

// rbacOrganizationOf is the organization as stored, its logo unsigned.
func rbacOrganizationOf(o *organization) rbacOrganization {
	return rbacOrganization{docsOrganization: docsOrganizationOf(o), Website: o.website}
}

// rbacReadOrganization is the organization as a read answers it: an
// uploaded logo comes as a URL signed for this read.
func rbacReadOrganization(o *organization) rbacOrganization {
	org := rbacOrganizationOf(o)
	org.Logo = readableLogo(o.logo)
	return org
}

func rbacOrganizationRowOf(o *organization) rbacOrganizationRow {
	return rbacOrganizationRow{rbacOrganizationOf(o), o.security, rbacOnboarding{Intent: o.intent}}
}

// docsMemberOf shows a pending invitee's role with the invite_ prefix.
func docsMemberOf(m *member) memberObject {
	role := m.role
	if m.pending {
		role = docsInvitePrefix + role
	}
	return memberObject{UID: m.user.uid, Email: m.user.email, ImageURL: m.user.imageURL, Role: role}
}

// rbacMemberOf flags a pending invitee with is_tmp and never sends a null
// image_url.
func rbacMemberOf(m *member) memberObject {
	image := ""
	if m.user.imageURL != nil {
		image = *m.user.imageURL
	}
	pending := m.pending
	return memberObject{UID: m.user.uid, Email: m.user.email, ImageURL: &image, Role: m.role, IsTmp: &pending}
}
