// English. Terms follow /work/shared/notes/glossary.md.
import type { Messages } from './ru';
import { plural } from './plural';

const p = (n: number, one: string, other: string) => plural('en', n, { one, other });

export const en: Messages = {
  locale: 'en',
  langName: 'English',
  app: {
    title: 'Qoltanba',
    online: 'Online',
    offline: 'Offline',
    offlineNotice: 'Offline: decisions will be sent when the connection returns',
    nav: { inbox: 'Incoming', outbox: 'Outgoing', settings: 'Settings', diagnostics: 'Diagnostics', acts: 'Acts (ERIR)' },
    language: 'Language'
  },
  tabs: {
    needs_action: 'Needs action',
    accepted: 'Accepted',
    rejected: 'Rejected',
    signed: 'Signed',
    sent: 'Sent',
    all: 'All'
  },
  status: {
    received: 'Awaiting decision',
    viewed: 'Viewed',
    accepted: 'Accepted',
    rejected: 'Rejected',
    signed: 'Signed',
    queued: 'Queued for sending',
    sent: 'Sent',
    delivered: 'Delivered',
    send_failed: 'Sending failed',
    revoked: 'Revoked'
  },
  statusRejection: {
    signed: 'Signed (rejected)',
    queued: 'Signed (rejected)',
    sent: 'Sent (rejected)',
    delivered: 'Delivered (rejected)'
  },
  kinds: {
    sales_report: 'Product sales report',
    placement_services_act: 'Completed works act (product placement on the Platform)',
    other_services_act: 'Completed works act (other services)',
    points_bonus_act: 'Act on the bonus for payments with points',
    goods_compensation_act: 'Completed works act (compensation for products)',
    services_compensation_act: 'Completed works act (compensation for services)',
    goods_decompensation_act: 'Completed works act (reversal of product compensation)',
    reconciliation_act: 'Reconciliation statement for the period',
    sales_report_correction: 'Corrective product sales report',
    placement_services_act_correction: 'Corrective act (product placement on the Platform)',
    other_services_act_correction: 'Corrective act (other services)',
    points_bonus_act_correction: 'Corrective act on the bonus for payments with points',
    other: 'Other document'
  },
  count: {
    documents: (n) => p(n, '# document', '# documents'),
    selected: (n) => p(n, '# document selected', '# documents selected'),
    awaitingDecision: (n) => p(n, '# document awaiting decision', '# documents awaiting decision'),
    pending: (n) => p(n, '# document pending signature', '# documents pending signature'),
    pages: (n) => p(n, '# page', '# pages'),
    matches: (n) => p(n, '# match', '# matches')
  },
  inbox: {
    title: 'Incoming',
    search: 'Search',
    searchPlaceholder: 'Number, counterparty, document text',
    filter: 'Filter',
    kind: 'Document type',
    anyKind: 'All types',
    periodFrom: 'Period from',
    periodTo: 'to',
    counterparty: 'Counterparty (BIN or name)',
    amountMin: 'Amount from',
    amountMax: 'Amount to',
    resetFilters: 'Reset filter',
    sort: 'Sort',
    sortBy: { received: 'By arrival', date: 'By document date', amount: 'By amount', number: 'By number' },
    ascending: 'Ascending',
    selectAll: 'Select all loaded',
    clearSelection: 'Clear selection',
    signSelected: 'Sign selected',
    emptyTab: 'No documents in this tab',
    emptyFiltered: 'Nothing found. Change the search or reset the filter.',
    loading: 'Loading…',
    loadingMore: 'Loading more…',
    keyboardHint: '↑↓ select, Enter open, A accept, R reject, S sign',
    listLabel: 'Documents',
    noNumber: 'no number',
    select: (title) => `Select: ${title}`,
    noDocumentOpen: 'Choose a document in the list'
  },
  doc: {
    number: 'Number',
    date: 'Date',
    period: 'Reporting period',
    sender: 'Sender',
    recipient: 'Recipient',
    amount: 'Amount',
    vat: 'VAT',
    status: 'Status',
    received: 'Received',
    bin: 'BIN',
    iin: 'IIN',
    origin: { import: 'Imported file', operator: 'From the EDO operator', shared_link: 'From an e-mailed link' },
    originLabel: 'Source',
    rejectReason: 'Reason for rejection',
    corrects: 'Corrects document',
    correctsMissing: (number) => `Corrects document No. ${number} (not on this computer)`,
    correctedBy: 'Corrected by',
    open: 'Open',
    back: 'Back to the list',
    file: 'File',
    attachments: 'Attachments',
    esfShort: 'ESF',
    esfLabel: 'ESF: goes to the ESF information system (state portal), not signed here',
    operatorPending: 'Awaiting the operator’s check',
    operatorStatus: 'Operator’s answer',
    loadError: 'Could not open the document',
    numberShort: (n) => `No. ${n}`
  },
  pdf: {
    page: 'Page',
    of: (n) => `of ${n}`,
    prev: 'Previous page',
    next: 'Next page',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    find: 'Find in document',
    findButton: 'Find',
    notFound: 'Not found',
    foundOn: (pages) => `Found on pages: ${pages}`,
    loading: 'Opening the PDF…',
    failed: 'The PDF did not open: the file is damaged or not a PDF'
  },
  xml: { title: 'XML content', invalid: 'The file is not well-formed XML: shown as text' },
  signatures: {
    title: 'Signatures',
    none: 'No signatures',
    own: 'Your signature',
    sender: 'Sender’s signature',
    valid: 'Valid',
    invalid: 'Invalid',
    unknown: 'Could not be checked',
    notChecked: 'Not checked yet',
    signer: 'Signer',
    organisation: 'Organisation',
    signedAt: 'Signing time',
    algorithm: 'Algorithm',
    verifiedAt: 'Checked',
    chain: 'Certificate chain',
    issuedBy: (name: string) => `issued by ${name}`,
    trusted: 'trusted certificate',
    intactChainNotChecked: 'The signature is intact and belongs to this document; the certificate chain was not checked',
    alg: {
      withHash: (sig: string, hash: string) => `${sig}, hash ${hash}`,
      gost: (standard: string) => `GOST ${standard}`,
      bits: (n: string) => `${n}-bit`,
      key: 'key',
      streebog: (n: string) => `Streebog-${n}`,
      unknown: (oid: string) => `unknown algorithm (OID ${oid})`
    },
    warn: {
      chainNotChecked:
        'The certificate’s chain to the trusted root of the National Certification Authority and its revocation were not checked',
      signers: (n: string) => `${p(Number(n), '# signer', '# signers')}; only the first was checked here`,
      crlRejected: (issuer: string) => `The CRL of issuer "${issuer}" was not accepted: its signature does not verify`,
      crlStale: (issuer: string, day: string) =>
        `The CRL of issuer "${issuer}" is out of date (next update ${day}); a recent revocation may be missing from it`,
      revokedLater: (cert: string, day: string) => `The certificate "${cert}" was revoked on ${day}, after the time of the check`,
      noCrl: (cert: string) => `Revocation not checked: no CRL for the certificate "${cert}"`
    },
    why: {
      HASH_FAILURE: 'The document was changed after it was signed.',
      SIG_CRYPTO_FAILURE: 'The signature does not match the signer’s key.',
      FORMAT_FAILURE: 'The signature file is damaged or in an unknown format.',
      NO_SIGNER: 'The signature file names no signer.',
      NO_SIGNING_CERTIFICATE_FOUND: 'The signer’s certificate is missing from the signature.',
      OUT_OF_BOUNDS: 'The certificate has expired.',
      NOT_YET_VALID: 'The certificate is not valid yet.',
      REVOKED: 'The certificate was revoked by the certification authority.',
      NO_CERTIFICATE_CHAIN_FOUND: 'No chain to a trusted National Certification Authority certificate could be built.',
      SIG_CONSTRAINTS_FAILURE: 'The certificate is not meant for signing documents.',
      CHAIN_CONSTRAINTS_FAILURE: 'A certificate in the chain may not issue certificates.',
      ALGORITHM_NOT_SUPPORTED: 'This signature algorithm is not checked here: check it in NCALayer.',
      passed: 'The document is unchanged and the signature matches the certificate.'
    }
  },
  history: {
    title: 'Change history',
    empty: 'No entries',
    chainOk: (n) => `History chain intact: ${p(n, '# entry', '# entries')} checked`,
    chainBroken: (seq, problem) => `History broken at entry No. ${seq}: ${problem}`,
    checking: 'Checking the history chain…',
    by: 'By',
    actions: {
      import: 'Imported',
      receive: 'Received',
      received: 'Received',
      view: 'Viewed',
      accept: 'Accepted',
      reject: 'Rejected',
      sign: 'Signed',
      queue: 'Queued for sending',
      mark_sent: 'Sent',
      mark_delivered: 'Delivered',
      mark_failed: 'Sending failed',
      retry: 'Sending again',
      reopen: 'Decision reopened',
      revoke: 'Revoked by the sender',
      act_created: 'Act created',
      act_created_from_document: 'Act created from the document',
      act_edited: 'Act changed',
      act_submitted: 'Submitted to ERIR',
      register_answer: 'ERIR answered',
      statistics_linked: 'Statistics linked',
      statistics_cleared: 'Statistics unlinked',
      deletion_requested: 'Deletion requested',
      deletion_request_sent: 'Deletion request sent to the ORD'
    }
  },
  actions: {
    view: 'View',
    accept: 'Accept',
    reject: 'Reject',
    sign: 'Sign',
    retry: 'Send again',
    reopen: 'Reconsider the decision',
    cancel: 'Cancel',
    confirm: 'Confirm',
    close: 'Close',
    retryShort: 'Retry',
    save: 'Save',
    none: 'No actions for a document in this status'
  },
  accept: {
    title: 'Accept the document',
    explain:
      'The document will be marked as accepted. Then sign it: once signed, the decision goes to the sender through the EDO operator.',
    confirm: 'Accept'
  },
  reject: {
    title: 'Reject the document',
    explain:
      'The document will be rejected with this reason. Sign the refusal notice next — it names the reason, the document’s number and date and its file’s hash: once signed, it goes to the sender through the EDO operator.',
    reason: 'Reason for rejection',
    common: 'Common reasons',
    reasons: [
      'Wrong amount',
      'Wrong reporting period',
      'Wrong details (BIN, name)',
      'Duplicates a document already received',
      'No supporting documents'
    ],
    presetsNote: (l) =>
      `Common reasons are inserted in ${{ ru: 'Russian', kk: 'Kazakh', en: 'English' }[l]}: the reason is signed and sent to the marketplace, which reads Russian. Change their language in Settings.`,
    required: 'Give a reason for the rejection: it goes to the sender with the signature',
    tooLong: (n, max) => `The reason is too long: ${p(n, '# character', '# characters')}, at most ${max} allowed`,
    counter: (n, max) => `${n} of ${max}`,
    confirm: 'Reject'
  },
  sign: {
    title: 'Signing',
    what: 'To be signed',
    service: 'Signing service',
    serviceUnknown: 'no signing service set up',
    serviceOffline: 'not answering',
    pinned: 'service certificate pinned',
    notPinned: 'service certificate not pinned',
    onePin: 'NCALayer will ask once for a certificate and its password (PIN), for all documents together.',
    decisionAccept: 'the document (acceptance)',
    decisionReject: 'the refusal notice (reason and document)',
    start: 'Sign',
    cancel: 'Cancel signing',
    waitingForPin: 'Choose a certificate and enter the password in the NCALayer window',
    progress: (done, total) => `Signed ${done} of ${total}`,
    checking: (signed, total) => `NCALayer has signed ${signed} of ${total}, checking the signatures…`,
    signed: 'Signed',
    notSigned: 'Not signed',
    summary: (ok, failed) =>
      failed === 0 ? `Done: ${p(ok, '# document', '# documents')} signed` : `Signed: ${ok}, not signed: ${failed}`,
    cancelled: 'Signing cancelled: no document was signed',
    nothing: 'Nothing to sign',
    notReady: 'Only accepted or rejected documents can be signed',
    print: 'Print the summary',
    outboxNote: 'Signed decisions go to the operator with the next sync.'
  },
  outbox: {
    title: 'Outgoing',
    empty: 'The queue is empty: everything has been sent',
    kind: { signature: 'Signature', rejection: 'Rejection' },
    state: { pending: 'Waiting to be sent', sending: 'Sending', failed: 'Sending failed' },
    attempts: (n) => `Attempts: ${n}`,
    nextAttempt: (at) => `Next attempt: ${at}`,
    why: 'Reason',
    waitingOffline: 'No connection to the operator',
    lastSynced: 'Last synced',
    never: 'never',
    syncNow: 'Sync now',
    syncing: 'Syncing…',
    syncProgress: (seen, downloaded) => `Found: ${seen}, downloaded: ${downloaded}`,
    syncDone: (added, sent) =>
      `Done: ${p(added, '# new document', '# new documents')}, ${p(sent, '# decision sent', '# decisions sent')}`,
    noAccount: 'No operator account connected: nothing to sync.',
    setAside: (n) =>
      `${p(n, '# document was', '# documents were')} set aside: the operator sent them with an error. The rest arrived; the next sync asks for these again.`
  },
  notifications: {
    title: 'Notifications',
    bell: (n) => (n > 0 ? `Notifications: ${n} unread` : 'Notifications'),
    errors: 'Errors',
    reminders: 'Reminders',
    emptyErrors: 'No errors',
    emptyReminders: 'No reminders',
    markRead: 'Mark as read',
    openDocument: 'Open the document',
    waiting: (kind, number, days, needs) =>
      `${kind}${number ? ` No. ${number}` : ''} has been waiting for ${needs === 'decision' ? 'a decision' : 'signature'} for ${p(days, '# day', '# days')}`
  },
  settings: {
    title: 'Settings',
    account: 'EDO operator account',
    accountName: 'Name',
    operatorUrl: 'Operator API address',
    token: 'Access token',
    tokenHint: 'The token is entered once and kept in the system keychain. It is never shown here again.',
    tokenKept: 'The token is kept in the system keychain',
    addAccount: 'Add account',
    replaceAccount: 'Connect again',
    accountAdded: (name) => `Account "${name}" connected`,
    organisation: 'Organisation',
    sellerBin: 'BIN or IIN',
    sellerBinHint: 'Only signatures with a key of this organisation’s employee or, for a sole proprietor, the proprietor’s personal key are accepted',
    binInvalid: 'A BIN or IIN has 12 digits',
    sellerKind: 'Seller',
    sellerKindBin: 'Organisation (BIN)',
    sellerKindIin: 'Sole proprietor (IIN)',
    signing: 'Signing service',
    signerUrl: 'NCALayer address',
    signerPin: 'Service certificate fingerprint (SHA-256)',
    signerPinHint: '64 hexadecimal characters; empty to check on first connection',
    pinInvalid: 'A fingerprint has 64 hexadecimal characters',
    language: 'Language',
    reasonLanguage: 'Language of the common rejection reasons',
    reasonLanguageHint: 'A rejection reason is signed and sent to the marketplace, which reads Russian. Change it only if the recipient reads another language.',
    dataDir: 'Data folder',
    dataDirHint: 'A new folder is used after the program restarts',
    limits: 'Limits',
    maxFileSize: 'Maximum file size, MB',
    sizeInvalid: 'Enter a positive number of megabytes',
    reminderDays: 'Remind about unsigned documents after (days)',
    saved: 'Saved',
    required: 'Fill in this field'
  },
  diagnostics: {
    title: 'Diagnostics',
    connection: 'Connection check',
    ncalayer: 'NCALayer',
    operator: 'EDO operator',
    check: 'Check',
    checkAgain: 'Check again',
    checking: 'Checking…',
    ok: 'Connected',
    versions: 'Versions',
    app: 'Application',
    core: 'Core',
    os: 'System',
    webview: 'Web engine',
    dataDir: 'Data folder',
    documents: 'Documents',
    historyIntact: 'History chain',
    intact: 'intact',
    broken: 'broken',
    save: 'Save diagnostics report',
    savedTo: (path) => `Report saved: ${path}`,
    noSecrets: 'The report holds no tokens, passwords or document contents.',
    advice: {
      signer_unavailable: 'NCALayer is not running: start NCALayer from the Start menu and press "Check again".',
      certificate_pin:
        'A program with another certificate answers at the NCALayer address. Do not sign; check the address and fingerprint in Settings.',
      signer_protocol: 'Something other than NCALayer answers at this address. Check the signing service address in Settings.',
      timeout: 'The service did not answer in time. Make sure it is running and try again.',
      operator_unreachable: 'No connection to the EDO operator. Check the internet connection and try again.',
      unauthorized: 'The operator refused the token. Get a new token and connect the account again.',
      not_configured: 'Not set up: enter the address in Settings.',
      other: 'The check failed. Save the diagnostics report and send it to support.'
    }
  },
  firstRun: {
    title: 'No documents yet',
    intro: 'Closing documents can come in three ways. Or see an example first.',
    connectTitle: 'Connect an EDO operator account',
    connectText: 'Documents arrive by themselves; decisions and signatures go back to the operator.',
    connect: 'Add account',
    importTitle: 'Import downloaded files',
    importText: 'PDF or XML downloaded from the operator’s site, with their signature files (.cms, .p7s, .sig).',
    importButton: 'Import files',
    linkTitle: 'Open a link from an e-mail',
    link: 'Link',
    code: 'Authorisation code',
    openLink: 'Open',
    demoTitle: 'See an example',
    demo: 'Try the demo',
    demoLoaded: (n) => `Demo loaded: ${p(n, '# document', '# documents')}`,
    imported: (ok, failed) => `Imported: ${ok}, with errors: ${failed}`,
    connectsToTitle: 'What Qoltanba connects to today',
    connectsTo: [
      'Any server of the open EDO operator API, the reference server qoltanba-operator included: add an account.',
      'Files downloaded from any EDO operator’s web client: import them.',
      'A direct connection to iDocs needs API access, which iDocs grants to each company separately. Until you have it, download the documents from the iDocs web client and import them.'
    ]
  },
  acts: {
    title: 'Acts for ERIR',
    subtitle: 'Unified register of internet advertising (ERIR): acts go through the advertising data operator (ORD)',
    loading: 'Loading acts…',
    empty: 'No acts yet. Open a signed closing document and press "Create an act for ERIR".',
    createFromDocument: 'Create an act for ERIR',
    creating: 'Creating the act…',
    back: 'Back to acts',
    actTitle: (number: string) => (number ? `Act No. ${number}` : 'Act without a number'),
    columns: { number: 'Number', date: 'Date', contract: 'Contract', amount: 'Amount', status: 'ERIR status', deadline: 'Deadline' },
    registerStatus: {
      local: 'Not sent',
      draft: 'Draft at the ORD',
      processing: 'Being checked by ERIR',
      accepted: 'Accepted',
      rejected: 'Rejected'
    } as Record<string, string>,
    deadline: {
      open: (day: string) => `Deadline: ${day}`,
      due_soon: (day: string, n: number) => `Deadline ${day}: ${p(n, '# day', '# days')} left`,
      overdue: (day: string) => `Overdue: the deadline was ${day}`,
      registered: () => 'Registered'
    },
    fields: {
      contract: 'Contract or supplementary agreement',
      number: 'Act number',
      date: 'Act date',
      customerRole: 'Customer’s role',
      executorRole: 'Contractor’s role',
      periodFrom: 'Period from',
      periodTo: 'Period to',
      amount: 'Act amount, RUB',
      vatIncluded: 'Amount including VAT',
      nonAdvertisingServices: 'The act also covers services other than internet advertising'
    },
    roles: {
      advertiser: 'Advertiser',
      agency: 'Advertising agency',
      distributor: 'Ad distributor (publisher)',
      ad_system_operator: 'Ad system operator'
    },
    datePlaceholder: 'YYYY-MM-DD',
    allocation: {
      title: 'Allocation to initial contracts',
      initialContract: 'Initial contract',
      searchHint: 'Number, identifier or counterparty',
      amount: 'Amount, RUB',
      vatIncluded: 'Including VAT',
      add: 'Add a line',
      remove: 'Remove the line',
      line: (n: number) => `Line ${n}`,
      empty: 'No lines: add an initial contract',
      linked: (n: number) => `Statistics: ${n}`
    },
    tabs: { act: 'Act', statistics: 'Statistics', history: 'Change history' },
    statistics: {
      empty: 'No statistics',
      creative: 'Creative (erid)',
      platform: 'Platform',
      impressions: 'Impressions',
      amount: 'Amount',
      firstShown: 'First shown',
      deadline: 'Deadline',
      linkTo: 'Allocation line',
      link: 'Link',
      clear: 'Unlink',
      linkedHere: (n: number) => `Linked to line ${n}`,
      linkedElsewhere: (id: number) => `Linked to act No. ${id}`,
      saveFirst: 'Save the act with at least one allocation line to link statistics'
    },
    fromDocument: 'Created from document',
    openDocument: 'Open the document',
    save: 'Save',
    saved: 'Saved',
    submit: 'Submit to ERIR',
    submitting: 'Submitting to ERIR…',
    fixFirst: 'Fix the errors at the marked fields to submit the act',
    otherErrors: 'Other errors',
    register: 'ERIR',
    processing: 'The register is still checking the act',
    refresh: 'Refresh the status',
    accepted: 'ERIR accepted the act',
    rejected: 'ERIR rejected the act: fix the marked fields and submit again',
    readOnly: 'The act is in the register: it cannot be changed, only its deletion requested',
    requestDeletion: 'Request deletion',
    deletionTitle: 'Request to delete the act from ERIR',
    deletionReason: 'Reason for deletion',
    deletionHint: 'The act is not deleted: the request with its reason goes to the ORD, whose staff handle it by hand.',
    deletionSent: 'The deletion request was sent to the ORD',
    deletionKept: 'The deletion request is recorded but not sent: it goes with the next attempt',
    deletionRequested: 'Deletion requested',
    reminder: {
      due_soon: (creative: string, day: string) => `Statistics of creative ${creative}: the ERIR registration deadline is ${day}`,
      overdue: (creative: string, day: string) => `Statistics of creative ${creative} not registered in ERIR: the deadline was ${day}`
    },
    openAct: 'Open the act'
  },
  help: {
    title: 'Help',
    copy: 'Copy',
    copied: 'Copied',
    selected: 'The text is selected: press Ctrl+C to copy it',
    documentError: {
      title: 'An error in the document',
      route:
        'If the document has an error, reject it with a reason and sign the rejection. The marketplace sends the corrected document or a correction: write to its support (a request from the seller’s account).',
      prepared: 'The request is ready: copy it and send it to the marketplace’s support.',
      requestLabel: 'Request to the marketplace’s support',
      russianNote: 'The request is in Russian whatever the app’s language: the marketplace’s support reads Russian.',
      notRejected: 'Once you reject the document, a ready request with its number, date and reason appears here.'
    },
    ncalayer: {
      title: 'How to install NCALayer',
      steps: [
        'Download NCALayer from the National Certification Authority’s site (NCA RK): the address is below, copy it into a browser.',
        'Install it and start it: the NCALayer icon appears next to the clock.',
        'Keep NCALayer running while you sign: Qoltanba connects to it by itself. Diagnostics checks the connection.'
      ],
      urlLabel: 'The NCALayer page on the NCA RK site'
    },
    eds: {
      title: 'Where to get a digital signature',
      text: [
        'Digital signature keys are issued by the National Certification Authority of the Republic of Kazakhstan (NCA RK).',
        'Individuals and sole proprietors get one on the eGov portal (egov.kz) or at a Public Service Centre with their ID card.',
        'An organisation’s employee applies on the NCA RK site (pki.gov.kz); the first head confirms the application.'
      ],
      egovLabel: 'The eGov portal',
      pkiLabel: 'The NCA RK site'
    },
    ncalayerDown: {
      title: 'NCALayer does not answer',
      start:
        'Start NCALayer from the Start menu or its desktop shortcut: its icon appears next to the clock. Then sign again.',
      diagnostics:
        'If NCALayer is running and signing still fails, open Diagnostics and press "Check": it says what exactly is wrong. The diagnostics report can be saved and sent to support.'
    },
    operatorSupport: {
      title: 'iDocs EDO operator support',
      text: 'Connecting to EDO, the account, delivery of documents: the iDocs operator’s support.',
      email: 'iDocs support e-mail',
      phone: 'iDocs support phone'
    },
    law: {
      title: 'A digital signature equals a handwritten one',
      text: 'Under Article 10 of the Law of the Republic of Kazakhstan No. 370-II of 7 January 2003 "On electronic documents and electronic digital signatures", a digital signature is equivalent to the signer’s handwritten signature and has the same legal consequences, provided the signer’s certificate was valid at the time of signing, the signature verifies, and it is used as the certificate states.'
    }
  },
  errors: {
    title: 'Error',
    tryAgain: 'Try again',
    unknown: 'Something went wrong. The details are in the log.',
    byCode: {
      not_found: 'Not found: the document or entry was deleted or has not been loaded yet. Refresh the list.',
      invalid_transition: 'This action is no longer available: the document changed. The list was refreshed.',
      invalid_input: 'The data was not accepted: check the values entered and try again. Nothing was changed.',
      unsupported_file:
        'This file was not accepted: the program opens PDF and XML with their signature files (.cms, .p7s, .sig). Choose another file.',
      file_too_large: 'The file is larger than allowed. Choose another file or raise "Maximum file size" in Settings.',
      unsafe_xml:
        'The XML was refused for safety (a DOCTYPE or nesting too deep). Ask the sender for a plain XML file.',
      storage: 'Could not save data on this computer: the change was not saved. Check the free disk space and try again.',
      database_too_new: 'The database was made by a newer version of Qoltanba. Update the program; the file was not changed.',
      not_a_database:
        'The data folder holds no Qoltanba database, or it is damaged; the file was not changed. Choose another data folder or restore the file from a backup.',
      history_broken:
        'The document history is broken: entries were changed outside the program. Save the diagnostics report and contact support.',
      keychain: 'The system keychain is not available. Unlock it (or log in again) and try again; no data was changed.',
      signer_unavailable: 'NCALayer is not running: start NCALayer and try again.',
      signer_protocol: 'Something other than NCALayer answers at the signing service address. Check the address in Settings.',
      signer_error: 'NCALayer reported an error: the document was not signed. Check the signature key and password, and try again.',
      user_cancelled: 'Signing cancelled: no document was signed.',
      timeout: 'No answer in time. Make sure the service is running and the connection works, and try again.',
      certificate_pin:
        'The signing service’s certificate does not match the pinned one: do not sign. Check the address and fingerprint in Settings.',
      signature_invalid: 'The signature failed verification and was not kept. Sign again; if it happens again, save the diagnostics report.',
      wrong_signer: 'The certificate does not belong to the seller: choose your organisation’s digital signature key or, as a sole proprietor, your personal key.',
      operator_unreachable: 'No connection to the EDO operator. Check the internet connection and try again.',
      operator_rejected: 'The EDO operator refused the request. Check the data and try again; if it is refused again, contact the operator.',
      unauthorized: 'The operator refused the token: get a new token and connect the account again.',
      io: 'Could not read or write a file. Make sure the file is there and the disk has space, and try again.'
    }
  }
};
