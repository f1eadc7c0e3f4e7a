import type {
  Document,
  DocumentDetail,
  DocumentPage,
  DocumentQuery,
  Selection,
  Settings,
  Signature,
  TabCounts
} from '../src/api/types';

export function doc(id: number, over: Partial<Document> = {}): Document {
  return {
    id,
    operatorId: `op-${id}`,
    origin: 'operator',
    kind: 'sales_report',
    number: `R-${id}`,
    date: '2026-10-31',
    title: `Отчёт ${id}`,
    periodFrom: '2026-10-01',
    periodTo: '2026-10-31',
    sender: { bin: '123456789012', name: 'ТОО «Озон Казахстан»' },
    recipient: { bin: '987654321098', name: 'ИП Продавец' },
    amount: '1234567.89',
    vatAmount: '132275.13',
    currency: 'KZT',
    correctionOfNumber: null,
    correctionOfOperatorId: null,
    status: 'received',
    decision: null,
    rejectReason: null,
    correctionOf: null,
    contentSha256: 'ab'.repeat(32),
    attachments: [
      { id: `a-${id}`, role: 'main', fileName: `report-${id}.xml`, mimeType: 'application/xml', size: 100, sha256: 'cd'.repeat(32) }
    ],
    receivedAt: '2026-11-01T09:05:00Z',
    updatedAt: '2026-11-01T09:05:00Z',
    ...over
  };
}

export function detail(d: Document, over: Partial<DocumentDetail> = {}): DocumentDetail {
  const allowed: Record<string, DocumentDetail['allowedActions']> = {
    received: ['accept', 'reject'],
    viewed: ['accept', 'reject'],
    accepted: ['sign'],
    rejected: ['sign'],
    send_failed: ['retry', 'reopen']
  };
  return {
    document: d,
    allowedActions: allowed[d.status] ?? [],
    signatures: [],
    corrects: null,
    correctedBy: [],
    operatorStatus: null,
    ...over
  };
}

export function page(docs: Document[], next: string | null = null, textWaiting: number | null = null): DocumentPage {
  return { documents: docs, next, textWaiting };
}

export const counts = (over: Partial<TabCounts> = {}): TabCounts => ({
  needs_action: 3,
  to_sign: 1,
  accepted: 1,
  rejected: 0,
  signed: 2,
  sent: 5,
  all: 11,
  awaiting_decision: 3,
  awaiting_signature: 1,
  ...over
});

export const settings = (over: Partial<Settings> = {}): Settings => ({
  sellerBin: '987654321098',
  sellerKind: 'bin',
  sellerName: 'ИП Продавец',
  signerUrl: 'wss://127.0.0.1:13579',
  signerPin: null,
  language: 'ru',
  reasonLanguage: 'ru',
  dataDir: '/home/user/.local/share/qoltanba',
  maxFileSize: 100 * 1024 * 1024,
  reminderDays: 3,
  sendAfterSigning: true,
  desktopAlertsOff: [],
  account: null,
  ...over
});

export function senderSignature(id: number, over: Partial<Signature> = {}): Signature {
  return {
    id,
    documentId: 1,
    party: 'sender',
    attachmentId: 'a-1',
    signedSha256: 'cd'.repeat(32),
    signer: {
      commonName: 'ИВАНОВ ИВАН',
      iin: '800101300123',
      bin: '123456789012',
      organisation: 'ТОО «Озон Казахстан»',
      purposes: ['signing'],
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.4'],
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2027-01-01T00:00:00Z',
      serial: '01',
      subject: 'CN=ИВАНОВ ИВАН',
      issuer: 'CN=НУЦ РК'
    },
    verdict: {
      indication: 'TOTAL_PASSED',
      subIndication: null,
      reason: 'Подпись верна: документ не изменён',
      signer: null,
      signingTime: '2026-11-01T08:00:00Z',
      algorithm: 'RSA, SHA-256',
      algorithmId: 'rsa-sha256',
      warnings: [],
      intact: true,
      chain: []
    },
    warnings: [],
    verifiedAt: '2026-11-01T09:05:00Z',
    createdAt: '2026-11-01T09:05:00Z',
    ...over
  };
}

/** The list commands over `docs` as the backend answers them: pages of `limit` by offset or by
 * the cursor of the page before (here the index it starts at), the count, and a selection given
 * as a filter (all of `docs`, minus the unticked). */
export function listing(docs: Document[]) {
  return {
    list_documents: ({ query }: Record<string, unknown>) => {
      const q = query as DocumentQuery;
      const limit = q.limit ?? 50;
      const start = q.cursor ? Number(q.cursor) : (q.offset ?? 0);
      const end = start + limit;
      return { documents: docs.slice(start, end), next: end < docs.length ? String(end) : null };
    },
    count_documents: docs.length,
    selected_documents: ({ selection }: Record<string, unknown>) => {
      const s = selection as Selection;
      return docs.filter((d) => !s.except.includes(d.id));
    }
  };
}
