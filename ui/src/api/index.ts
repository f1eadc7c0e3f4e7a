export { api } from './commands';
export type { Api } from './commands';
export { ApiError, toApiError } from './error';
export { openCompanyId, setOpenCompany } from './company';
export { onCompanySwitched, onSignProgress, onSyncProgress, onConnectivity, onOpenLink, onFilesDropped, onAlertOpen } from './events';
export type { Unsubscribe } from './events';
export * from './types';
