// Addresses the help gives to copy. The operator's contacts are the ones the marketplace's help
// page names for iDocs, the operator it works with in Kazakhstan.
export const NCALAYER_URL = 'https://pki.gov.kz/ncalayer/';
export const PKI_URL = 'https://pki.gov.kz';
export const EGOV_URL = 'https://egov.kz';
export const OPERATOR_SUPPORT = { email: 'support@idocs.kz', phone: '+7 700 080-44-55' } as const;
